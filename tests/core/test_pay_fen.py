"""R-5.1: the standard performance pay S is rounded half up to the fen (0.01 yuan), so B, P, every pay
and the fund inflow B − P are whole fen (R-5.3, R-5.4)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.core.errors import RuleError
from aftersales.core.pay import PayMember, allocate_pay, standard_pay, to_fen

D = Decimal
FEN = D("0.01")

salaries = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
ratios = st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False)
scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
coefficients = st.decimals(min_value=0, max_value=5, places=3, allow_nan=False, allow_infinity=False)
units = st.sampled_from([D("0.01"), D("0.05"), D("0.1"), D(1), D(10), D(100)])


def whole_fen(amount: Decimal) -> bool:
    return amount % FEN == 0


def test_r5_1_s_is_rounded_to_the_fen():
    """R-5.1: 5796.78 × 0.30 = 1739.034 → S = 1739.03."""
    assert standard_pay(D("5796.78"), D("0.30")) == D("1739.03")
    assert standard_pay(D("5796.78"), D("0.3000")) == D("1739.03")  # the ratio as the database holds it
    assert standard_pay(D("3333.32"), D("0.30")) == D("1000.00")  # 999.996 rounds up
    assert standard_pay(D(3000), D("0.5")) == D(1500)  # whole amounts stay as they are


def test_r5_1_half_a_fen_rounds_up_not_to_even():
    """R-5.1: half up, not the banker's rounding of Decimal's default context."""
    assert standard_pay(D("0.01"), D("0.5")) == D("0.01")  # 0.005
    assert standard_pay(D("1000.05"), D("0.5")) == D("500.03")  # 500.025, not 500.02
    assert standard_pay(D("1000.07"), D("0.5")) == D("500.04")  # 500.035
    assert to_fen(D("2.675")) == D("2.68") and to_fen(D("2.665")) == D("2.67")
    assert to_fen(D("0.0049999")) == D(0)


@given(st.integers(min_value=0, max_value=10**9))
def test_r5_1_property_every_half_fen_rounds_up(fen):
    """R-5.1: k fen + half a fen is k + 1 fen (salary (2k + 1) fen at 50 %)."""
    salary = D(2 * fen + 1) / 100
    assert standard_pay(salary, D("0.5")) == D(fen + 1) / 100


@given(salaries, ratios)
def test_r5_1_property_s_is_always_a_whole_fen_and_the_nearest(salary, ratio):
    """R-5.1: S is a whole fen, at most half a fen from salary × ratio, and half a fen goes up."""
    s = standard_pay(salary, ratio)
    exact = salary * ratio
    assert whole_fen(s) and s.as_tuple().exponent == -2
    assert abs(s - exact) <= D("0.005")
    assert s - exact != D("-0.005")  # a tie never rounds down


def test_r5_1_to_fen_is_exact_for_any_size():
    assert to_fen(D("99.995")) == D("100.00")
    assert to_fen(D("9" * 40 + ".995")) == D("1" + "0" * 40)


@given(
    st.lists(st.tuples(salaries, scores), min_size=1, max_size=12),
    ratios,
    coefficients,
    units,
    st.booleans(),
)
def test_r5_1_r5_3_r5_4_property_every_amount_is_whole_fen_and_pay_sums_to_p(
    people, ratio, coefficient, unit, head_in_pool
):
    """R-5.1 with R-5.3/R-5.4: with S to the fen, B, P, every pay and the fund inflow are whole fen;
    Σ pay of the pool = P exactly; the fund takes B − P (and P when every factor is 0)."""
    members = [
        PayMember(standard_pay(salary, ratio), score / 100, head=index == 0)
        for index, (salary, score) in enumerate(people)
    ]
    result = allocate_pay(
        members, department_coefficient=coefficient, rounding_unit=unit, head_in_pool=head_in_pool
    )
    amounts = [result.pool_base, result.distributable, result.adjustment_fund, *result.pays]
    assert all(whole_fen(amount) for amount in amounts)
    pool = [i for i, m in enumerate(members) if head_in_pool or not m.head]
    assert result.pool_base == sum(members[i].standard_pay for i in pool)
    pool_pay = sum(result.pays[i] for i in pool)
    balance = max(result.pool_base - result.distributable, D(0))
    if any(members[i].standard_pay * members[i].factor for i in pool):
        assert pool_pay == result.distributable  # no fen created or lost
        assert result.adjustment_fund == balance
    else:
        assert pool_pay == 0 and result.adjustment_fund == balance + result.distributable
    assert result.distributable % unit == 0 and all(pay % unit == 0 for pay in result.pays)


def test_r5_1_a_rounding_unit_finer_than_a_fen_is_refused():
    """R-5.1: pay is whole fen, so the rounding unit (R-5.3) is a whole number of fen."""
    with pytest.raises(RuleError) as refused:
        allocate_pay([PayMember(D(100), D(1))], rounding_unit=D("0.005"))
    assert refused.value.field == "rounding_unit"
