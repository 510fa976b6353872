"""Deadlines of the field records behind the form items (SPEC §11; docs/rules.md, "Field records").

The source names the records (服务月报, 用户质量信息通报, 区域工作总结, 客户走访, 营销/竞争对手信息,
考勤, 有偿服务 §3.3.4, 较大问题汇报 §3.4.2, 报销 §3.4.3) but gives no due dates; the decisions are
here, each day count a setting:

- a monthly report (服务月报, 用户质量信息通报, 区域月度工作总结) of month M is due by the 5th of M+1;
  the annual regional summary of year Y by 15 January of Y+1;
- a report counts in the appraisal of the month its due date falls in (like R-10.2's 7-day deadline);
- a larger problem (较大问题) is reported to the leader within 24 h of being found;
- money of a paid service is handed in within 7 days of being charged, and the charge needs the
  leader's approval first (有偿服务需经领导同意, 回公司后如数上缴);
- an expense claim settles the travel advance within 10 days of the return (返回单位后 … 报销).

Plain Python: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

MONTHLY_DUE_DAY: Final = 5
ANNUAL_DUE_DAY: Final = 15
ESCALATION_HOURS: Final = 24
HAND_IN_DAYS: Final = 7
CLAIM_DAYS: Final = 10
ANNUAL: Final = "region_annual"


def report_due(
    kind: str, year: int, month: int, *, monthly_day: int = MONTHLY_DUE_DAY, annual_day: int = ANNUAL_DUE_DAY
) -> date:
    """The due date of the report of ``kind`` for month ``month`` of ``year`` (annual: the year)."""
    if kind == ANNUAL:
        return date(year + 1, 1, annual_day)
    return date(year + month // 12, month % 12 + 1, monthly_day)


def report_periods_due_in(year: int, month: int) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """The monthly period whose report falls due in ``year-month`` (the month before), and the year
    whose annual summary falls due then (January only)."""
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    return previous, ((year - 1, 12) if month == 1 else None)


def submitted_late(submitted: date | None, due: date) -> bool:
    """Missing (``None``) or handed in after the due date."""
    return submitted is None or submitted > due


def shortfall(count: int, minimum: int) -> int:
    """How many records are missing to reach the month's minimum (0: enough)."""
    return max(0, minimum - count)


def escalated_late(found_at: datetime, reported_at: datetime, hours: int = ESCALATION_HOURS) -> bool:
    """A larger problem reported to the leader more than ``hours`` after it was found (§3.4.2)."""
    return reported_at - found_at > timedelta(hours=hours)


@dataclass(frozen=True)
class PaidServiceFacts:
    """A paid service (有偿服务, §3.3.4): when it was charged and approved, what was handed in."""

    amount: Decimal
    charged_on: date
    approved_on: date | None
    handed_in: Decimal
    handed_in_on: date | None


def paid_service_breaches(facts: PaidServiceFacts, today: date, days: int = HAND_IN_DAYS) -> tuple[str, ...]:
    """What breaks §3.3.4: ``unapproved`` (charged with no approval, or before it), ``not_handed_in``
    (less than the amount handed in once ``days`` have passed since the charge, or handed in late)."""
    found = []
    if facts.approved_on is None or facts.approved_on > facts.charged_on:
        found.append("unapproved")
    deadline = facts.charged_on + timedelta(days=days)
    short = facts.handed_in < facts.amount
    late = facts.handed_in_on is not None and facts.handed_in_on > deadline
    if (short and today > deadline) or late:
        found.append("not_handed_in")
    return tuple(found)


def claim_deadline(returned_on: date, days: int = CLAIM_DAYS) -> date:
    """The last day to claim the expenses of a trip and settle its advance (§3.4.3)."""
    return returned_on + timedelta(days=days)
