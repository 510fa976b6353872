"""Reading appraisals: what a user may see (R-1.1), what waits for them, what is overdue (SPEC §4).

Lists filter in the queryset and preload their relations, so the number of queries does not grow
with the rows.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date
from functools import reduce
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.appraisal.models import Agreement, Appeal, Appraisal, Period, State, Transition
from aftersales.appraisal.permissions import acting_employee, headed_departments, is_hr, may_take
from aftersales.organisation import roles
from aftersales.organisation.access import Who, employees_visible_to, is_company_wide, viewer_for
from aftersales.organisation.models import Department, Employee
from aftersales.ui.years import years_spanned

# The steps due by the period's review day (10th of M+1), and those due by its archive day (20th).
REVIEW_STEPS = (State.DRAFT, State.SELF_REPORTED, State.RETURNED, State.SCORED, State.REVIEWED)
ARCHIVE_STEPS = (State.APPEALED, State.CONFIRMED)
PENDING = REVIEW_STEPS + ARCHIVE_STEPS


def employee_scope(user: Who) -> QuerySet[Any]:
    """The ids of the employees ``user`` may see, as a subquery (from the request's viewer)."""
    return employees_visible_to(user).values("pk")


def appraisals_visible_to(user: Who) -> QuerySet[Appraisal]:
    """Every version of the appraisals of the employees ``user`` may see."""
    queryset = Appraisal.objects.select_related(
        "period", "period__department", "employee", "employee__department", "employee__supervisor"
    )
    if is_company_wide(user):
        return queryset
    return queryset.filter(reduce(operator.or_, _ways_of_seeing(user)))


def _ways_of_seeing(user: Who) -> list[Q]:
    """The appraisals of the employees in ``user``'s scope; those passed on to them."""
    return [Q(employee__in=employee_scope(user)), _passed_on_to(user)]


def _passed_on_to(user: Who) -> Q:
    """Forms that may pass on to ``user`` as head of the scorer's department (R-4.1): those of
    department heads and HR staff whose direct supervisor works in a department ``user`` heads."""
    heads = headed_departments(user)
    if not heads:
        return Q(pk__in=[])
    subjects = Employee.objects.filter(
        Q(pk__in=Department.objects.filter(head__isnull=False).values("head_id"))
        | Q(user__groups__name=roles.HR)
    ).values("pk")
    return Q(employee__supervisor__department_id__in=heads, employee_id__in=subjects)


def get_appraisal_for_user(user: Who, pk: int) -> Appraisal:
    """The appraisal if ``user`` may see it, else 404 (R-1.1)."""
    try:
        return appraisals_visible_to(user).get(pk=pk)
    except Appraisal.DoesNotExist:
        raise Http404 from None


def get_agreement_for_user(user: Who, pk: int) -> Agreement:
    queryset = Agreement.objects.select_related(
        "period", "employee", "employee__supervisor"
    ).prefetch_related("goals")
    if not is_company_wide(user):
        queryset = queryset.filter(employee__in=employee_scope(user))
    try:
        return queryset.get(pk=pk)
    except Agreement.DoesNotExist:
        raise Http404 from None


def get_appeal_for_user(user: Who, pk: int) -> Appeal:
    try:
        return Appeal.objects.select_related("appraisal").get(
            pk=pk, appraisal__in=appraisals_visible_to(user).values("pk")
        )
    except Appeal.DoesNotExist:
        raise Http404 from None


PERIOD_ORDER = ("-year", "-month", "department__code", "pk")


def periods_visible_to(user: Who) -> QuerySet[Period]:
    """HR: every period; others: the periods of the appraisals they may see — newest month first, then
    by department. The order is explicit: Meta.ordering does not apply once a list is annotated with
    counts (a GROUP BY query), as the period list is."""
    queryset = Period.objects.select_related("department", "opened_by").order_by(*PERIOD_ORDER)
    if is_company_wide(user):
        return queryset
    # one subquery per way of seeing an appraisal: each reads the appraisals through an index (by
    # employee), where their OR in one subquery made the database read every appraisal of the history
    ways = [Q(pk__in=Appraisal.objects.filter(way).values("period_id")) for way in _ways_of_seeing(user)]
    return queryset.filter(reduce(operator.or_, ways))


@dataclass(frozen=True)
class MonthChoice:
    """The month a list shows (issue 11: a list defaults to one month, so it does not grow with
    history): ``year``/``month`` None means every month; ``years`` are those that have periods."""

    year: int | None
    month: int | None
    years: list[int]


def month_choice(user: Who, raw_year: str, raw_month: str, *, default_latest: bool) -> MonthChoice:
    """Read the list's year and month filters; without any, the latest month the user has a period
    in (index seeks on the period table, whatever the number of appraisals or years)."""
    periods = periods_visible_to(user)
    years = years_spanned(periods, "year")
    year = int(raw_year) if raw_year.isdigit() else None
    month = int(raw_month) if raw_month.isdigit() and 1 <= int(raw_month) <= 12 else None
    if raw_year == "" and raw_month == "" and default_latest:
        latest = periods.order_by("-year", "-month").values_list("year", "month").first()
        if latest is not None:
            year, month = latest
    return MonthChoice(year, month, years)


def departments_of_periods(user: Who) -> QuerySet[Department]:
    """The departments the user's periods belong to (the list's department filter)."""
    if is_company_wide(user):
        return Department.objects.filter(parent__isnull=True).order_by("code")
    ids = periods_visible_to(user).order_by().values("department_id")
    return Department.objects.filter(pk__in=ids).order_by("code")


def versions_of(appraisal: Appraisal) -> QuerySet[Appraisal]:
    """All versions of an employee's appraisal for the month, oldest first (R-4.3)."""
    return Appraisal.objects.filter(
        period_id=appraisal.period_id, employee_id=appraisal.employee_id
    ).order_by("version")


def history_of(appraisal: Appraisal) -> QuerySet[Transition]:
    """The transitions of every version, in order, with who took them (R-4.1)."""
    return (
        Transition.objects.filter(
            appraisal__period_id=appraisal.period_id, appraisal__employee_id=appraisal.employee_id
        )
        .select_related("actor", "appraisal")
        .order_by("at", "pk")
    )


def agreement_of(appraisal: Appraisal) -> Agreement | None:
    return (
        Agreement.objects.filter(period_id=appraisal.period_id, employee_id=appraisal.employee_id)
        .prefetch_related("goals")
        .first()
    )


def appeals_of(appraisal: Appraisal) -> QuerySet[Appeal]:
    return Appeal.objects.filter(
        appraisal__period_id=appraisal.period_id, appraisal__employee_id=appraisal.employee_id
    ).select_related("decided_by", "appraisal", "resulting_version")


# ---------------------------------------------------------------------------------------------
# Deadlines and overdue lists


def deadline_of(appraisal: Appraisal) -> date | None:
    """The day the appraisal's pending step is due: the review day, or the archive day."""
    if appraisal.state in REVIEW_STEPS:
        return appraisal.period.review_deadline
    if appraisal.state in ARCHIVE_STEPS:
        return appraisal.period.archive_deadline
    return None


def overdue_filter(today: date) -> Q:
    """Current appraisals of open periods whose pending step is past its deadline."""
    review_late, archive_late = [], []
    for period in (
        Period.objects.filter(status=Period.Status.OPEN)
        .order_by()
        .only("year", "month", "review_day", "archive_day")
    ):
        if period.review_deadline < today:
            review_late.append(period.pk)
        if period.archive_deadline < today:
            archive_late.append(period.pk)
    return Q(is_current=True) & (
        Q(period_id__in=review_late, state__in=REVIEW_STEPS)
        | Q(period_id__in=archive_late, state__in=ARCHIVE_STEPS)
    )


def today_local() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------
# The role dashboard: what waits for this person


@dataclass(frozen=True)
class Box:
    """One list of the dashboard: what waits for the person at one step."""

    key: str
    title: str
    icon: str
    colour: str
    items: list[Any]
    more: str = ""


def dashboard_for(user: Who, today: date | None = None) -> list[Box]:
    """What waits for this person, by step; a box shows only to those who can have items in it."""
    me = acting_employee(user)
    current = appraisals_visible_to(user).filter(is_current=True)
    index = reverse("appraisal:index")
    boxes = []
    if me is not None:
        mine = current.filter(employee=me)
        boxes += [
            Box(
                "self-report", _("待我自评"), "bi-pencil-square", "info", list(mine.filter(state=State.DRAFT))
            ),
            Box(
                "confirm",
                _("待我确认"),
                "bi-hand-thumbs-up",
                "success",
                list(mine.filter(state=State.REVIEWED)),
            ),
        ]
        agreements = list(_agreements_to_sign(me))
        if agreements:
            boxes.append(Box("agreements", _("待签绩效协议"), "bi-pen", "warning", agreements))
    if me is not None and viewer_for(user).has_reports:
        team = current.filter(employee__supervisor=me, state__in=(State.SELF_REPORTED, State.RETURNED))
        boxes.append(Box("score", _("待我评分"), "bi-check2-square", "primary", list(team)))
    heads = headed_departments(user)
    if heads:
        scored = current.filter(state=State.SCORED).filter(
            Q(employee__department_id__in=heads) | _passed_on_to(user)
        )
        review = [a for a in scored if may_take(user, a, "review")]  # not one's own
        boxes.append(
            Box(
                "review",
                _("待我审核"),
                "bi-clipboard-check",
                "primary",
                review,
                f"{index}?state=scored",
            )
        )
    if is_hr(user):
        filed = Appeal.objects.filter(status=Appeal.Status.FILED).select_related(
            "appraisal__employee", "appraisal__period"
        )
        appeals = [a for a in filed if may_take(user, a.appraisal, "decide_appeal")]
        archive = [a for a in current.filter(state=State.CONFIRMED) if may_take(user, a, "archive")]
        boxes += [
            Box(
                "appeals",
                _("待处理申诉"),
                "bi-exclamation-octagon",
                "danger",
                appeals,
                f"{index}?state=appealed",
            ),
            Box("archive", _("待归档"), "bi-archive", "dark", archive, f"{index}?state=confirmed"),
        ]
    overdue = current.filter(overdue_filter(today or today_local()))
    boxes.append(Box("overdue", _("逾期未完成"), "bi-alarm", "danger", list(overdue), f"{index}?overdue=1"))
    return boxes


def _agreements_to_sign(me: Employee) -> QuerySet[Agreement]:
    """Agreements of open periods that wait for ``me``'s signature while they can still be signed."""
    return (
        Agreement.objects.filter(period__status=Period.Status.OPEN)
        .filter(
            Q(employee=me, employee_signed_at__isnull=True)
            | Q(employee__supervisor=me, supervisor_signed_at__isnull=True)
        )
        .filter(
            employee__appraisals__period_id=F("period_id"),
            employee__appraisals__is_current=True,
            employee__appraisals__state__in=(State.DRAFT, State.SELF_REPORTED),
        )
        .select_related("period", "employee")
    )
