"""R-9.2 stock never goes negative even when two people issue the last unit at once.

Two threads, each with its own database connection and transaction, issue the last unit of a part
for two approved requisitions; the balance row lock makes one wait for the other, which then sees
the stock is gone. Exactly one succeeds.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from aftersales.core.stock import InsufficientStock
from aftersales.parts import services
from aftersales.parts.models import Movement, Requisition, StockBalance
from tests.parts.conftest import approved

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent transactions: SQLite serialises writers (BEGIN IMMEDIATE)",
    ),
]


def test_r9_2_two_keepers_issue_the_last_unit_at_once_and_only_one_succeeds(users, stores, part):
    central = stores[0]
    services.receipt_create(store=central, lines=[(part, 1)], actor=users["keeper"])
    requisitions = [approved(users, central, part), approved(users, central, part)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def issue(requisition):
        try:
            barrier.wait(timeout=10)
            services.requisition_issue(requisition=requisition, actor=users["keeper"])
            outcomes.append("issued")
        except InsufficientStock:
            outcomes.append("refused")
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=issue, args=(r,)) for r in requisitions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["issued", "refused"]
    on_hand = StockBalance.objects.get(store=central, part=part, stock="on_hand")
    assert on_hand.quantity == 0
    assert Movement.objects.filter(part=part, kind="issue", stock="on_hand").count() == 1
    assert sorted(Requisition.objects.filter(part=part).values_list("status", flat=True)) == [
        "approved",
        "issued",
    ]


def test_r9_2_concurrent_receipt_and_issue_keep_the_balance_equal_to_the_sum(users, stores, part):
    central = stores[0]
    services.receipt_create(store=central, lines=[(part, 3)], actor=users["keeper"])
    requisitions = [approved(users, central, part) for _ in range(3)]
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def run(action):
        try:
            barrier.wait(timeout=10)
            action()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    actions = [
        lambda r=r: services.requisition_issue(requisition=r, actor=users["keeper"]) for r in requisitions
    ]
    actions += [lambda: services.receipt_create(store=central, lines=[(part, 1)], actor=users["keeper"])] * 3
    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    on_hand = StockBalance.objects.get(store=central, part=part, stock="on_hand")
    assert (
        on_hand.quantity
        == 3
        == sum(
            Movement.objects.filter(store=central, part=part, stock="on_hand").values_list(
                "quantity", flat=True
            )
        )
    )
