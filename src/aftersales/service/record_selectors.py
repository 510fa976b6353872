"""Reads of the field records: who sees which (R-1.1), and the month's evidence rows (SPEC §11) that
``evidence.facts`` turns into findings. Each evidence read is a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import cast

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from aftersales.core import field_records as rules
from aftersales.core.periods import Month
from aftersales.core.service_kpis import response_days
from aftersales.organisation.access import AnyUser, employees_visible_to
from aftersales.organisation.models import Employee
from aftersales.service.models import (
    AttendanceException,
    CallLogEntry,
    Complaint,
    ComplaintStatus,
    CustomerVisit,
    Escalation,
    ExpenseClaim,
    MarketInfo,
    PaidService,
    ReportVerdict,
    RoutineReport,
    WorkOrder,
)
from aftersales.service.record_services import setting


def visible(queryset: QuerySet, user: AnyUser) -> QuerySet:
    """The records of the employees the user may see (own, team, department, all for HR)."""
    return queryset.filter(employee__in=employees_visible_to(user).values("pk")).select_related("employee")


def _days(year: int, month: int) -> tuple[date, date]:
    period = Month(year, month)
    return period.start.date(), period.end.date()


def _in(field: str, year: int, month: int) -> Q:
    first, after = _days(year, month)
    return Q(**{f"{field}__gte": first, f"{field}__lt": after})


def in_use(model: type, date_field: str, year: int, month: int) -> bool:
    """Whether the installation kept records of ``model`` by the end of the month: a missing record or
    too few count only then, so that months before the records were kept propose nothing
    (docs/rules.md, 现场记录的期限)."""
    _first, after = _days(year, month)
    return bool(model.objects.filter(**{f"{date_field}__lt": after}).exists())  # type: ignore[attr-defined]


# --- routine reports ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportDue:
    """A routine report that fell due in the month: the report (None: missing) and why it counts."""

    kind: str
    year: int
    month: int
    due_on: date
    report: RoutineReport | None

    @property
    def failing(self) -> bool:
        """Missing, late or judged unqualified (未能按照格式及时完成; 总结不合格或上挂不及时)."""
        if self.report is None:
            return True
        return self.report.is_late or self.report.verdict == ReportVerdict.UNQUALIFIED


def reports_due(
    employee: Employee, year: int, month: int, kinds: tuple[str, ...], today: date
) -> list[ReportDue]:
    """The reports of ``kinds`` whose due date fell in the month (and has passed by ``today``)."""
    (py, pm), annual = rules.report_periods_due_in(year, month)
    wanted = [(k, py, pm) for k in kinds if k != rules.ANNUAL]
    if annual is not None and rules.ANNUAL in kinds:
        wanted.append((rules.ANNUAL, annual[0], annual[1]))
    found = {
        (r.kind, r.year, r.month): r
        for r in RoutineReport.objects.filter(
            employee=employee, kind__in=kinds, year__in={y for _k, y, _m in wanted}
        )
    }
    counts_missing = in_use(RoutineReport, "submitted_on", year, month)
    due = []
    for kind, y, m in wanted:
        report = found.get((kind, y, m))
        due_on = report.due_on if report else _due(kind, y, m)
        if report is not None or (counts_missing and due_on < today):
            due.append(ReportDue(kind, y, m, due_on, report))
    return due


def _due(kind: str, year: int, month: int) -> date:
    return rules.report_due(
        kind,
        year,
        month,
        monthly_day=setting("ROUTINE_REPORT_DUE_DAY", rules.MONTHLY_DUE_DAY),
        annual_day=setting("ANNUAL_SUMMARY_DUE_DAY", rules.ANNUAL_DUE_DAY),
    )


# --- counts of the month ------------------------------------------------------------------------------


def customer_visits_in(employee: Employee, year: int, month: int) -> list[CustomerVisit]:
    return list(
        CustomerVisit.objects.filter(_in("date", year, month), employee=employee).order_by("date", "pk")
    )


def market_info_in(employee: Employee, year: int, month: int) -> list[MarketInfo]:
    return list(MarketInfo.objects.filter(_in("date", year, month), employee=employee).order_by("date", "pk"))


def attendance_in(
    employee: Employee, year: int, month: int, kinds: tuple[str, ...]
) -> list[AttendanceException]:
    return list(
        AttendanceException.objects.filter(
            _in("date", year, month), employee=employee, kind__in=kinds
        ).order_by("date", "pk")
    )


# --- the regional supervisor's region --------------------------------------------------------------------


def region_attendance_by_others(supervisor: Employee, year: int, month: int) -> list[AttendanceException]:
    """Attendance exceptions of the supervisor's staff that someone else recorded (考勤不力)."""
    rows = AttendanceException.objects.filter(_in("date", year, month), employee__supervisor=supervisor)
    if supervisor.user_id is not None:
        rows = rows.exclude(recorded_by_id=supervisor.user_id)
    return list(rows.select_related("employee").order_by("date", "pk"))


def region_late_escalations(supervisor: Employee, year: int, month: int) -> list[Escalation]:
    """Larger problems of the supervisor's staff reported late (重大事件隐瞒不报)."""
    return [e for e in _escalations(Q(employee__supervisor=supervisor), year, month) if _late(e)]


def region_complaints(supervisor: Employee, year: int, month: int) -> list[Complaint]:
    """Verified service-responsibility complaints against the supervisor's staff (客户屡屡投诉)."""
    period = Month(year, month)
    return list(
        Complaint.objects.filter(
            employee__supervisor=supervisor,
            status=ComplaintStatus.VERIFIED,
            service_responsibility=True,
            received_at__gte=period.start,
            received_at__lt=period.end,
        )
        .select_related("employee")
        .order_by("received_at", "pk")
    )


