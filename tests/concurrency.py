"""Running actions at the same moment in threads, each on its own database connection (PostgreSQL
concurrency tests: the row locks of R-4.2 and of pay)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def race(*actions: Callable[[], str], refused: type[Exception]) -> list[str]:
    """Start every action at once; each answers its outcome, ``refused`` counts as "refused".
    The outcomes come back sorted, so a test need not know which thread won."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action: Callable[[], str]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(action())
        except refused:
            outcomes.append("refused")
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)
