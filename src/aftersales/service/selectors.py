"""Reads of the service area: scoped lists, one access helper per object type, KPIs, §11 evidence.

Lists filter in the queryset (``access``) and preload their relations, so the number of queries does
not grow with the number of rows. ``get_<thing>_for_user`` returns the object or raises Http404.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from aftersales.core.periods import Month
from aftersales.core.service_kpis import (
    DUE_SOON,
    Kpi,
    complaint_rate,
    meets_target,
    response_days,
    satisfaction_rate,
)
from aftersales.core.sla import Milestone, timeliness_rate
from aftersales.organisation.access import AnyUser, employees_visible_to, headed_departments
from aftersales.organisation.models import Employee
from aftersales.service import access
from aftersales.service.models import (
    OPEN_STATUSES,
    Assignment,
    CallLogEntry,
    CheckIn,
    Complaint,
    ComplaintStatus,
    MajorIncident,
    OrderEvent,
    OrderStatus,
    PhoneOffIncident,
    Photo,
    QualityReport,
    ServiceReport,
    SurveySource,
    WorkOrder,
)

# --- work orders --------------------------------------------------------------------------------------

_ASSIGNMENTS = Prefetch("assignments", queryset=Assignment.objects.select_related("engineer"))


def orders_for_list(user: AnyUser) -> QuerySet[WorkOrder]:
    """The user's orders with what a list row shows: region, engineers (2 queries for any number)."""
    return access.orders_visible_to(user).select_related("region").prefetch_related(_ASSIGNMENTS)


def get_order_for_user(user: AnyUser, pk: int) -> WorkOrder:
    queryset = orders_for_list(user).prefetch_related(
        Prefetch("reports", queryset=ServiceReport.objects.select_related("engineer", "approved_by")),
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor")),
        Prefetch("check_ins", queryset=CheckIn.objects.select_related("engineer")),
        Prefetch("photos", queryset=Photo.objects.filter(report__isnull=True)),
        "complaints__employee",
        "incidents",
    )
    return get_object_or_404(queryset.select_related("created_by", "survey"), pk=pk)


def _milestone_missing() -> Q:
    """The order's required milestone has not happened (one ``<milestone>_at`` field per milestone)."""
    query = Q()
    for milestone in Milestone:
        query |= Q(required_milestone=milestone.value, **{f"{milestone.value}_at__isnull": True})
    return query


def overdue_orders(user: AnyUser, now: datetime | None = None) -> QuerySet[WorkOrder]:
    """Open orders past their R-8.2 deadline without the required milestone, most overdue first."""
    now = now or timezone.now()
    return (
        orders_for_list(user)
        .filter(_milestone_missing(), status__in=OPEN_STATUSES, deadline__lt=now)
        .order_by("deadline")
    )


def due_soon_orders(user: AnyUser, now: datetime | None = None) -> QuerySet[WorkOrder]:
    """Open orders whose deadline comes within the warning window and whose milestone is still missing."""
    now = now or timezone.now()
    return (
        orders_for_list(user)
        .filter(
            _milestone_missing(), status__in=OPEN_STATUSES, deadline__gte=now, deadline__lt=now + DUE_SOON
        )
        .order_by("deadline")
    )


# --- service reports ----------------------------------------------------------------------------------


def reports_visible_to(user: AnyUser) -> QuerySet[ServiceReport]:
    return (
        ServiceReport.objects.filter(order__in=access.orders_visible_to(user).values("pk"))
        .select_related("order", "engineer", "approved_by")
        .prefetch_related("part_lines")
    )


def get_report_for_user(user: AnyUser, pk: int) -> ServiceReport:
    queryset = reports_visible_to(user).select_related(
        "previous", "order__region", "signature", "confirmation"
    )
    return get_object_or_404(queryset.prefetch_related("photos"), pk=pk)


# --- field evidence: photos, check-ins -------------------------------------------------------------------


def photos_visible_to(user: AnyUser) -> QuerySet[Photo]:
    """A photo is seen by whoever sees its record: the order, the quality report, the requisition."""
    from aftersales.parts.selectors import requisitions_visible_to

    return Photo.objects.filter(
        Q(order__in=access.orders_visible_to(user).values("pk"))
        | Q(quality_report__in=quality_reports_visible_to(user).values("pk"))
        | Q(old_part_return__requisition__in=requisitions_visible_to(user).values("pk"))
    )


def get_photo_for_user(user: AnyUser, pk: int) -> Photo:
    return get_object_or_404(photos_visible_to(user), pk=pk)


def get_old_part_return_for_user(user: AnyUser, pk: int) -> Any:
    from aftersales.parts.models import OldPartReturn
    from aftersales.parts.selectors import requisitions_visible_to

    visible = OldPartReturn.objects.filter(requisition__in=requisitions_visible_to(user).values("pk"))
    return get_object_or_404(visible.select_related("requisition"), pk=pk)


