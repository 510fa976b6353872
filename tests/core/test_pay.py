"""R-5.1 … R-5.6 performance pay."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.core.errors import RuleError
from aftersales.core.grading import Grade
from aftersales.core.pay import (
    PayMember,
    allocate_pay,
    fund_quarter,
    pay_factor,
    round_down,
    standard_pay,
)

D = Decimal
# source §5.1: 甲 (主管) 乙 丙 丁
EXAMPLE = [
    PayMember(D(1500), D(1), head=True),
    PayMember(D(1000), D("0.98")),
    PayMember(D(1250), D("0.96")),
    PayMember(D(1000), D("0.9")),
]


def test_r5_1_standard_pay_is_a_ratio_of_the_position_salary():
    assert standard_pay(D(3000), D("0.5")) == D(1500)
    assert standard_pay(D(3000)) == D(900)  # default ratio 30 %


def test_r5_2_pay_factor_from_score_or_grade():
    assert pay_factor(D("87.5")) == D("0.875")
    assert pay_factor(D("87.5"), grade=Grade.A) == D("0.875")  # a grade matters only with by_grade
    assert pay_factor(D("85"), by_grade=True) == D("0.9")
    assert pay_factor(None, by_grade=True, grade=Grade.A) == D("1.0")
    with pytest.raises(RuleError):
        pay_factor(None, by_grade=True)


def test_r5_6_worked_example():
    result = allocate_pay(EXAMPLE)
    assert result.pays == (D(1556), D(1016), D(1245), D(933))
    assert (result.pool_base, result.distributable, result.adjustment_fund) == (D(4750), D(4750), D(0))


def test_r5_4_coefficient_below_one_leaves_a_balance_for_the_fund():
    result = allocate_pay(EXAMPLE, department_coefficient=D("0.9"))
    assert result.distributable == D(4275)
    assert result.adjustment_fund == D(475)
    assert sum(result.pays) == D(4275)


def test_r5_3_distributable_is_rounded_down_to_the_unit_and_the_rest_is_fund():
    result = allocate_pay(EXAMPLE, department_coefficient=D("0.95"), rounding_unit=D(10))
    assert result.distributable == D(4510)  # 4512.5 rounded down to 10
    assert result.adjustment_fund == D(240)
    assert all(pay % 10 == 0 for pay in result.pays)
    assert sum(result.pays) == D(4510)


def test_r5_3_equal_remainders_go_to_the_member_listed_first():
    members = [PayMember(D(5), D(1)), PayMember(D(5), D(1))]
    assert allocate_pay(members, department_coefficient=D("0.5")).pays == (D(3), D(2))


def test_r5_5_head_out_of_pool_gets_coefficient_times_standard_pay():
    result = allocate_pay(EXAMPLE, department_coefficient=D("0.9"), head_in_pool=False)
    assert result.pays[0] == D(1350)
    assert (result.pool_base, result.distributable, result.adjustment_fund) == (D(3250), D(2925), D(325))
    assert sum(result.pays[1:]) == D(2925)


def test_r5_4_all_factors_zero_sends_everything_to_the_fund():
    members = [PayMember(D(1000), D(0)), PayMember(D(800), D(0))]
    result = allocate_pay(members, department_coefficient=D("0.9"))
    assert result.pays == (D(0), D(0))
    assert result.adjustment_fund == D(1800)


def test_a_coefficient_above_one_leaves_no_balance():
    result = allocate_pay(EXAMPLE, department_coefficient=D("1.1"))
    assert result.distributable == D(5225)
    assert result.adjustment_fund == D(0)


@pytest.mark.parametrize(
    ("members", "options"),
    [
        ([PayMember(D(-1), D(1))], {}),
        ([PayMember(D(1), D(-1))], {}),
        ([PayMember(D(1), D(1), head=True), PayMember(D(1), D(1), head=True)], {}),
        ([PayMember(D(1), D(1))], {"rounding_unit": D(0)}),
        ([PayMember(D(1), D(1))], {"department_coefficient": D(-1)}),
    ],
)
def test_bad_pay_input_is_refused(members, options):
    with pytest.raises(RuleError):
        allocate_pay(members, **options)


def test_round_down_to_units():
    assert round_down(D("4512.5"), D(1)) == D(4512)
    assert round_down(D("4512.567"), D("0.01")) == D("4512.56")


def test_r5_4_fund_carries_over_what_is_not_paid():
    quarter = fund_quarter(D(100), [D(475), D(25)], [D(300)])
    assert quarter.closing == D(300)
    assert fund_quarter(quarter.closing, [], []).closing == D(300)


def test_r5_4_fund_payouts_cannot_exceed_the_balance():
    with pytest.raises(RuleError):
        fund_quarter(D(100), [D(50)], [D(100), D(51)])


money = st.decimals(min_value=0, max_value=20000, places=2, allow_nan=False, allow_infinity=False)
factors = st.decimals(min_value=0, max_value=1, places=2, allow_nan=False, allow_infinity=False)
members_strategy = st.lists(st.builds(PayMember, money, factors), min_size=1, max_size=12)


@given(
    members_strategy,
    st.decimals(min_value=0, max_value="1.2", places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([D("0.01"), D(1), D(10)]),
    st.booleans(),
)
def test_r5_3_property_pay_sums_to_distributable_exactly(members, coefficient, unit, head_in_pool):
    members = [PayMember(members[0].standard_pay, members[0].factor, head=True), *members[1:]]
    result = allocate_pay(
        members, department_coefficient=coefficient, rounding_unit=unit, head_in_pool=head_in_pool
    )
    pool = members if head_in_pool else members[1:]
    pool_pays = result.pays if head_in_pool else result.pays[1:]
    weights = [m.standard_pay * m.factor for m in pool]
    assert all(pay >= 0 and pay % unit == 0 for pay in result.pays)
    assert result.distributable <= coefficient * result.pool_base < result.distributable + unit
    if any(weights):
        assert sum(pool_pays) == result.distributable
        # largest remainder: nobody is more than one unit away from the exact share
        for pay, weight in zip(pool_pays, weights, strict=True):
            assert abs(pay - result.distributable * weight / sum(weights)) < unit
        assert result.adjustment_fund == max(result.pool_base - result.distributable, 0)
    else:
        assert sum(pool_pays) == 0
        assert result.adjustment_fund == max(result.pool_base, result.distributable)
