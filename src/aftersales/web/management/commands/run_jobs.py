"""`aftersales run_jobs [--once]` — the periodic jobs in a process of their own (aftersales.web.scheduler).

``aftersales serve`` already runs them; use this when the server runs with ``--no-scheduler`` (or is
not a waitress process), or ``--once`` from cron. Each job runs once per slot whatever runs it.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aftersales.web.scheduler import run_due_jobs, run_forever


class Command(BaseCommand):
    help = "Run the periodic jobs (reminders, monthly evaluations) that are due; --once for a single pass."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        if not once:
            run_forever(threading.Event())
            return
        ran = run_due_jobs()
        self.stdout.write(f"ran: {', '.join(ran) if ran else 'nothing due'}")
