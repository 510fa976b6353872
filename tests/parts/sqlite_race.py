"""Run as a program (test_sqlite_concurrency.py): 20 keepers' issues at once on the SQLite database named by
DATABASE_URL, each thread on its own connection; prints the outcomes and the ledger as JSON."""

from __future__ import annotations

import json
import os
import sys
import threading

import django

ISSUES = 20
STOCK = 15


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test.utils import override_settings

    from aftersales.core.stock import InsufficientStock
    from aftersales.parts import services
    from aftersales.parts.models import Movement, Part, StockBalance, Store
    from tests.parts.conftest import approved
    from tests.personas import FAST_HASHERS, build_personas

    call_command("migrate", verbosity=0)
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):  # nobody logs in: the race, not the hashing
        build_personas()  # the persona organisation (tests/personas.py)
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk(["keeper", "engineer"], field_name="username")
    store = Store.objects.create(code="race", name="并发库", kind=Store.Kind.CENTRAL, department_id=_as())
    part = Part.objects.create(number="RACE-1", name="并发件", unit="个")
    services.receipt_create(store=store, lines=[(part, STOCK)], actor=users["keeper"])
    requisitions = [approved(users, store, part) for _ in range(ISSUES)]
    with connection.cursor() as cursor:
        journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    connections.close_all()

    barrier = threading.Barrier(ISSUES)
    outcomes: list[str] = []

    def issue(requisition: object) -> None:
        try:
            barrier.wait(timeout=30)
            services.requisition_issue(requisition=requisition, actor=users["keeper"])
            outcomes.append("issued")
        except InsufficientStock:
            outcomes.append("refused")
        except Exception as exc:
            outcomes.append(f"error: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(r,)) for r in requisitions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    balances = {b.stock: b.quantity for b in StockBalance.objects.filter(store=store, part=part)}
    moved = {
        stock: sum(
            Movement.objects.filter(store=store, part=part, stock=stock).values_list("quantity", flat=True)
        )
        for stock in balances
    }
    json.dump({"journal": journal, "outcomes": outcomes, "balances": balances, "moved": moved}, sys.stdout)


def _as() -> int:
    from aftersales.organisation.models import Department

    return int(Department.objects.get(code="as").pk)


if __name__ == "__main__":
    main()
