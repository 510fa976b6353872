"""Reading rewards and penalties: scoped lists, one record, monthly points (R-6.2), yearly standing (R-6.3).

Only approved records count. The rules are ``aftersales.core.discipline``'s; rows become its
``Record`` here, at the edge.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.core import discipline as rules
from aftersales.core.periods import Month
from aftersales.discipline.models import DisciplineRecord, DismissalCase, RewardReason, Status
from aftersales.discipline.models import Kind as RecordKind
from aftersales.discipline.permissions import Authority
from aftersales.organisation.access import AnyUser, employees_visible_to
from aftersales.organisation.models import Employee
from aftersales.organisation.viewer import viewer_for
from aftersales.ui.years import years_spanned

Kind = rules.Kind


def this_year() -> int:
    return timezone.localdate().year


def records_visible_to(user: AnyUser) -> QuerySet[DisciplineRecord]:
    """Records of the employees ``user`` may see (R-1.1), with what a list shows preloaded. Someone
    who sees every employee gets every record without an employee filter (no subquery to build)."""
    records = DisciplineRecord.objects.select_related(
        "employee", "employee__department", "reason", "issuer", "approved_by"
    )
    if viewer_for(user).scope is None:
        return records
    return records.filter(employee__in=employees_visible_to(user))


def record_years(records: QuerySet[DisciplineRecord]) -> list[int]:
    """The years from the newest to the oldest record among ``records``, newest first (this year
    when there is none): two index seeks on the effective date, whatever the number of records."""
    return years_spanned(records, "effective_date") or [this_year()]


def filter_records(
    records: QuerySet[DisciplineRecord],
    *,
    status: str = "",
    kind: str = "",
    year: int | None = None,
    employee: str = "",
) -> QuerySet[DisciplineRecord]:
    """Narrow a list; ``employee`` matches the number or a part of the name."""
    if status:
        records = records.filter(status=status)
    if kind:
        records = records.filter(kind=kind)
    if year is not None:
        records = records.filter(effective_date__year=year)
    if employee:
        records = records.filter(Q(employee__number=employee) | Q(employee__name__contains=employee))
    return records


def get_record_for_user(user: AnyUser, pk: int) -> DisciplineRecord:
    """The record if ``user`` may see it, else 404."""
    try:
        return records_visible_to(user).get(pk=pk)
    except DisciplineRecord.DoesNotExist:
        raise Http404 from None


def employees_proposable_by(authority: Authority) -> QuerySet[Employee]:
    """The active employees ``authority`` may propose records for."""
    today = timezone.localdate()
    employees = Employee.objects.filter(Q(active_to__isnull=True) | Q(active_to__gte=today))
    if not authority.hr:
        scope = Q(department_id__in=authority.headed)
        if authority.me is not None:
            scope |= Q(supervisor=authority.me)
        employees = employees.filter(scope)
    if authority.me is not None:
        employees = employees.exclude(pk=authority.me.pk)
    return employees.select_related("department")


def active_reasons() -> QuerySet[RewardReason]:
    return RewardReason.objects.filter(active=True)


def cases_visible_to(user: AnyUser) -> QuerySet[DismissalCase]:
    """Dismissal cases are HR's (R-6.3 step 4)."""
    if not Authority.of(user).hr:
        return DismissalCase.objects.none()
    return DismissalCase.objects.select_related("employee", "employee__department", "decided_by")


def get_case_for_user(user: AnyUser, pk: int) -> DismissalCase:
    try:
        return cases_visible_to(user).get(pk=pk)
    except DismissalCase.DoesNotExist:
        raise Http404 from None


# --- points and standing --------------------------------------------------------------------------


def _approved() -> QuerySet[DisciplineRecord]:
    return DisciplineRecord.objects.filter(status=Status.APPROVED)


def _month_range(month: Month) -> tuple[date, date]:
    return month.start.date(), month.end.date()


def discipline_points_by_employee(
    year: int, month: int, employees: Iterable[int] | None = None
) -> dict[int, Decimal]:
    """R-6.2 points of month ``year-month`` per employee id, in one query, for the monthly close.

    Employees with no approved point-carrying record that month are absent (their points are 0).
    ``employees`` (ids) narrows the query; None means everyone.
    """
    period = Month(year, month)
    first, after = _month_range(period)
    rows = _approved().filter(effective_date__gte=first, effective_date__lt=after)
    if employees is not None:
        rows = rows.filter(employee_id__in=list(employees))
    per_employee: dict[int, list[rules.Record]] = defaultdict(list)
    for employee_id, kind, day in rows.values_list("employee_id", "kind", "effective_date"):
        per_employee[employee_id].append(rules.Record(Kind(kind), day))
    return {
        employee_id: Decimal(rules.monthly_points(records).get(period, 0))
        for employee_id, records in per_employee.items()
    }


