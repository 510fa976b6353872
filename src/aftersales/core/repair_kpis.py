"""Repair KPIs (返修考核指标): R-10.2, R-10.3 and the paired comparison (配对比较法) of R-3.4."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import combinations

from aftersales.core.errors import RuleError
from aftersales.core.periods import Month

SEVEN_DAYS = timedelta(days=7)  # "within 7 days" = at most 7 × 24 h after receipt
DEFAULT_WINDOW_DAYS = 90  # return window of the second-repair rate
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class RepairJob:
    """R-10.1 a repair job (返修单)."""

    unit: str  # serial number of the repaired unit
    technician: str
    received_at: datetime
    completed_at: datetime | None  # None while still open

    def __post_init__(self) -> None:
        if self.completed_at is not None and self.completed_at < self.received_at:
            raise RuleError("a repair cannot be completed before it was received", "completed_at")

    @property
    def seven_day_deadline(self) -> datetime:
        return self.received_at + SEVEN_DAYS


def _percent(count: int, total: int) -> Decimal:
    return Decimal(count) * HUNDRED / total


def seven_day_rate(
    jobs: Sequence[RepairJob], technician: str, month: Month, *, as_of: datetime | None = None
) -> Decimal | None:
    """R-10.2 七日返修完成率: on-time jobs / the technician's jobs whose 7-day deadline fell in the month.

    A job not completed counts as late — once its deadline has passed: seen ``as_of`` a moment
    before the month is over, an open job whose deadline is still ahead is not due yet and is left
    out (it is neither late nor on time). None (not applicable) when no deadline fell in the month.
    """
    due = [
        j
        for j in jobs
        if j.technician == technician and month.contains(j.seven_day_deadline) and not _not_yet_due(j, as_of)
    ]
    if not due:
        return None
    on_time = sum(1 for j in due if j.completed_at is not None and j.completed_at <= j.seven_day_deadline)
    return _percent(on_time, len(due))


def _not_yet_due(job: RepairJob, as_of: datetime | None) -> bool:
    """Still open at ``as_of`` with its 7-day deadline after it."""
    if as_of is None or job.seven_day_deadline <= as_of:
        return False
    return job.completed_at is None or job.completed_at > as_of


def _previous_completion(unit_jobs: Sequence[RepairJob], job: RepairJob) -> tuple[datetime, str] | None:
    """Completion time and technician of the unit's latest repair completed before ``job`` was received.

    On equal completion times the repair listed last counts.
    """
    earlier = [
        (j.completed_at, index, j.technician)
        for index, j in enumerate(unit_jobs)
        if j.completed_at is not None and j.completed_at < job.received_at
    ]
    if not earlier:
        return None
    completed_at, _, technician = max(earlier)
    return completed_at, technician


def charged_returns(
    jobs: Sequence[RepairJob], month: Month, window_days: int = DEFAULT_WINDOW_DAYS
) -> Counter[str]:
    """R-10.3 returns (二次返修) received in the month, counted against the technician who did the
    unit's previous repair, when that was completed at most ``window_days`` before."""
    by_unit: dict[str, list[RepairJob]] = defaultdict(list)
    for job in jobs:
        by_unit[job.unit].append(job)
    charged: Counter[str] = Counter()
    for job in jobs:
        previous = _previous_completion(by_unit[job.unit], job) if month.contains(job.received_at) else None
        if previous is not None and job.received_at - previous[0] <= timedelta(days=window_days):
            charged[previous[1]] += 1
    return charged


def second_repair_rate(
    jobs: Sequence[RepairJob], technician: str, month: Month, returns: Mapping[str, int]
) -> Decimal | None:
    """R-10.3 二次返修率: returns charged to the technician (see :func:`charged_returns`) / jobs they
    completed in the month, capped at 100. None (not applicable) when they completed nothing."""
    completed = sum(
        1 for j in jobs if j.technician == technician and j.completed_at and month.contains(j.completed_at)
    )
    if not completed:
        return None
    return min(_percent(returns.get(technician, 0), completed), HUNDRED)


@dataclass(frozen=True)
class TechnicianKpis:
    seven_day_rate: Decimal | None
    second_repair_rate: Decimal | None


def _duel(mine: Decimal | None, theirs: Decimal | None, higher_wins: bool) -> Decimal:
    """Points of one KPI comparison: win 1, tie 0.5; nothing if either value is missing."""
    if mine is None or theirs is None:
        return Decimal(0)
    if mine == theirs:
        return Decimal("0.5")
    return Decimal(1) if (mine > theirs) == higher_wins else Decimal(0)


@dataclass(frozen=True)
class PairwiseResult:
    points: Decimal
    rank: int  # 1 is best; equal points share a rank (1, 2, 2, 4)


def pairwise_ranking(kpis: Mapping[str, TechnicianKpis]) -> dict[str, PairwiseResult]:
    """R-3.4 配对比较法: each pair compared on both KPIs, ranked by total points."""
    points = dict.fromkeys(kpis, Decimal(0))
    for one, other in combinations(kpis, 2):
        a, b = kpis[one], kpis[other]
        points[one] += _duel(a.seven_day_rate, b.seven_day_rate, higher_wins=True)
        points[one] += _duel(a.second_repair_rate, b.second_repair_rate, higher_wins=False)
        points[other] += _duel(b.seven_day_rate, a.seven_day_rate, higher_wins=True)
        points[other] += _duel(b.second_repair_rate, a.second_repair_rate, higher_wins=False)
    return {
        name: PairwiseResult(mine, 1 + sum(1 for theirs in points.values() if theirs > mine))
        for name, mine in points.items()
    }


def technician_kpis(
    jobs: Sequence[RepairJob],
    month: Month,
    window_days: int = DEFAULT_WINDOW_DAYS,
    *,
    as_of: datetime | None = None,
) -> dict[str, TechnicianKpis]:
    """Both KPIs for every technician named in the jobs, in order of first appearance (``as_of``:
    see ``seven_day_rate``)."""
    returns = charged_returns(jobs, month, window_days)
    return {
        name: TechnicianKpis(
            seven_day_rate(jobs, name, month, as_of=as_of), second_repair_rate(jobs, name, month, returns)
        )
        for name in dict.fromkeys(j.technician for j in jobs)
    }
