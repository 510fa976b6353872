"""Rewards and penalties (奖惩, document 3 art. 6–8): R-6.1 … R-6.3."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from aftersales.core.periods import Month


class Kind(StrEnum):
    """R-6.1 kinds of record (奖惩种类)."""

    COMMENDATION = "commendation"  # 嘉奖
    MERIT = "merit"  # 记功
    MAJOR_MERIT = "major_merit"  # 记大功
    WARNING = "warning"  # 警告
    DEMERIT = "demerit"  # 记过
    MAJOR_DEMERIT = "major_demerit"  # 记大过
    REMOVAL = "removal"  # 解职: no points
    DISMISSAL = "dismissal"  # 解雇: no points


# points on the score of the month the record takes effect
POINTS: Mapping[Kind, int] = {
    Kind.COMMENDATION: 1,
    Kind.MERIT: 3,
    Kind.MAJOR_MERIT: 9,
    Kind.WARNING: -1,
    Kind.DEMERIT: -3,
    Kind.MAJOR_DEMERIT: -9,
}
POINT_KINDS = tuple(POINTS)
DISMISSAL_MAJOR_DEMERITS = 3  # 全年度累计三次大过解雇
CONVERSION = 3  # 三次记功 = 一次大功, 三次记过 = 一次大过


@dataclass(frozen=True)
class Record:
    kind: Kind
    effective: date  # the day the record takes effect


def monthly_points(records: Iterable[Record]) -> dict[Month, int]:
    """R-6.2 points per month, for the months with a point-carrying record."""
    points: dict[Month, int] = {}
    for record in records:
        if record.kind in POINTS:
            month = Month.of(record.effective)
            points[month] = points.get(month, 0) + POINTS[record.kind]
    return dict(sorted(points.items()))


@dataclass(frozen=True)
class Standing:
    """R-6.3 a calendar year's standing after offsets and conversions; one side per level is zero."""

    net: Mapping[Kind, int]
    dismissal_case: bool  # ≥ 3 major demerits remain: an HR case, not an automatic act


def _offset(good: int, bad: int) -> tuple[int, int]:
    """One for one (功过相抵): whichever side is larger keeps the difference."""
    return max(good - bad, 0), max(bad - good, 0)


def yearly_standing(counts: Mapping[Kind, int]) -> Standing:
    """R-6.3 level by level: offsets at each level, 3 → 1 conversions after level 2; none crosses back."""
    commendations, warnings = _offset(counts.get(Kind.COMMENDATION, 0), counts.get(Kind.WARNING, 0))
    merits, demerits = _offset(counts.get(Kind.MERIT, 0), counts.get(Kind.DEMERIT, 0))
    major_merits = counts.get(Kind.MAJOR_MERIT, 0) + merits // CONVERSION
    major_demerits = counts.get(Kind.MAJOR_DEMERIT, 0) + demerits // CONVERSION
    major_merits, major_demerits = _offset(major_merits, major_demerits)
    net = {
        Kind.COMMENDATION: commendations,
        Kind.WARNING: warnings,
        Kind.MERIT: merits % CONVERSION,
        Kind.DEMERIT: demerits % CONVERSION,
        Kind.MAJOR_MERIT: major_merits,
        Kind.MAJOR_DEMERIT: major_demerits,
    }
    return Standing(net, major_demerits >= DISMISSAL_MAJOR_DEMERITS)


def standings_by_year(records: Iterable[Record]) -> dict[int, Standing]:
    """R-6.3 standing of each calendar year that has a point-carrying record."""
    per_year: dict[int, Counter[Kind]] = {}
    for record in records:
        if record.kind in POINTS:
            per_year.setdefault(record.effective.year, Counter())[record.kind] += 1
    return {year: yearly_standing(per_year[year]) for year in sorted(per_year)}