def discipline_points_by_month(pairs: Iterable[tuple[int, Month]]) -> dict[tuple[int, Month], Decimal]:
    """R-6.2 points of each (employee id, month) asked for, in one query whatever their number: the
    discipline component of those months' final scores (R-3.1). Pairs without points are absent."""
    wanted = set(pairs)
    if not wanted:
        return {}
    months = sorted({month for _employee, month in wanted})
    first, after = months[0].start.date(), months[-1].end.date()
    rows = _approved().filter(
        effective_date__gte=first,
        effective_date__lt=after,
        employee_id__in={employee for employee, _month in wanted},
    )
    per_employee: dict[int, list[rules.Record]] = defaultdict(list)
    for employee_id, kind, day in rows.values_list("employee_id", "kind", "effective_date"):
        per_employee[employee_id].append(rules.Record(Kind(kind), day))
    found = {}
    for employee_id, records in per_employee.items():
        for month, points in rules.monthly_points(records).items():
            if (employee_id, month) in wanted:
                found[employee_id, month] = Decimal(points)
    return found


def discipline_points_for(employee: Employee, year: int, month: int) -> Decimal:
    """R-6.2 the points that month's final score gets from approved records (R-3.1); 0 when none."""
    return discipline_points_by_employee(year, month, [employee.pk]).get(employee.pk, Decimal(0))


@dataclass(frozen=True)
class Level:
    """One level of R-6.3: a reward kind against a penalty kind, offset one for one."""

    good: Kind
    bad: Kind
    good_count: int  # approved records of the year
    bad_count: int
    good_carried: int  # converted up from the level below (level 3 only)
    bad_carried: int
    good_left: int  # after the offset
    bad_left: int
    good_converted: int  # every 3 left become 1 of the level above (level 2 only)
    bad_converted: int
    good_net: int  # what stays at this level
    bad_net: int

    @property
    def good_label(self) -> str:
        return str(RecordKind(self.good).label)

    @property
    def bad_label(self) -> str:
        return str(RecordKind(self.bad).label)

    @property
    def offset(self) -> int:
        """How many pairs cancelled each other (功过相抵)."""
        return self.good_count + self.good_carried - self.good_left


@dataclass(frozen=True)
class YearlyStanding:
    """An employee's calendar year: monthly points (R-6.2) and the standing level by level (R-6.3)."""

    employee: Employee
    year: int
    records: list[DisciplineRecord]  # approved, in date order
    monthly_points: list[tuple[Month, int]]  # all twelve months
    levels: tuple[Level, Level, Level]
    net: Mapping[Kind, int]
    dismissal_case: bool

    @property
    def total_points(self) -> int:
        return sum(points for _month, points in self.monthly_points)


def yearly_standing(employee: Employee, year: int) -> YearlyStanding:
    """R-6.2 and R-6.3 from the employee's approved records of ``year`` (one query)."""
    records = list(
        _approved()
        .filter(employee=employee, effective_date__year=year)
        .select_related("reason")
        .order_by("effective_date", "id")
    )
    domain = [record.to_domain() for record in records]
    per_month = rules.monthly_points(domain)
    counts = Counter(record.kind for record in domain)
    standing = rules.yearly_standing(counts)
    return YearlyStanding(
        employee=employee,
        year=year,
        records=records,
        monthly_points=[(Month(year, m), per_month.get(Month(year, m), 0)) for m in range(1, 13)],
        levels=_levels(counts),
        net=standing.net,
        dismissal_case=standing.dismissal_case,
    )


def _levels(counts: Mapping[Kind, int]) -> tuple[Level, Level, Level]:
    """The levels of R-6.3 as the core computes them, with the steps in between for the page."""
    net = rules.yearly_standing(counts).net
    # the level-2 kinds alone: the core's major kinds are then exactly the converted ones
    level2 = rules.yearly_standing({kind: counts.get(kind, 0) for kind in (Kind.MERIT, Kind.DEMERIT)}).net
    up_good, up_bad = level2[Kind.MAJOR_MERIT], level2[Kind.MAJOR_DEMERIT]
    first = _level(counts, net, Kind.COMMENDATION, Kind.WARNING)
    second = _level(counts, net, Kind.MERIT, Kind.DEMERIT, converted=(up_good, up_bad))
    third = _level(counts, net, Kind.MAJOR_MERIT, Kind.MAJOR_DEMERIT, carried=(up_good, up_bad))
    return first, second, third


def _level(
    counts: Mapping[Kind, int],
    net: Mapping[Kind, int],
    good: Kind,
    bad: Kind,
    *,
    carried: tuple[int, int] = (0, 0),
    converted: tuple[int, int] = (0, 0),
) -> Level:
    left = (net[good] + rules.CONVERSION * converted[0], net[bad] + rules.CONVERSION * converted[1])
    return Level(
        good=good,
        bad=bad,
        good_count=counts.get(good, 0),
        bad_count=counts.get(bad, 0),
        good_carried=carried[0],
        bad_carried=carried[1],
        good_left=left[0],
        bad_left=left[1],
        good_converted=converted[0],
        bad_converted=converted[1],
        good_net=net[good],
        bad_net=net[bad],
    )
