"""Performance pay (绩效薪资, source §5.1): R-5.1 … R-5.6."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal

from aftersales.core.errors import RuleError
from aftersales.core.grading import Grade, absolute_grade, largest_remainder

DEFAULT_PAY_RATIO = Decimal("0.30")
FEN = Decimal("0.01")  # 分: S is a whole number of fen
ZERO = Decimal(0)


def to_fen(amount: Decimal) -> Decimal:
    """An amount rounded half up to the fen (0.01 yuan): 1739.034 → 1739.03, 0.005 → 0.01.

    Exact whatever the size of the amount (the context's precision is widened to its digits)."""
    digits = max(amount.adjusted(), 0) + 4  # integer digits, a carry, two decimals, one to spare
    exact = Context(prec=max(digits, 28), rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)
    return amount.quantize(FEN, context=exact)


def standard_pay(position_salary: Decimal, ratio: Decimal = DEFAULT_PAY_RATIO) -> Decimal:
    """R-5.1 standard performance pay S (绩效薪资标准) = position standard salary × ratio, rounded half
    up to the fen, so B, P, every pay and the fund inflow B − P are whole fen (with a rounding unit
    that is itself a whole number of fen, which ``allocate_pay`` requires)."""
    return to_fen(position_salary * ratio)


def pay_factor(score: Decimal | None, *, by_grade: bool = False, grade: Grade | None = None) -> Decimal:
    """R-5.2 pay factor f (绩效系数): final score / 100, or for categories set to use grades the
    coefficient Q of the grade given (an HR override), else of the score's R-3.2 grade."""
    if by_grade and grade is not None:
        return grade.coefficient
    if score is None:
        raise RuleError("a pay factor needs the final score", "score")
    return absolute_grade(score).coefficient if by_grade else score / 100


def round_down(amount: Decimal, unit: Decimal) -> Decimal:
    """Round down to a multiple of the rounding unit (默认 1 元)."""
    return (amount / unit).to_integral_value(rounding=ROUND_FLOOR) * unit


@dataclass(frozen=True, slots=True)
class PayMember:
    standard_pay: Decimal  # S
    factor: Decimal  # f
    head: bool = False  # 部门负责人


@dataclass(frozen=True)
class PayResult:
    pool_base: Decimal  # B = Σ S of the pool
    distributable: Decimal  # P = d × B rounded down to the unit (部门可分配绩效薪资总额)
    adjustment_fund: Decimal  # goes to the quarterly adjustment fund (余额, R-5.4)
    pays: tuple[Decimal, ...]  # 实发绩效薪资, in the order of the members given


def _check(members: Sequence[PayMember], coefficient: Decimal, unit: Decimal) -> None:
    if unit <= 0:
        raise RuleError("the rounding unit must be positive")
    if unit % FEN:
        raise RuleError("must be a whole number of fen (0.01)", "rounding_unit")
    if coefficient < 0:
        raise RuleError("the department coefficient must not be negative")
    if any(m.standard_pay < 0 or m.factor < 0 for m in members):
        raise RuleError("standard pay and pay factors must not be negative")
    if sum(m.head for m in members) > 1:
        raise RuleError("a pool has at most one department head")


def _shares(weights: Sequence[Decimal], distributable: Decimal, unit: Decimal) -> list[Decimal]:
    """R-5.3 pay_i = P × S_i f_i / Σ S_j f_j, in whole units by the largest-remainder method."""
    units = int(distributable / unit)
    return [share * unit for share in largest_remainder(units, weights)]


def allocate_pay(
    members: Sequence[PayMember],
    *,
    department_coefficient: Decimal = Decimal(1),
    rounding_unit: Decimal = Decimal(1),
    head_in_pool: bool = True,
) -> PayResult:
    """R-5.3 … R-5.5: share the department's distributable pay so that Σ pay = P exactly.

    With ``head_in_pool`` false the head is outside B and P and gets d × S_head rounded down (R-5.5).
    """
    _check(members, department_coefficient, rounding_unit)
    in_pool = [i for i, m in enumerate(members) if head_in_pool or not m.head]
    base = sum((members[i].standard_pay for i in in_pool), ZERO)
    distributable = round_down(department_coefficient * base, rounding_unit)
    weights = [members[i].standard_pay * members[i].factor for i in in_pool]
    fund = max(base - distributable, ZERO)  # d > 1 leaves no balance
    shares = [ZERO] * len(in_pool)
    if any(weights):
        shares = _shares(weights, distributable, rounding_unit)
    else:  # every factor is 0: nobody to share with, P joins the fund too
        fund += distributable
    if len(in_pool) == len(members):
        return PayResult(base, distributable, fund, tuple(shares))
    # a head kept out of the pool gets d × S rounded down; pool members get their share
    pays = dict(zip(in_pool, shares, strict=True))
    return PayResult(
        base,
        distributable,
        fund,
        tuple(
            pays[i] if i in pays else round_down(department_coefficient * m.standard_pay, rounding_unit)
            for i, m in enumerate(members)
        ),
    )


@dataclass(frozen=True)
class FundQuarter:
    """One quarter of a department's adjustment fund (季度调节奖励基金)."""

    opening: Decimal  # carried over from the previous quarter
    inflows: Decimal  # the months' balances B − P
    payouts: Decimal  # adjustment rewards paid (调节奖励)
    closing: Decimal  # carried over to the next quarter


def fund_quarter(opening: Decimal, inflows: Sequence[Decimal], payouts: Sequence[Decimal]) -> FundQuarter:
    """R-5.4: opening + inflows − payouts; what is not paid out carries over, payouts cannot exceed it."""
    if opening < 0 or any(a < 0 for a in (*inflows, *payouts)):
        raise RuleError("fund amounts must not be negative")
    received, paid = sum(inflows, ZERO), sum(payouts, ZERO)
    if paid > opening + received:
        raise RuleError(f"adjustment rewards {paid} exceed the fund balance {opening + received}")
    return FundQuarter(opening, received, paid, opening + received - paid)
