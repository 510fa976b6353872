"""R-9.2 stock ledger rules: balance = sum of movements, never below zero, stocktake differences."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.core.errors import RuleError
from aftersales.core.stock import (
    InsufficientStock,
    Kind,
    Movement,
    Stock,
    adjustments,
    balance,
    check_movement,
    post,
    reversal_of,
    stocktake,
)

HOLDING = ("central", "P-1")


def issue_of(quantity):
    return [
        Movement(HOLDING, Stock.ON_HAND, Kind.ISSUE, -quantity),
        Movement(HOLDING, Stock.ON_LOAN, Kind.ISSUE, quantity),
    ]


def test_r9_2_balance_is_the_sum_of_movements():
    assert balance([5, -2, 3, -6]) == 0
    assert balance([]) == 0


@pytest.mark.parametrize(
    ("kind", "stock", "quantity"),
    [
        (Kind.RECEIPT, Stock.ON_HAND, -1),  # a receipt adds
        (Kind.TRANSFER_OUT, Stock.ON_HAND, 2),  # a transfer out takes away
        (Kind.WRITE_OFF, Stock.ON_HAND, -1),  # a write-off closes a loan, not the shelf
        (Kind.OLD_PART_RETURN, Stock.ON_HAND, 1),  # old parts are kept apart from spare parts
        (Kind.ISSUE, Stock.ON_LOAN, -1),  # an issue puts parts on loan
        (Kind.STOCKTAKE_ADJUSTMENT, Stock.ON_HAND, 0),  # nothing to adjust
    ],
)
def test_r9_2_a_kind_fixes_the_stock_and_sign_of_its_movements(kind, stock, quantity):
    with pytest.raises(RuleError):
        check_movement(kind, stock, quantity)


def test_r9_2_an_issue_moves_parts_from_the_shelf_onto_loan_together():
    after = post({(HOLDING, Stock.ON_HAND): 3}, issue_of(2))
    assert after == {(HOLDING, Stock.ON_HAND): 1, (HOLDING, Stock.ON_LOAN): 2}


def test_r9_2_stock_never_goes_negative_and_nothing_is_posted():
    with pytest.raises(InsufficientStock):
        post({(HOLDING, Stock.ON_HAND): 1}, issue_of(2)[::-1])


def test_r9_2_movements_of_one_posting_are_netted_per_holding():
    moves = [
        Movement(HOLDING, Stock.ON_HAND, Kind.RECEIPT, 2),
        Movement(HOLDING, Stock.ON_HAND, Kind.TRANSFER_OUT, -2),
    ]
    assert post({}, moves) == {(HOLDING, Stock.ON_HAND): 0}


def test_r9_2_reversal_is_the_negative_of_a_typed_in_entry_only():
    assert reversal_of(Kind.RECEIPT, 4) == -4
    assert reversal_of(Kind.STOCKTAKE_ADJUSTMENT, -1) == 1
    with pytest.raises(RuleError):
        reversal_of(Kind.ISSUE, -1)


def test_r9_2_stocktake_shows_book_vs_counted_and_adjusts_the_differences():
    lines = stocktake({"a": 5, "b": 2}, {"a": 5, "b": 1, "c": 3})
    assert [(line.key, line.book, line.counted, line.agrees) for line in lines] == [
        ("a", 5, 5, True),
        ("b", 2, 1, False),
        ("c", 0, 3, False),
    ]
    assert [(m.key, m.quantity) for m in adjustments(lines)] == [("b", -1), ("c", 3)]


def test_r9_2_a_count_below_zero_is_refused():
    with pytest.raises(RuleError):
        stocktake({}, {"a": -1})


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["receipt", "issue", "adjust", "write_off"]), st.integers(min_value=-5, max_value=9)
    ),
    max_size=40,
)


@given(OPERATIONS)
def test_r9_2_property_balances_equal_sums_and_never_go_below_zero(operations):
    balances: dict = {}
    ledger: list[Movement] = []
    for op, n in operations:
        if op == "receipt":
            moves = [Movement(HOLDING, Stock.ON_HAND, Kind.RECEIPT, abs(n) or 1)]
        elif op == "issue":
            moves = issue_of(abs(n) or 1)
        elif op == "write_off":
            moves = [Movement(HOLDING, Stock.ON_LOAN, Kind.WRITE_OFF, -(abs(n) or 1))]
        else:
            moves = [Movement(HOLDING, Stock.ON_HAND, Kind.STOCKTAKE_ADJUSTMENT, n or 1)]
        try:
            balances.update(post(balances, moves))
        except InsufficientStock:
            continue
        ledger.extend(moves)
    for stock in Stock:
        held = balances.get((HOLDING, stock), 0)
        assert held == balance(m.quantity for m in ledger if m.stock == stock)
        assert held >= 0
