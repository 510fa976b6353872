"""Reads of the repair area (SPEC §10): jobs in scope, and the monthly KPIs with their evidence.

The rules are ``aftersales.core.repair_kpis`` (R-10.2, R-10.3, R-3.4); this module only converts
jobs to the core's objects and back. The evidence (which jobs count for which figure) is asked of
the same core functions, job by job, so that there is one place for each rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.core import repair_kpis as rules
from aftersales.core.forms import Item, band_for_rate
from aftersales.core.periods import Month
from aftersales.formdefs.selectors import template_in_force
from aftersales.organisation.access import (
    AnyUser,
    Who,
    employee_of,
    employees_visible_to,
    headed_departments,
    is_company_wide,
)
from aftersales.organisation.models import Category, Employee
from aftersales.repair.models import RepairJob

# The return window of the second-repair rate, a setting.
WINDOW_DAYS: int = getattr(settings, "AFTERSALES_REPAIR_RETURN_WINDOW_DAYS", rules.DEFAULT_WINDOW_DAYS)
# The measures of the repair form's band sections (core.builtin_forms, form 4.3).
SEVEN_DAY_MEASURE = "seven_day_completion_rate"
SECOND_REPAIR_MEASURE = "second_repair_rate"


# ---------------------------------------------------------------------------------------------
# Scope


def technicians() -> QuerySet[Employee]:
    """Repair staff (返修类) who lead nobody: the lead of the repair group is not compared with them."""
    leaders = Employee.objects.filter(supervisor__isnull=False).values("supervisor_id")
    return Employee.objects.filter(category=Category.REPAIR).exclude(pk__in=leaders)


def technicians_visible_to(user: Who) -> QuerySet[Employee]:
    return technicians().filter(pk__in=employees_visible_to(user).values("pk"))


def technicians_assignable_by(user: AnyUser) -> QuerySet[Employee]:
    """Technicians ``user`` may register jobs for: themself, their team, their department's."""
    me = employee_of(user)
    if me is None:
        return Employee.objects.none()
    mine = Q(pk=me.pk) | Q(supervisor=me) | Q(department_id__in=headed_departments(user))
    return technicians().filter(mine)


def reaches_repair(user: Who) -> bool:
    """The repair area is for the repair team, its lead, the head and HR."""
    return is_company_wide(user) or technicians_visible_to(user).exists()


def jobs_visible_to(user: AnyUser) -> QuerySet[RepairJob]:
    jobs = RepairJob.objects.filter(technician__in=employees_visible_to(user).values("pk"))
    return jobs.select_related("technician")


def job_list(
    *, user: AnyUser, status: str = "", unit: str = "", technician: int | None = None
) -> QuerySet[RepairJob]:
    jobs = jobs_visible_to(user)
    if status == "open":
        jobs = jobs.filter(completed_at__isnull=True)
    elif status == "completed":
        jobs = jobs.filter(completed_at__isnull=False)
    if unit:
        jobs = jobs.filter(unit_serial__icontains=unit)
    if technician is not None:
        jobs = jobs.filter(technician_id=technician)
    return jobs


def get_job_for_user(user: AnyUser, pk: int) -> RepairJob:
    try:
        return jobs_visible_to(user).select_related("created_by").get(pk=pk)
    except RepairJob.DoesNotExist:
        raise Http404 from None


def team_of(technician: Employee) -> QuerySet[Employee]:
    """The repair team a technician is compared within (R-3.4): the repair staff of one lead."""
    return technicians().filter(supervisor_id=technician.supervisor_id)


# ---------------------------------------------------------------------------------------------
# KPIs


@dataclass(frozen=True)
class Band:
    """The band of form 4.3 a rate falls in (R-2.2): its text and deduction."""

    code: str
    text: str
    deduction: Decimal


@dataclass(frozen=True)
class RepairKpis:
    """A technician's month: the two rates, their bands, the pairwise ranking, and the evidence.

    Rates are percent, None when not applicable (no deduction). Evidence lists job ids:
    ``seven_day_jobs`` are the jobs whose 7-day deadline fell in the month (the denominator),
    ``on_time_jobs`` those completed within 7 × 24 h; ``completed_jobs`` the jobs completed in the
    month (the denominator of the second-repair rate), ``returned_jobs`` the technician's earlier
    repairs whose unit came back in the month within the return window (二次返修).
    """

    employee: Employee
    month: Month
    seven_day_rate: Decimal | None
    second_repair_rate: Decimal | None
    seven_day_band: Band | None
    second_repair_band: Band | None
    points: Decimal
    rank: int
    team_size: int
    seven_day_jobs: tuple[int, ...] = ()
    on_time_jobs: tuple[int, ...] = ()
    completed_jobs: tuple[int, ...] = ()
    returned_jobs: tuple[int, ...] = ()
    returns_charged: int = 0

    @property
    def evidence_job_ids(self) -> tuple[int, ...]:
        """Every job behind the figures."""
        ids = self.seven_day_jobs + self.completed_jobs + self.returned_jobs
        return tuple(sorted(set(ids)))