def flagged_check_ins(user: AnyUser) -> QuerySet[CheckIn]:
    """Check-ins of the engineers the user leads that are flagged (far from the site, no position)."""
    return (
        CheckIn.objects.filter(engineer__in=access.employees_led_by(user).values("pk"))
        .exclude(flag="")
        .select_related("order", "engineer")
        .order_by("-at")
    )


def reports_awaiting_approval(user: AnyUser) -> QuerySet[ServiceReport]:
    """Signed current reports the user leads: their engineers', or every one of a department they head."""
    r = access.reach(user)
    if r.me is None:
        return ServiceReport.objects.none()
    leader = Q(engineer__supervisor=r.me) | Q(order__department_id__in=headed_departments(user))
    return (
        reports_visible_to(user)
        .filter(leader, is_current=True, signed_at__isnull=False, approved_at__isnull=True)
        .exclude(engineer=r.me)
        .order_by("signed_at")
    )


def final_reports() -> QuerySet[ServiceReport]:
    """Reports a warranty part may be written off against (R-9.2): current, signed by the customer and
    approved by the leader; with their parts lines. Callers scope it further (by order, engineer …)."""
    return (
        ServiceReport.objects.filter(is_current=True, signed_at__isnull=False, approved_at__isnull=False)
        .select_related("order", "engineer")
        .prefetch_related("part_lines")
    )


# --- call log, complaints, incidents, quality information, phone-off ------------------------------------


def calls_visible_to(user: AnyUser) -> QuerySet[CallLogEntry]:
    return CallLogEntry.objects.filter(access.employee_scope(user, "handler")).select_related(
        "handler", "order"
    )


def get_call_for_user(user: AnyUser, pk: int) -> CallLogEntry:
    return get_object_or_404(calls_visible_to(user), pk=pk)


def complaints_visible_to(user: AnyUser) -> QuerySet[Complaint]:
    """Complaints about an employee the user sees, and those handled by one (the handler answers it,
    and the answer times feed the handler's form 4.5: the evidence opens for them and their leaders)."""
    handled = Q(handler__in=employees_visible_to(user).values("pk"))
    return Complaint.objects.filter(access.employee_scope(user) | handled).select_related(
        "employee", "order", "handler", "verified_by"
    )


def get_complaint_for_user(user: AnyUser, pk: int) -> Complaint:
    return get_object_or_404(complaints_visible_to(user), pk=pk)


def incidents_visible_to(user: AnyUser) -> QuerySet[MajorIncident]:
    return MajorIncident.objects.filter(access.employee_scope(user)).select_related("employee", "order")


def get_incident_for_user(user: AnyUser, pk: int) -> MajorIncident:
    return get_object_or_404(incidents_visible_to(user), pk=pk)


def quality_reports_visible_to(user: AnyUser) -> QuerySet[QualityReport]:
    """The quality database is shared knowledge of the department: every member reads it."""
    r = access.reach(user)
    queryset = QualityReport.objects.select_related("reporter", "responded_by").prefetch_related(
        "attachments", "photos"
    )
    if r.company_wide:
        return queryset
    return queryset.filter(department_id=r.home_department_id)  # type: ignore[misc]  # None: no rows


def get_quality_report_for_user(user: AnyUser, pk: int) -> QualityReport:
    return get_object_or_404(quality_reports_visible_to(user), pk=pk)


def phone_offs_visible_to(user: AnyUser) -> QuerySet[PhoneOffIncident]:
    return PhoneOffIncident.objects.filter(
        employee__in=employees_visible_to(user).values("pk")
    ).select_related("employee", "recorded_by")


# --- KPIs per month, region and engineer ---------------------------------------------------------


@dataclass
class KpiRow:
    """One line of the KPI table: the counts behind each rate, the rates, the verdicts of R-8.1."""

    month: Month
    until: datetime  # the month's end, or now while the month runs: a deadline to come has not fallen
    label: str = ""
    due: list[WorkOrder] = field(default_factory=list)  # orders whose deadline fell in the month
    received: int = 0  # orders received in the month
    scores: list[int] = field(default_factory=list)  # survey scores of the month
    customer_answers: int = 0  # of those, answered by the customer on the confirmation page
    complaints: int = 0  # verified, service responsibility

    @property
    def timeliness(self) -> Decimal | None:
        return timeliness_rate(
            ((o.deadline_obj, o.milestones) for o in self.due), self.month.start, self.until
        )

    @property
    def satisfaction(self) -> Decimal | None:
        return satisfaction_rate(self.scores)

    @property
    def complaint_rate(self) -> Decimal | None:
        return complaint_rate(self.complaints, self.received)

    def meets(self) -> dict[str, bool | None]:
        return {
            Kpi.TIMELINESS: meets_target(Kpi.TIMELINESS, self.timeliness),
            Kpi.SATISFACTION: meets_target(Kpi.SATISFACTION, self.satisfaction),
            Kpi.COMPLAINT_RATE: meets_target(Kpi.COMPLAINT_RATE, self.complaint_rate),
        }


