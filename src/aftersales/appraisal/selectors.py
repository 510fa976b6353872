"""Reading appraisals: what a user may see (R-1.1), what waits for them, what is overdue (SPEC §4).

Lists filter in the queryset and preload their relations, so the number of queries does not grow
with the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.appraisal.models import Agreement, Appeal, Appraisal, Period, State, Transition
from aftersales.appraisal.permissions import acting_employee, headed_departments, is_hr
from aftersales.organisation.access import AnyUser, employees_visible_to, is_company_wide

# The steps due by the period's review day (10th of M+1), and those due by its archive day (20th).
REVIEW_STEPS = (State.DRAFT, State.SELF_REPORTED, State.RETURNED, State.SCORED, State.REVIEWED)
ARCHIVE_STEPS = (State.APPEALED, State.CONFIRMED)
PENDING = REVIEW_STEPS + ARCHIVE_STEPS


def appraisals_visible_to(user: AnyUser) -> QuerySet[Appraisal]:
    """Every version of the appraisals of the employees ``user`` may see."""
    queryset = Appraisal.objects.select_related(
        "period", "period__department", "employee", "employee__department", "employee__supervisor"
    )
    if is_company_wide(user):
        return queryset
    return queryset.filter(employee__in=employees_visible_to(user).values("pk"))


def get_appraisal_for_user(user: AnyUser, pk: int) -> Appraisal:
    """The appraisal if ``user`` may see it, else 404 (R-1.1)."""
    try:
        return appraisals_visible_to(user).get(pk=pk)
    except Appraisal.DoesNotExist:
        raise Http404 from None


def get_agreement_for_user(user: AnyUser, pk: int) -> Agreement:
    queryset = Agreement.objects.select_related(
        "period", "employee", "employee__supervisor"
    ).prefetch_related("goals")
    if not is_company_wide(user):
        queryset = queryset.filter(employee__in=employees_visible_to(user).values("pk"))
    try:
        return queryset.get(pk=pk)
    except Agreement.DoesNotExist:
        raise Http404 from None


def get_appeal_for_user(user: AnyUser, pk: int) -> Appeal:
    try:
        return Appeal.objects.select_related("appraisal").get(
            pk=pk, appraisal__in=appraisals_visible_to(user).values("pk")
        )
    except Appeal.DoesNotExist:
        raise Http404 from None


def periods_visible_to(user: AnyUser) -> QuerySet[Period]:
    """HR: every period; others: the periods of the appraisals they may see."""
    queryset = Period.objects.select_related("department", "opened_by")
    if is_company_wide(user):
        return queryset
    return queryset.filter(appraisals__in=appraisals_visible_to(user).values("pk")).distinct()


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
    for period in Period.objects.filter(status=Period.Status.OPEN).only(
        "year", "month", "review_day", "archive_day"
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


@dataclass
class Dashboard:
    """Querysets of what waits for a person, by step; ``overdue`` is everything late they can see."""

    to_self_report: QuerySet[Appraisal]
    to_confirm: QuerySet[Appraisal]
    to_score: QuerySet[Appraisal]
    to_review: QuerySet[Appraisal]
    to_archive: QuerySet[Appraisal]
    appeals: QuerySet[Appeal]
    agreements_to_sign: QuerySet[Agreement]
    overdue: QuerySet[Appraisal]
    notifications: list[Any] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        lists = (self.to_self_report, self.to_confirm, self.to_score, self.to_review, self.to_archive)
        return not any(lists) and not self.appeals and not self.agreements_to_sign and not self.overdue


def dashboard_for(user: AnyUser, today: date | None = None) -> Dashboard:
    me = acting_employee(user)
    current = appraisals_visible_to(user).filter(is_current=True)
    none = current.none()
    mine = current.filter(employee=me) if me else none
    team = current.filter(employee__supervisor=me) if me else none
    heads = headed_departments(user)
    hr = is_hr(user)
    return Dashboard(
        to_self_report=mine.filter(state=State.DRAFT),
        to_confirm=mine.filter(state=State.REVIEWED),
        to_score=team.filter(state__in=(State.SELF_REPORTED, State.RETURNED)),
        to_review=current.filter(employee__department_id__in=heads, state=State.SCORED) if heads else none,
        to_archive=current.filter(state=State.CONFIRMED) if hr else none,
        appeals=Appeal.objects.filter(status=Appeal.Status.FILED).select_related(
            "appraisal__employee", "appraisal__period"
        )
        if hr
        else Appeal.objects.none(),
        agreements_to_sign=_agreements_to_sign(user),
        overdue=current.filter(overdue_filter(today or today_local())),
    )


def _agreements_to_sign(user: AnyUser) -> QuerySet[Agreement]:
    me = acting_employee(user)
    if me is None:
        return Agreement.objects.none()
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
