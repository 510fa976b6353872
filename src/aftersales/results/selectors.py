"""Reading the results (SPEC §7): archived final scores, annual composites, cases, the key-talent list.

Every list is scoped by R-1.1 in its queryset (``employees_visible_to``) and preloads what it shows,
so the number of queries does not grow with the rows. The rules are ``aftersales.core.results``'s;
archived appraisals become its ``{Month: Decimal}`` series here, at the edge.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aftersales.appraisal.models import Appraisal, State
from aftersales.appraisal.outcome import results_for
from aftersales.core import results as rules
from aftersales.core.periods import Month
from aftersales.organisation.access import AnyUser, employees_visible_to, is_company_wide
from aftersales.organisation.models import Employee
from aftersales.results.models import (
    KEY_TALENT_DECISIONS,
    CaseKind,
    CaseStatus,
    EvaluationRun,
    ResultCase,
)

Series = dict[Month, Decimal]
CENT = Decimal("0.01")


def this_year() -> int:
    return timezone.localdate().year


def last_month() -> Month:
    return Month.of(timezone.now()).shift(-1)


def month_index(month: Month) -> int:
    """Months counted from year 0, so a range of months is a range of integers."""
    return month.year * 12 + month.month - 1


# --- archived scores ------------------------------------------------------------------------------


def archived_scores(
    *,
    until: Month,
    since: Month | None = None,
    employees: QuerySet[Employee] | None = None,
    active_on: date | None = None,
) -> dict[int, Series]:
    """Employee id → {month: final score} of the current archived appraisals from ``since`` to
    ``until`` (both included), in a fixed number of queries.

    The score is the month's one final score (R-3.1, R-7.1): the close version in force where the
    month is closed for pay, else the form's total with the discipline points approved so far.
    ``employees`` narrows to a scope; ``active_on`` keeps only those still employed that day.
    """
    rows = Appraisal.objects.filter(state=State.ARCHIVED, is_current=True, form_total__isnull=False)
    rows = rows.annotate(index=F("period__year") * 12 + F("period__month") - 1)
    rows = rows.filter(index__lte=month_index(until))
    if since is not None:
        rows = rows.filter(index__gte=month_index(since))
    if employees is not None:
        rows = rows.filter(employee__in=employees.values("pk"))
    if active_on is not None:
        rows = rows.filter(Q(employee__active_to__isnull=True) | Q(employee__active_to__gte=active_on))
    appraisals = list(
        rows.order_by("period__year", "period__month", "pk")
        .only(
            "pk",
            "period_id",
            "employee_id",
            "form_total",
            "discipline_points",
            "final_score",
            "grade",
            "is_current",
            "template_code",
            "template_version",
            "period__year",
            "period__month",
        )
        .select_related("period")
    )
    results = results_for(appraisals)
    series: dict[int, Series] = defaultdict(dict)
    for appraisal in appraisals:
        score = results[appraisal.pk].final_score
        if score is not None:
            series[appraisal.employee_id][Month(appraisal.period.year, appraisal.period.month)] = score
    return dict(series)


def composites_by_year(monthly: Series, years: range) -> dict[int, Decimal]:
    """R-7.1 the composite of each year that has archived scores."""
    found = {year: rules.annual_composite(monthly, year) for year in years}
    return {year: composite for year, composite in found.items() if composite is not None}


def rounded(value: Decimal) -> str:
    """A score or composite as shown and stored in a case's facts: two decimals."""
    return str(value.quantize(CENT))


# --- annual composites ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CompositeRow:
    """One employee's year (年度综合评价, R-7.1) with the two years before it (R-7.2)."""

    employee: Employee
    year: int
    composite: Decimal
    months: int  # archived monthly scores in the year
    earlier: tuple[Decimal | None, Decimal | None]  # composites of year − 1 and year − 2
    promotion_candidate: bool
    work_report_required: bool

    @property
    def previous_year(self) -> Decimal | None:
        return self.earlier[0]

    @property
    def year_before(self) -> Decimal | None:
        return self.earlier[1]


def annual_composites(user: AnyUser, year: int) -> list[CompositeRow]:
    """The composites of ``year`` of the employees ``user`` may see, by employee number (2 queries)."""
    visible = employees_visible_to(user)
    since = Month(year - rules.PROMOTION_YEARS + 1, 1)
    scores = archived_scores(since=since, until=Month(year, 12), employees=visible)
    people = visible.filter(pk__in=list(scores)).order_by("number")
    rows = (_composite_row(employee, scores[employee.pk], year) for employee in people)
    return [row for row in rows if row is not None]


def _composite_row(employee: Employee, monthly: Series, year: int) -> CompositeRow | None:
    annual = composites_by_year(monthly, range(year - rules.PROMOTION_YEARS + 1, year + 1))
    if year not in annual:
        return None
    return CompositeRow(
        employee=employee,
        year=year,
        composite=annual[year],
        months=sum(1 for month in monthly if month.year == year),
        earlier=(annual.get(year - 1), annual.get(year - 2)),
        promotion_candidate=rules.promotion_candidate(annual, year),
        work_report_required=rules.work_report_required(annual[year]),
    )


# --- cases ----------------------------------------------------------------------------------------


def cases_visible_to(user: AnyUser) -> QuerySet[ResultCase]:
    """HR: every case; others: the cases of the employees they may see (own, team, department)."""
    cases = ResultCase.objects.select_related(
        "employee",
        "employee__department",
        "employee__position",
        "decided_by",
        "report_recorded_by",
        "follows",
        "adjustment__from_position",
        "adjustment__to_position",
    )
    if is_company_wide(user):
        return cases
    return cases.filter(employee__in=employees_visible_to(user).values("pk"))


def filter_cases(
    cases: QuerySet[ResultCase],
    *,
    kind: str = "",
    status: str = "",
    year: int | None = None,
    employee: str = "",
) -> QuerySet[ResultCase]:
    """Narrow a list; ``employee`` matches the number or a part of the name."""
    if kind:
        cases = cases.filter(kind=kind)
    if status:
        cases = cases.filter(status=status)
    if year is not None:
        cases = cases.filter(year=year)
    if employee:
        cases = cases.filter(Q(employee__number=employee) | Q(employee__name__contains=employee))
    return cases


def get_case_for_user(user: AnyUser, pk: int) -> ResultCase:
    """The case if ``user`` may see it, else 404 (R-1.1)."""
    try:
        return cases_visible_to(user).select_related("training_request").get(pk=pk)
    except ResultCase.DoesNotExist:
        raise Http404 from None


def case_history(case: ResultCase) -> QuerySet[ResultCase]:
    """Every recorded state of the case, oldest first, with who changed it."""
    return case.history.select_related("history_user").order_by("history_date")


def key_talents(user: AnyUser) -> QuerySet[ResultCase]:
    """The key-talent list (骨干员工名单, R-7.2): promotion candidates HR decided to promote or list."""
    return cases_visible_to(user).filter(
        kind=CaseKind.PROMOTION_CANDIDATE, status=CaseStatus.DECIDED, decision__in=KEY_TALENT_DECISIONS
    )


def recent_runs(limit: int = 20) -> QuerySet[EvaluationRun]:
    return EvaluationRun.objects.select_related("actor")[:limit]