@dataclass
class KpiTable:
    month: Month
    total: KpiRow
    regions: list[KpiRow]
    engineers: list[KpiRow]


def service_kpis(user: AnyUser, month: Month, now: datetime | None = None) -> KpiTable:
    """R-8.1 for ``month`` over the orders the user sees: in all, per region, per engineer.

    Timeliness counts orders whose deadline fell in the month, up to now while the month runs
    (cancelled ones excepted); satisfaction
    the surveys taken in the month; the complaint rate divides the verified service-responsibility
    complaints received in the month by the orders received in the month. A complaint counts for the
    region of the employee complained against. Engineers are listed only if the user may see them.
    4 queries, whatever the number of orders.
    """
    in_month = {"gte": month.start, "lt": month.end}
    orders = list(
        orders_for_list(user)
        .select_related("survey")
        .exclude(status=OrderStatus.CANCELLED)
        .filter(
            Q(**{f"deadline__{op}": at for op, at in in_month.items()})
            | Q(**{f"received_at__{op}": at for op, at in in_month.items()})
            | Q(**{f"survey__surveyed_at__{op}": at for op, at in in_month.items()})
        )
    )
    complaints = list(
        complaints_visible_to(user)
        .filter(status=ComplaintStatus.VERIFIED, service_responsibility=True)
        .filter(received_at__gte=month.start, received_at__lt=month.end)
        .values_list("employee_id", "employee__name", "employee__region__name")
    )
    visible = set(employees_visible_to(user).values_list("pk", flat=True))
    until = min(month.end, now or timezone.now())
    return _kpi_table(month, until, orders, complaints, visible)


def _kpi_table(
    month: Month,
    until: datetime,
    orders: list[WorkOrder],
    complaints: Sequence[tuple[int, str, str | None]],
    visible: set[int],
) -> KpiTable:
    total = KpiRow(month, until)
    regions: dict[str, KpiRow] = defaultdict(lambda: KpiRow(month, until))
    engineers: dict[int, KpiRow] = defaultdict(lambda: KpiRow(month, until))
    for order in orders:
        rows = [total, regions[order.region.name if order.region else "—"]]
        for a in order.assignments.all():
            engineers[a.engineer_id].label = a.engineer.name
            rows.append(engineers[a.engineer_id])
        survey: Any = getattr(order, "survey", None)
        for row in rows:
            row.due += [order] if month.start <= order.deadline < until else []
            row.received += month.contains(order.received_at)
            counted = survey is not None and month.contains(survey.surveyed_at)
            row.scores += [survey.score] if counted else []
            row.customer_answers += counted and survey.source == SurveySource.CUSTOMER
    for employee_id, name, region in complaints:
        engineers[employee_id].label = name
        for row in (total, regions[region or "—"], engineers[employee_id]):
            row.complaints += 1
    for name, row in regions.items():
        row.label = name
    return KpiTable(
        month,
        total,
        sorted(regions.values(), key=lambda r: r.label),
        sorted((r for pk, r in engineers.items() if pk in visible), key=lambda r: r.label),
    )


# --- §11 evidence for the appraisal of a month ----------------------------------------------------------


@dataclass(frozen=True)
class ComplaintEvidence:
    """A verified complaint against the employee (用户交流 items of forms 4.1/4.2)."""

    complaint_id: int
    received_at: datetime
    complainant: str
    content: str
    written: bool  # 书面投诉
    service_responsibility: bool  # False: e.g. a product-quality complaint
    answered_report_id: int | None = None  # filed by the customer on the confirmation page of this report
    customer_score: int | None = None  # the rating the customer gave with it


@dataclass(frozen=True)
class IncidentEvidence:
    """A major incident phoned in after 24 h or reported after 48 h (or not at all by then)."""

    incident_id: int
    occurred_at: datetime
    phone_late: bool
    report_late: bool


@dataclass(frozen=True)
class PhoneOffEvidence:
    """Phone-off incidents of the month (R-2.3: 1–2 → −3, ≥ 3 → −5)."""

    count: int
    incident_ids: tuple[int, ...]


@dataclass(frozen=True)
class ResponseEvidence:
    """An item the employee answered, with its response time in days (form 4.5 graded sections).

    ``answered`` False: still open; ``days`` then runs to ``now``.
    """

    object_id: int
    raised_at: datetime
    answered: bool
    days: Decimal