# --- escalations, written complaints ------------------------------------------------------------------


def _escalations(where: Q, year: int, month: int) -> list[Escalation]:
    period = Month(year, month)
    return list(
        Escalation.objects.filter(where, reported_at__gte=period.start, reported_at__lt=period.end)
        .select_related("employee")
        .order_by("reported_at", "pk")
    )


def _late(escalation: Escalation) -> bool:
    return rules.escalated_late(
        escalation.found_at, escalation.reported_at, setting("ESCALATION_HOURS", rules.ESCALATION_HOURS)
    )


def late_escalations(employee: Employee, year: int, month: int) -> list[Escalation]:
    return [e for e in _escalations(Q(employee=employee), year, month) if _late(e)]


def support_escalations(employee: Employee, year: int, month: int) -> list[Escalation]:
    """Problems the employee could not finish alone (需他人支援)."""
    return _escalations(Q(employee=employee, support_needed=True), year, month)


def uncommunicated_written_complaints(employee: Employee, year: int, month: int) -> list[Complaint]:
    """Written product-quality complaints (书面, not service responsibility) of the month about the
    employee's customers that the employee had not escalated before (没有提前和部门沟通): no escalation of
    theirs on the complaint's work order — or, when it names none, in the 30 days before it."""
    period = Month(year, month)
    earlier = Escalation.objects.filter(employee=employee, reported_at__lt=OuterRef("received_at"))
    on_order = earlier.filter(order=OuterRef("order"))
    recent = earlier.filter(reported_at__gte=OuterRef("received_at") - timedelta(days=30))
    return list(
        Complaint.objects.filter(
            employee=employee,
            written=True,
            service_responsibility=False,
            received_at__gte=period.start,
            received_at__lt=period.end,
        )
        .exclude(status=ComplaintStatus.UNFOUNDED)
        .exclude(Q(order__isnull=False) & Exists(on_order))
        .exclude(Q(order__isnull=True) & Exists(recent))
        .order_by("received_at", "pk")
    )


# --- paid services, expense claims ------------------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    record: PaidService
    breaches: tuple[str, ...]


def paid_service_breaches(employee: Employee, year: int, month: int, today: date) -> list[Breach]:
    """Paid services charged in the month that break §3.3.4 (as of ``today``)."""
    rows = PaidService.objects.filter(_in("charged_on", year, month), employee=employee).order_by(
        "charged_on", "pk"
    )
    days = setting("PAID_SERVICE_HAND_IN_DAYS", rules.HAND_IN_DAYS)
    found = []
    for record in rows:
        facts = rules.PaidServiceFacts(
            record.amount, record.charged_on, record.approved_on, record.handed_in, record.handed_in_on
        )
        if breaches := rules.paid_service_breaches(facts, today, days):
            found.append(Breach(record, breaches))
    return found


@dataclass(frozen=True)
class UnsettledAdvance:
    """A trip whose claim deadline fell in the month: the claim handed in late, or none (order only)."""

    deadline: date
    claim: ExpenseClaim | None
    order: WorkOrder | None


def unsettled_advances(employee: Employee, year: int, month: int, today: date) -> list[UnsettledAdvance]:
    """Expense claims handed in after their deadline (§3.4.3), and orders with a travel advance resolved
    so long ago that the claim is overdue and none was handed in."""
    days = setting("EXPENSE_CLAIM_DAYS", rules.CLAIM_DAYS)
    first, after = _days(year, month)
    window = Q(returned_on__gte=first - timedelta(days=days), returned_on__lt=after - timedelta(days=days))
    late = [
        UnsettledAdvance(rules.claim_deadline(c.returned_on, days), c, c.order)
        for c in ExpenseClaim.objects.filter(window, employee=employee)
        .select_related("order")
        .order_by("returned_on", "pk")
        if c.submitted_on > rules.claim_deadline(c.returned_on, days)
    ]
    if not in_use(ExpenseClaim, "submitted_on", year, month):
        return late
    claimed = ExpenseClaim.objects.filter(employee=employee, order=OuterRef("pk"))
    orders = (
        WorkOrder.objects.filter(
            assignments__engineer=employee, travel_advance__gt=0, resolved_at__isnull=False
        )
        .filter(
            resolved_at__gte=Month(year, month).start - timedelta(days=days),
            resolved_at__lt=Month(year, month).end - timedelta(days=days),
        )
        .exclude(Exists(claimed))
        .order_by("resolved_at", "pk")
    )
    missing = [
        UnsettledAdvance(deadline, None, order)
        for order in orders
        if (deadline := rules.claim_deadline(timezone.localdate(order.resolved_at), days)) < today
        and first <= deadline < after
    ]
    return late + missing


# --- filing of the call log (资料维护, form 4.5) ---------------------------------------------------------


@dataclass(frozen=True)
class FilingLag:
    """An answered call or letter and how many days it waited to be filed (复电、复函应及时存档)."""

    entry: CallLogEntry
    filed: bool
    days: Decimal


def filing_lags(employee: Employee, year: int, month: int, now: datetime) -> list[FilingLag]:
    """Calls and letters the employee answered in the month, with the days to filing (to ``now`` when
    not filed yet)."""
    period = Month(year, month)
    entries = CallLogEntry.objects.filter(
        handler=employee, answered_at__gte=period.start, answered_at__lt=period.end
    ).order_by("answered_at", "pk")
    return [
        FilingLag(
            e,
            e.filed_at is not None,
            response_days(
                cast(datetime, e.answered_at), max(e.filed_at or now, cast(datetime, e.answered_at))
            ),
        )
        for e in entries
    ]
