"""The monthly close of one pay pool, in memory: final scores, grades, pay (R-3.1 … R-3.3, R-5.1 … R-5.5).

Plain Python (no Django), like ``aftersales.core``: the close (services.py) feeds it the month's
appraisals, the simulator (selectors.py) the lines of a closed month with other rules. The rules
themselves are the core's (``core.grading``, ``core.pay``); this module only arranges one pool.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from aftersales.core.grading import ForcedGrade, Grade, absolute_grade, forced_distribution
from aftersales.core.ordering import natural_key
from aftersales.core.pay import PayMember, allocate_pay, pay_factor, standard_pay

ZERO = Decimal(0)


@dataclass(frozen=True)
class CloseRules:
    """The settings a close applies (snapshotted on each close version)."""

    pay_ratio: Decimal
    rounding_unit: Decimal
    quotas: Mapping[Grade, Decimal]
    score_cap: Decimal
    coefficient: Decimal  # d, 部门月度绩效系数
    head_in_pool: bool
    grade_factor_categories: frozenset[str]  # categories paid by grade coefficient Q
    # S rounded half up to the fen. Every close does; False only to recompute a version closed
    # before that rule (CloseVersion.s_to_fen), which kept S = salary × ratio unrounded
    s_to_fen: bool = True

    def but(self, **changes: object) -> CloseRules:
        """These rules with some changed (the what-if simulator)."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Member:
    """One employee of the pool as the close sees them."""

    employee_id: int
    number: str  # 工号: the pool's natural order, so equal remainders favour the lower number
    category: str
    standard_salary: Decimal
    form_total: Decimal | None  # None: a department head without an appraisal this month
    discipline_points: Decimal = ZERO
    forced: bool = False  # graded by forced distribution
    head: bool = False
    override_grade: Grade | None = None  # HR's override …
    override_score: Decimal | None = None  # … made against this final score

    @property
    def appraised(self) -> bool:
        return self.form_total is not None


@dataclass(frozen=True, slots=True)
class LineResult:
    member: Member
    final_score: Decimal | None
    computed_grade: Grade | None
    forced_grade: ForcedGrade | None  # why, for a member of a forced group: rank r of n, quota, target
    override_grade: Grade | None  # the override applied, if any
    override_lapsed: bool  # an override made against another final score no longer holds
    standard_pay: Decimal  # S
    factor: Decimal | None  # f
    pay: Decimal
    in_pool: bool

    @property
    def grade(self) -> Grade | None:
        return self.override_grade or self.computed_grade


@dataclass(frozen=True)
class PoolResult:
    lines: tuple[LineResult, ...]  # in natural employee-number order (core.ordering, R-3.3)
    pool_base: Decimal  # B
    distributable: Decimal  # P
    fund_inflow: Decimal  # B − P to the quarterly adjustment fund


def clamp_final(form_total: Decimal, discipline_points: Decimal, cap: Decimal) -> Decimal:
    """R-3.1: form total + the month's discipline points, clamped to [0, cap] — the one rule the
    close and every page before the close apply (payroll.outcome)."""
    return min(max(form_total + discipline_points, ZERO), cap)


def final_score(member: Member, cap: Decimal) -> Decimal | None:
    """R-3.1 for a member of the pool; None without a form."""
    if member.form_total is None:
        return None
    return clamp_final(member.form_total, member.discipline_points, cap)


def _grades(
    members: Sequence[Member], finals: Sequence[Decimal | None], quotas: Mapping[Grade, Decimal]
) -> list[tuple[Grade | None, ForcedGrade | None]]:
    """Each member's grade and, in a forced group, why: R-3.2 absolute, or R-3.3 within its
    category's forced group."""
    result: list[tuple[Grade | None, ForcedGrade | None]] = [(None, None)] * len(members)
    groups: dict[str, list[int]] = defaultdict(list)
    for index, (member, final) in enumerate(zip(members, finals, strict=True)):
        if final is None:
            continue
        if member.forced:
            groups[member.category].append(index)
        else:
            result[index] = (absolute_grade(final), None)
    for indexes in groups.values():
        scores = [finals[i] for i in indexes]
        distribution = forced_distribution(scores, quotas)  # type: ignore[arg-type]
        for index, forced in zip(indexes, distribution.members, strict=True):
            result[index] = (forced.grade, forced)
    return result


def _override(member: Member, final: Decimal | None) -> tuple[Grade | None, bool]:
    """The override that holds, and whether one lapsed: an override holds while the final score
    is the one it was made against (decision, rules-payroll.md)."""
    if member.override_grade is None:
        return None, False
    if final is not None and member.override_score == final:
        return member.override_grade, False
    return None, True


def _factor(member: Member, final: Decimal | None, grade: Grade | None, rules: CloseRules) -> Decimal | None:
    if final is None:
        return None
    return pay_factor(final, by_grade=member.category in rules.grade_factor_categories, grade=grade)


def _standard_pay(member: Member, rules: CloseRules) -> Decimal:
    """R-5.1 S, to the fen; unrounded only when recomputing a version closed before that rule."""
    if rules.s_to_fen:
        return standard_pay(member.standard_salary, rules.pay_ratio)
    return member.standard_salary * rules.pay_ratio


def close_pool(members: Sequence[Member], rules: CloseRules) -> PoolResult:
    """Close one department's pool (R-3.1 … R-3.3, R-5.1 … R-5.5).

    The members are taken in natural employee-number order (E9 before E10, R-3.3), so equal
    remainders of the pay allocation favour the lower number (R-5.3). A head without an appraisal
    this month has no score to share by and is paid d × S_head outside the pool (R-5.5), whatever
    ``head_in_pool`` says.
    """
    members = sorted(members, key=lambda m: natural_key(m.number))
    finals = [final_score(m, rules.score_cap) for m in members]
    grades = _grades(members, finals, rules.quotas)
    overrides = [_override(m, f) for m, f in zip(members, finals, strict=True)]
    effective = [o[0] or g[0] for o, g in zip(overrides, grades, strict=True)]
    factors = [_factor(m, f, g, rules) for m, f, g in zip(members, finals, effective, strict=True)]
    pays = [_standard_pay(m, rules) for m in members]
    head_in_pool = rules.head_in_pool and all(m.appraised for m in members if m.head)
    allocation = allocate_pay(
        [PayMember(s, f or ZERO, m.head) for m, s, f in zip(members, pays, factors, strict=True)],
        department_coefficient=rules.coefficient,
        rounding_unit=rules.rounding_unit,
        head_in_pool=head_in_pool,
    )
    lines = tuple(
        LineResult(
            member=member,
            final_score=finals[i],
            computed_grade=grades[i][0],
            forced_grade=grades[i][1],
            override_grade=overrides[i][0],
            override_lapsed=overrides[i][1],
            standard_pay=pays[i],
            factor=factors[i],
            pay=allocation.pays[i],
            in_pool=head_in_pool or not member.head,
        )
        for i, member in enumerate(members)
    )
    return PoolResult(lines, allocation.pool_base, allocation.distributable, allocation.adjustment_fund)
