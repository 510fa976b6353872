"""Grades (绩效等级): absolute standard (R-3.2) and forced distribution (强制比例分布, R-3.3)."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from aftersales.core.errors import RuleError


class Grade(StrEnum):
    """Grade letters, best first; the order of the members is the order of the grades."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"

    @property
    def label(self) -> str:
        """The Chinese grade name (非常杰出 … 待改进)."""
        return GRADE_NAMES[self]

    @property
    def coefficient(self) -> Decimal:
        """Grade coefficient Q (绩效系数), used as pay factor when a category is set so (R-5.2)."""
        return COEFFICIENTS[self]


GRADES = tuple(Grade)
GRADE_NAMES = {Grade.A: "非常杰出", Grade.B: "出色", Grade.C: "良好", Grade.D: "合格", Grade.E: "待改进"}
COEFFICIENTS = {
    Grade.A: Decimal("1.0"),
    Grade.B: Decimal("0.9"),
    Grade.C: Decimal("0.8"),
    Grade.D: Decimal("0.7"),
    Grade.E: Decimal("0.6"),
}
# lowest score of each grade but E
THRESHOLDS = ((Grade.A, Decimal(90)), (Grade.B, Decimal(80)), (Grade.C, Decimal(70)), (Grade.D, Decimal(60)))
# percent per grade, source §2.4 (§5.1's table swaps C and D: a setting, R-3.3)
DEFAULT_QUOTAS: Mapping[Grade, Decimal] = {
    Grade.A: Decimal(4),
    Grade.B: Decimal(6),
    Grade.C: Decimal(60),
    Grade.D: Decimal(20),
    Grade.E: Decimal(10),
}


def absolute_grade(score: Decimal) -> Grade:
    """R-3.2 绝对标准: A ≥ 90 · 80 ≤ B < 90 · 70 ≤ C < 80 · 60 ≤ D < 70 · E < 60."""
    for grade, lowest in THRESHOLDS:
        if score >= lowest:
            return grade
    return Grade.E


def largest_remainder(total: int, weights: Sequence[Decimal | Fraction]) -> tuple[int, ...]:
    """Split ``total`` whole units in proportion to ``weights`` (最大余数法).

    Every share is rounded down, then the units left over go one each to the largest remainders;
    equal remainders favour the earlier weight. Exact arithmetic, so the shares sum to ``total``.

    Done in integers: each weight is an exact ratio n_i / d_i; over the common denominator D the
    weights are the integers w_i = n_i × D / d_i, and share_i = total × w_i / W with W = Σ w_i. So
    the floor is ``total * w_i // W`` and the remainder the integer ``total * w_i % W`` (a numerator
    over the same W): the same shares, in the same order, as exact fractions would give.
    """
    ratios = [w.as_integer_ratio() for w in weights]  # exact; denominators positive
    denominators = {d for _n, d in ratios}
    common = math.lcm(*denominators) if denominators else 1
    scaled = [n * (common // d) for n, d in ratios]
    weight_sum = sum(scaled)
    if total < 0 or weight_sum <= 0 or any(w < 0 for w in scaled):
        raise RuleError(
            "largest remainder needs a non-negative total and non-negative weights with a positive sum"
        )
    shares, remainders = [], []
    for weight in scaled:
        share, remainder = divmod(total * weight, weight_sum)
        shares.append(share)
        remainders.append(remainder)
    left = total - sum(shares)  # 0 ≤ left < number of weights
    if left:
        # a stable sort keeps equal remainders in the order given, also with reverse=True
        for index in sorted(range(len(scaled)), key=remainders.__getitem__, reverse=True)[:left]:
            shares[index] += 1
    return tuple(shares)


def check_quotas(quotas: Mapping[Grade, Decimal]) -> None:
    """Quotas (人数比例) are percents for all five grades, none negative, summing to 100."""
    if set(quotas) != set(GRADES):
        raise RuleError("quotas must give a percent for each of A, B, C, D, E")
    if any(q < 0 for q in quotas.values()):
        raise RuleError("quotas must not be negative")
    if sum(quotas.values()) != 100:
        raise RuleError("quotas must sum to 100")


def forced_targets(size: int, quotas: Mapping[Grade, Decimal] = DEFAULT_QUOTAS) -> dict[Grade, int]:
    """R-3.3 step 1: target count c_k per grade for a group of ``size``; ties favour the better grade."""
    check_quotas(quotas)
    if size == 0:
        return dict.fromkeys(GRADES, 0)
    return dict(zip(GRADES, largest_remainder(size, [quotas[g] for g in GRADES]), strict=True))


@dataclass(frozen=True, slots=True)
class ForcedGrade:
    """One member's forced grade and why: "rank r of n, quota q % of the group, target t places"."""

    grade: Grade
    rank: int  # 1 + number of members with a strictly higher score
    group_size: int
    quota: Decimal  # percent of the grade given
    target: int  # c_k of the grade given


@dataclass(frozen=True)
class ForcedDistribution:
    targets: Mapping[Grade, int]
    members: tuple[ForcedGrade, ...]  # in the order of the scores given


def forced_distribution(
    scores: Sequence[Decimal], quotas: Mapping[Grade, Decimal] = DEFAULT_QUOTAS
) -> ForcedDistribution:
    """R-3.3: each member gets the best grade k with above(e) < T_k (T_k = c_A + … + c_k).

    Equal scores share a grade, a higher score never gets a worse grade, and a tie straddling a
    boundary takes the better grade.
    """
    targets = forced_targets(len(scores), quotas)
    cumulative, running = {}, 0
    for grade in GRADES:
        running += targets[grade]
        cumulative[grade] = running
    ascending = sorted(scores)
    size = len(scores)
    members = []
    for score in scores:
        above = size - bisect_right(ascending, score)  # members with a strictly higher score
        grade = next(g for g in GRADES if above < cumulative[g])  # T_E = n > above: always found
        members.append(ForcedGrade(grade, above + 1, size, quotas[grade], targets[grade]))
    return ForcedDistribution(targets, tuple(members))