def _employee_id(employee: Employee | int) -> int:
    return employee if isinstance(employee, int) else employee.pk


def _in_month(field_name: str, year: int, month: int) -> Q:
    period = Month(year, month)
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lt": period.end})


def complaints_for(employee: Employee | int, year: int, month: int) -> list[ComplaintEvidence]:
    """Verified complaints against the employee received in the month."""
    complaints = Complaint.objects.filter(
        _in_month("received_at", year, month),
        employee_id=_employee_id(employee),
        status=ComplaintStatus.VERIFIED,
    ).order_by("received_at", "pk")
    return [
        ComplaintEvidence(
            c.pk,
            c.received_at,
            c.complainant,
            c.content,
            c.written,
            c.service_responsibility,
            *_answer_of(c),
        )
        for c in complaints.select_related("confirmation")
    ]


def _answer_of(complaint: Complaint) -> tuple[int | None, int | None]:
    confirmation = getattr(complaint, "confirmation", None)
    return (confirmation.report_id, confirmation.score) if confirmation else (None, None)


def late_incidents_for(
    employee: Employee | int, year: int, month: int, now: datetime | None = None
) -> list[IncidentEvidence]:
    """Incidents of the month the employee was responsible for that were phoned in or reported late."""
    now = now or timezone.now()
    incidents = MajorIncident.objects.filter(
        _in_month("occurred_at", year, month), employee_id=_employee_id(employee)
    ).order_by("occurred_at", "pk")
    verdicts = ((i, i.verdict(now)) for i in incidents)
    return [
        IncidentEvidence(i.pk, i.occurred_at, bool(v.phone_late), bool(v.report_late))
        for i, v in verdicts
        if v.late
    ]


def phone_off_count(employee: Employee | int, year: int, month: int) -> PhoneOffEvidence:
    period = Month(year, month)
    ids = tuple(
        PhoneOffIncident.objects.filter(
            employee_id=_employee_id(employee),
            date__gte=period.start.date(),
            date__lt=period.end.date(),
        )
        .order_by("date", "pk")
        .values_list("pk", flat=True)
    )
    return PhoneOffEvidence(len(ids), ids)


def _responses(
    rows: Iterable[tuple[int, datetime, datetime | None]], now: datetime
) -> list[ResponseEvidence]:
    return [
        ResponseEvidence(
            pk, raised, answered is not None, response_days(raised, answered or max(now, raised))
        )
        for pk, raised, answered in rows
    ]


def complaint_response_days(
    employee: Employee | int, year: int, month: int, now: datetime | None = None
) -> list[ResponseEvidence]:
    """Complaints received in the month that the employee handles (客户投诉处理, form 4.5)."""
    rows = (
        Complaint.objects.filter(_in_month("received_at", year, month), handler_id=_employee_id(employee))
        .order_by("received_at", "pk")
        .values_list("pk", "received_at", "responded_at")
    )
    return _responses(rows, now or timezone.now())


def quality_response_days(employee: Employee | int, year: int, month: int) -> list[ResponseEvidence]:
    """Quality-database items of the month the employee answered (网站信息/K3 数据库维护, form 4.5)."""
    rows = (
        QualityReport.objects.filter(
            _in_month("reported_at", year, month), responded_by_id=_employee_id(employee)
        )
        .order_by("reported_at", "pk")
        .values_list("pk", "reported_at", "responded_at")
    )
    return _responses(rows, timezone.now())


@dataclass(frozen=True)
class FieldEvidence:
    """One report of the employee's month with its field evidence: the drawn signature, the photos, the
    arrival check-ins of its order and the customer's own answer (appraisal and appeals, §11)."""

    report: ServiceReport
    photos: int
    check_ins: list[CheckIn]
    confirmation: Any  # CustomerConfirmation | None

    @property
    def flagged(self) -> bool:
        return any(c.flag for c in self.check_ins)


def field_evidence_for(employee: Employee | int, year: int, month: int) -> list[FieldEvidence]:
    """The employee's reports signed in the month (current revisions), 3 queries for any number."""
    reports = list(
        ServiceReport.objects.filter(
            _in_month("signed_at", year, month), engineer_id=_employee_id(employee), is_current=True
        )
        .select_related("order", "signature", "confirmation")
        .prefetch_related(
            "photos",
            "order__photos",
            Prefetch("order__check_ins", queryset=CheckIn.objects.filter(engineer_id=_employee_id(employee))),
        )
        .order_by("signed_at", "pk")
    )
    return [
        FieldEvidence(
            report,
            len(report.photos.all()) + sum(1 for p in report.order.photos.all() if p.report_id is None),
            list(report.order.check_ins.all()),
            getattr(report, "confirmation", None),
        )
        for report in reports
    ]
