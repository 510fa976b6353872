"""Service targets and service facts (服务目标): R-8.1 rates, R-8.2 deadline states, R-8.7 incident deadlines.

Service timeliness itself is ``core.sla.timeliness_rate``; this module holds the other rates, the
verdicts against the targets, and the time rules around work orders, incidents and responses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from aftersales.core.errors import RuleError
from aftersales.core.sla import Deadline, Milestone, deadline_met

HUNDRED = Decimal(100)
SECONDS_PER_DAY = Decimal(86400)


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole in percent; None when there is nothing to count (the KPI does not apply)."""
    if part < 0 or whole < 0:
        raise RuleError("counts cannot be negative")
    if whole == 0:
        return None
    return Decimal(part) * HUNDRED / whole


# --- targets ---------------------------------------------------------------------------------


class Kpi(StrEnum):
    TIMELINESS = "timeliness"  # 服务及时率 ≥ 90 %
    SATISFACTION = "satisfaction"  # 用户满意程度 ≥ 85 %
    COMPLAINT_RATE = "complaint_rate"  # 用户抱怨率 < 3 %


@dataclass(frozen=True)
class Targets:
    """R-8.1, as settings: the two floors are inclusive, the complaint ceiling is strict."""

    timeliness: Decimal = Decimal(90)
    satisfaction: Decimal = Decimal(85)
    complaint_rate: Decimal = Decimal(3)
    satisfied_from: int = 4  # a survey score (1–5) at least this counts as satisfied


def meets_target(kpi: Kpi, value: Decimal | None, targets: Targets | None = None) -> bool | None:
    """Whether a rate meets its R-8.1 target; None when the rate does not apply."""
    if value is None:
        return None
    targets = targets or Targets()
    if kpi is Kpi.COMPLAINT_RATE:
        return value < targets.complaint_rate
    return value >= (targets.timeliness if kpi is Kpi.TIMELINESS else targets.satisfaction)


def satisfaction_rate(scores: Iterable[int], targets: Targets | None = None) -> Decimal | None:
    """用户满意程度: surveys scored at least ``satisfied_from`` / all surveys, in percent."""
    threshold = (targets or Targets()).satisfied_from
    scores = list(scores)
    if any(not 1 <= score <= 5 for score in scores):
        raise RuleError("a survey score is between 1 and 5")
    return percent(sum(1 for score in scores if score >= threshold), len(scores))


def complaint_rate(verified_complaints: int, orders: int) -> Decimal | None:
    """用户抱怨率: verified complaints the service is responsible for / work orders, in percent (R-8.6)."""
    return percent(verified_complaints, orders)


# --- the state of one deadline, for overdue and due-soon lists ---------------------------------


class DeadlineState(StrEnum):
    MET = "met"  # milestone reached in time
    LATE = "late"  # milestone reached after the deadline
    OVERDUE = "overdue"  # not reached and the deadline has passed
    DUE_SOON = "due_soon"  # not reached, the deadline is within the warning window
    OPEN = "open"  # not reached, time left


DUE_SOON = timedelta(hours=4)  # default warning window of the dispatcher's due-soon list


def deadline_state(
    deadline: Deadline,
    milestones: Mapping[Milestone, datetime],
    now: datetime,
    due_soon: timedelta = DUE_SOON,
) -> DeadlineState:
    met = deadline_met(deadline, milestones)
    if met is not None:
        return DeadlineState.MET if met else DeadlineState.LATE
    if now > deadline.due:
        return DeadlineState.OVERDUE
    return DeadlineState.DUE_SOON if deadline.due - now <= due_soon else DeadlineState.OPEN


# --- major incidents: phoned in within 24 h, special report within 48 h -------------------------


@dataclass(frozen=True)
class IncidentSettings:
    phone_hours: int = 24
    report_hours: int = 48


@dataclass(frozen=True)
class IncidentVerdict:
    phone_due: datetime
    report_due: datetime
    phone_late: bool | None  # None: not phoned yet and still in time
    report_late: bool | None

    @property
    def late(self) -> bool:
        """Late on either count — the 重大行车事故 item of forms 4.1 and 4.2."""
        return bool(self.phone_late or self.report_late)


def _late(done_at: datetime | None, due: datetime, now: datetime) -> bool | None:
    if done_at is not None:
        return done_at > due
    return True if now > due else None


def incident_verdict(
    occurred_at: datetime,
    phoned_at: datetime | None,
    reported_at: datetime | None,
    now: datetime,
    settings: IncidentSettings | None = None,
) -> IncidentVerdict:
    """Counted from the incident; a step not taken by its deadline is late even before it is taken."""
    settings = settings or IncidentSettings()
    phone_due = occurred_at + timedelta(hours=settings.phone_hours)
    report_due = occurred_at + timedelta(hours=settings.report_hours)
    return IncidentVerdict(
        phone_due, report_due, _late(phoned_at, phone_due, now), _late(reported_at, report_due, now)
    )


# --- Response times (form 4.5: 客户投诉处理, 网站信息/K3 数据库维护) -------------------------------------


def response_days(raised_at: datetime, answered_at: datetime) -> Decimal:
    """Days from an item being raised to its answer, to 0.01 day."""
    if answered_at < raised_at:
        raise RuleError("an answer cannot come before the item was raised", "answered_at")
    seconds = Decimal((answered_at - raised_at).total_seconds())
    return (seconds / SECONDS_PER_DAY).quantize(Decimal("0.01"))