def _month_jobs(month: Month) -> list[RepairJob]:
    """Every job a KPI of ``month`` can depend on (one query): jobs received before the month ends
    that are open or were completed within the return window (or 7 days) before it began."""
    earliest = month.start - timedelta(days=max(WINDOW_DAYS, rules.SEVEN_DAYS.days))
    relevant = Q(completed_at__gte=earliest) | Q(completed_at__isnull=True, received_at__gte=earliest)
    return list(RepairJob.objects.filter(relevant, received_at__lt=month.end).order_by("received_at", "pk"))


def _bands(measure: str, month: Month) -> Callable[[Decimal | None], Band | None]:
    """The band lookup of one section of the repair form (form 4.3, R-2.2) in the version in force
    in ``month`` (a version published from a later month on leaves this month's bands alone)."""
    template = template_in_force(code="repair", month=month)
    section = next((s for s in template.sections if s.measure == measure), None) if template else None

    def band(rate: Decimal | None) -> Band | None:
        if rate is None or section is None:
            return None
        item: Item = band_for_rate(section, rate)
        return Band(item.code, item.text, item.deduction)

    return band


def _job_evidence(
    jobs: Sequence[RepairJob], month: Month, as_of: datetime
) -> dict[str, dict[int, list[int]]]:
    """Which jobs count for which figure, asked of the core one job at a time."""
    evidence: dict[str, dict[int, list[int]]] = {"due": {}, "on_time": {}, "completed": {}, "returned": {}}
    for job in jobs:
        one = [job.to_domain(technician="x")]
        due = rules.seven_day_rate(one, "x", month, as_of=as_of)
        if due is not None:
            evidence["due"].setdefault(job.technician_id, []).append(job.pk)
            if due > 0:
                evidence["on_time"].setdefault(job.technician_id, []).append(job.pk)
        if rules.second_repair_rate(one, "x", month, {}) is not None:
            evidence["completed"].setdefault(job.technician_id, []).append(job.pk)
    # Label every job by its id: the core then charges each return to the earlier job itself.
    charged = rules.charged_returns(
        [job.to_domain(technician=str(job.pk)) for job in jobs], month, WINDOW_DAYS
    )
    by_id = {job.pk: job for job in jobs}
    for job_id in charged:
        earlier = by_id[int(job_id)]
        evidence["returned"].setdefault(earlier.technician_id, []).append(earlier.pk)
    return evidence


def team_kpis(team: Sequence[Employee], month: Month) -> dict[int, RepairKpis]:
    """The KPIs of every member of a repair team for ``month``, ranked pairwise within the team. Read
    before the month is over, an open job whose 7-day deadline is still ahead is not late (R-10.2)."""
    jobs = _month_jobs(month)
    now = timezone.now()
    kpis = rules.technician_kpis([job.to_domain() for job in jobs], month, WINDOW_DAYS, as_of=now)
    returns = rules.charged_returns([job.to_domain() for job in jobs], month, WINDOW_DAYS)
    members = {str(m.pk): kpis.get(str(m.pk), rules.TechnicianKpis(None, None)) for m in team}
    ranking = rules.pairwise_ranking(members)
    evidence = _job_evidence(jobs, month, now)
    seven_day_band = _bands(SEVEN_DAY_MEASURE, month)
    second_repair_band = _bands(SECOND_REPAIR_MEASURE, month)
    result = {}
    for member in team:
        mine = members[str(member.pk)]
        result[member.pk] = RepairKpis(
            employee=member,
            month=month,
            seven_day_rate=mine.seven_day_rate,
            second_repair_rate=mine.second_repair_rate,
            seven_day_band=seven_day_band(mine.seven_day_rate),
            second_repair_band=second_repair_band(mine.second_repair_rate),
            points=ranking[str(member.pk)].points,
            rank=ranking[str(member.pk)].rank,
            team_size=len(team),
            seven_day_jobs=tuple(evidence["due"].get(member.pk, ())),
            on_time_jobs=tuple(evidence["on_time"].get(member.pk, ())),
            completed_jobs=tuple(evidence["completed"].get(member.pk, ())),
            returned_jobs=tuple(evidence["returned"].get(member.pk, ())),
            returns_charged=returns.get(str(member.pk), 0),
        )
    return result


def repair_kpis_for(employee: Employee, year: int, month: int) -> RepairKpis:
    """§11 selector: a repair technician's KPIs for the month (rates, bands, rank, evidence job ids)."""
    return team_kpis(list(team_of(employee).order_by("number")), Month(year, month))[employee.pk]


def kpi_teams(*, user: AnyUser, month: Month) -> list[list[RepairKpis]]:
    """The repair teams ``user`` sees, each as the rows ``user`` may see (a technician: only their own)."""
    visible = list(technicians_visible_to(user).filter(supervisor__isnull=False).order_by("number"))
    leads = dict.fromkeys(member.supervisor_id for member in visible)
    teams = []
    for lead_id in leads:
        team = list(technicians().filter(supervisor_id=lead_id).order_by("number"))
        rows = team_kpis(team, month)
        teams.append([rows[m.pk] for m in visible if m.pk in rows])
    return [rows for rows in teams if rows]
