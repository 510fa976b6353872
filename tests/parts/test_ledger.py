"""R-9.2 the ledger is append-only and its balances are the sums of its movements."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.core.errors import RuleError
from aftersales.parts import services
from aftersales.parts.models import LedgerError, Movement, StockBalance
from tests.parts.conftest import issued_to

pytestmark = pytest.mark.django_db


def test_r9_2_a_movement_cannot_be_edited_in_place(stocked):
    movement = Movement.objects.get(store=stocked)
    movement.quantity = 50
    with pytest.raises(LedgerError):
        movement.save()
    with pytest.raises(LedgerError):
        Movement.objects.filter(pk=movement.pk).update(quantity=50)
    assert Movement.objects.get(store=stocked).quantity == 5


def test_r9_2_a_movement_cannot_be_deleted(stocked):
    with pytest.raises(LedgerError):
        Movement.objects.get(store=stocked).delete()
    with pytest.raises(LedgerError):
        Movement.objects.filter(store=stocked).delete()
    assert Movement.objects.filter(store=stocked).count() == 1


def test_r9_2_the_database_refuses_an_update_behind_the_orms_back(stocked):
    table = Movement._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET quantity = 50 WHERE store_id = %s", [stocked.pk])
    assert Movement.objects.get(store=stocked).quantity == 5


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the delete trigger is PostgreSQL's (SQLite flushes test data with DELETE)",
)
def test_r9_2_the_database_refuses_a_delete_behind_the_orms_back(stocked):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Movement._meta.db_table} WHERE store_id = %s", [stocked.pk])
    assert Movement.objects.filter(store=stocked).count() == 1


def test_r9_2_the_database_refuses_a_negative_balance(stocked):
    with pytest.raises(DatabaseError), transaction.atomic():
        StockBalance.objects.filter(store=stocked, stock="on_hand").update(quantity=-1)


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["receipt", "issue", "count", "reverse", "transfer"]),
        st.integers(min_value=0, max_value=7),
    ),
    min_size=1,
    max_size=12,
)


def _apply(op, n, *, users, stores, part):
    central, station = stores
    keeper = users["keeper"]
    if op == "receipt":
        services.receipt_create(store=central, lines=[(part, n)], actor=keeper)
    elif op == "issue":
        issued_to(users, central, part, quantity=max(n, 1))
    elif op == "count":
        services.stocktake_post(store=central, counts={part: n}, actor=keeper)
    elif op == "transfer":
        services.transfer_create(from_store=central, to_store=station, lines=[(part, n)], actor=keeper)
    else:
        receipts = Movement.objects.filter(store=central, kind="receipt", reversed_by__isnull=True).order_by(
            "id"
        )
        if receipts:
            services.movement_reverse(movement=receipts[n % len(receipts)], reason="冲销", actor=keeper)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_r9_2_property_balance_is_the_sum_and_never_below_zero(users, stores, part, operations):
    """Random receipts, issues, counts, transfers and reversals: every refused one leaves nothing
    behind; every balance equals the sum of its movements and is never negative."""
    with transaction.atomic():
        for op, n in operations:
            before = Movement.objects.filter(part=part).count()
            try:
                _apply(op, n, users=users, stores=stores, part=part)
            except RuleError:
                assert Movement.objects.filter(part=part).count() == before
            for row in StockBalance.objects.filter(part=part):
                movements = Movement.objects.filter(store=row.store, part=row.part, stock=row.stock)
                assert row.quantity == (movements.aggregate(t=Sum("quantity"))["t"] or 0) >= 0
                last = movements.order_by("-id").first()
                assert row.quantity == (last.balance_after if last else 0)
        transaction.set_rollback(True)
