"""Response deadlines of service requests (服务响应时限) and service timeliness (服务及时率): R-8.2."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from aftersales.core.errors import RuleError


class Fault(StrEnum):
    BODY = "body"  # 车身故障
    CHASSIS_ENGINE = "chassis_engine"  # 底盘发动机故障
    OTHER = "other"


class Milestone(StrEnum):
    ON_SITE = "on_site"  # 到达现场
    REPLY = "reply"  # 答复用户
    WRITTEN_CONTACT = "written_contact"  # 书面联系


@dataclass(frozen=True)
class SlaSettings:
    """The hours and the distance of R-8.2, as settings."""

    near_km: Decimal = Decimal(100)  # a body-fault site at most this far is "near"
    on_site_hours: int = 24  # near body fault, no supplier
    reply_hours: int = 12  # far body fault or supplier needed
    written_contact_hours: int = 12  # chassis or engine fault
    other_reply_hours: int = 12  # anything else (decision)


@dataclass(frozen=True)
class Deadline:
    milestone: Milestone
    due: datetime


def _required(
    fault: Fault, distance_km: Decimal | None, needs_supplier: bool, settings: SlaSettings
) -> tuple[Milestone, int]:
    if fault is Fault.CHASSIS_ENGINE:
        return Milestone.WRITTEN_CONTACT, settings.written_contact_hours
    if fault is Fault.OTHER:
        return Milestone.REPLY, settings.other_reply_hours
    if needs_supplier:
        return Milestone.REPLY, settings.reply_hours
    if distance_km is None:
        raise RuleError("a body fault without a supplier needs the site distance", "distance_km")
    if distance_km <= settings.near_km:
        return Milestone.ON_SITE, settings.on_site_hours
    return Milestone.REPLY, settings.reply_hours


def response_deadline(
    fault: Fault,
    received_at: datetime,
    *,
    distance_km: Decimal | None = None,
    needs_supplier: bool = False,
    settings: SlaSettings | None = None,
) -> Deadline:
    """R-8.2: which milestone is due, and by when, counted from the time the request is received."""
    milestone, hours = _required(fault, distance_km, needs_supplier, settings or SlaSettings())
    return Deadline(milestone, received_at + timedelta(hours=hours))


def deadline_met(deadline: Deadline, milestones: Mapping[Milestone, datetime]) -> bool | None:
    """Met when the required milestone's time ≤ the deadline; None while it has not happened."""
    reached = milestones.get(deadline.milestone)
    return None if reached is None else reached <= deadline.due


def timeliness_rate(
    requests: Iterable[tuple[Deadline, Mapping[Milestone, datetime]]], start: datetime, end: datetime
) -> Decimal | None:
    """服务及时率 in percent: met / requests whose deadline fell in [start, end); open ones count as missed.

    None when no deadline fell in the period.
    """
    due = [deadline_met(deadline, reached) for deadline, reached in requests if start <= deadline.due < end]
    if not due:
        return None
    return Decimal(sum(1 for met in due if met)) * 100 / len(due)
