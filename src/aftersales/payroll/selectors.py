"""Reading pay: what a user may see (R-1.1), the inputs of a close, the fund ledger, the simulator,
chart and overview figures.

Lists filter in the queryset and preload their relations, so the number of queries does not grow
with the rows. The inputs of a close are read in a fixed number of queries whatever the number of
employees (SPEC §5, benchmarks/close_benchmark.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext

from aftersales.appraisal.models import Appraisal, Period, State
from aftersales.core.builtin_forms import BUILTIN_TEMPLATES
from aftersales.core.errors import RuleError
from aftersales.core.grading import GRADES, Grade
from aftersales.core.ordering import natural_key
from aftersales.core.pay import FundQuarter, fund_quarter
from aftersales.discipline.selectors import discipline_points_by_employee
from aftersales.formdefs.models import FormTemplate
from aftersales.organisation.access import (
    Who,
    employees_visible_to,
    headed_departments,
    is_company_wide,
)
from aftersales.organisation.models import Department, Employee
from aftersales.payroll.calculation import CloseRules, LineResult, Member, PoolResult, close_pool
from aftersales.payroll.explain import HELD_APPEALED, HELD_INTERVIEW, held_reason
from aftersales.payroll.models import (
    CategorySetting,
    CloseLine,
    CloseVersion,
    DepartmentCoefficient,
    FundPayout,
    GradeOverride,
    PayFactorMode,
    PaySettings,
)
from aftersales.ui.years import years_spanned

ZERO = Decimal(0)
# an appraisal is paid once archived; an appealed one is closed but its pay held
CLOSABLE = (State.ARCHIVED, State.APPEALED)


# ---------------------------------------------------------------------------------------------
# Who sees what: HR every close; a head their department's; everyone the lines they may see


def headed_by(user: Who) -> frozenset[int]:
    """Departments (with their units) the user heads (the request's viewer's)."""
    return headed_departments(user)


def may_see_department(user: Who, department_id: int) -> bool:
    return is_company_wide(user) or department_id in headed_by(user)


def closes_visible_to(user: Who) -> QuerySet[CloseVersion]:
    """Close versions (whole pay sheets): HR all, a head their department's, others none."""
    versions = CloseVersion.objects.select_related("period__department", "closed_by").order_by(
        "-period__year", "-period__month", "period__department__code", "-number"
    )
    if is_company_wide(user):
        return versions
    return versions.filter(period__department_id__in=headed_by(user))


def close_years(versions: QuerySet[CloseVersion]) -> list[int]:
    """The years from the newest to the oldest pay sheet among ``versions``, newest first (two index
    seeks on the versions' own year, whatever the years of history)."""
    return years_spanned(versions, "year")


def with_totals(versions: QuerySet[CloseVersion]) -> QuerySet[CloseVersion]:
    """Each version with its lines still held (R-4.3/R-4.4; released later, so not stored on the
    version as its head count, pay total and mean score are). A subquery per row shown, so a page
    of versions costs the same whatever the history."""
    held = (
        CloseLine.objects.filter(version=OuterRef("pk"), held=True, released_at__isnull=True)
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return versions.annotate(held_count=Coalesce(Subquery(held), 0))


def get_close_for_user(user: Who, pk: int) -> CloseVersion:
    try:
        return closes_visible_to(user).get(pk=pk)
    except CloseVersion.DoesNotExist:
        raise Http404 from None


def lines_visible_to(user: Who) -> QuerySet[CloseLine]:
    """Lines of the employees the user may see: an employee their own, a supervisor their team's,
    a head their department's, HR all (R-1.1)."""
    lines = CloseLine.objects.select_related(
        "employee", "unit", "version__period__department", "released_by"
    ).order_by("-version__period__year", "-version__period__month", "employee__number", "-version__number")
    if is_company_wide(user):
        return lines
    return lines.filter(employee__in=employees_visible_to(user).values("pk"))


def get_line_for_user(user: Who, pk: int) -> CloseLine:
    try:
        return lines_visible_to(user).get(pk=pk)
    except CloseLine.DoesNotExist:
        raise Http404 from None


def lines_of(version: CloseVersion) -> list[CloseLine]:
    """The version's lines in natural employee-number order (E9 before E10, R-3.3/R-5.3), as the
    pay sheet, its exports and the simulator list them."""
    lines = version.lines.select_related("employee", "unit", "released_by")
    return sorted(lines, key=lambda line: natural_key(line.employee.number))


def sheet_page_ids(version: CloseVersion) -> list[int]:
    """The ids of the version's lines in natural employee-number order (one query of two columns):
    the pay sheet pages through them without loading every line (issue 11)."""
    keys = version.lines.values_list("pk", "employee__number")
    return [pk for pk, number in sorted(keys, key=lambda key: natural_key(key[1]))]


def lines_by_ids(ids: Sequence[int]) -> list[CloseLine]:
    """The lines of ``ids`` in that order (one query)."""
    lines = CloseLine.objects.select_related("employee", "unit", "released_by").in_bulk(ids)
    return [lines[pk] for pk in ids if pk in lines]


def sheet_totals(version: CloseVersion) -> dict[str, Any]:
    """The whole sheet's figures, whatever page is shown: the sums of position salary and standard
    pay, the grade counts (one query each); pay and head count are stored on the version."""
    sums = version.lines.aggregate(salary=Sum("standard_salary"), standard=Sum("standard_pay"))
    counts = Counter(
        {
            row["effective"] or "-": row["n"]
            for row in version.lines.annotate(effective=EFFECTIVE_GRADE)
            .order_by()
            .values("effective")
            .annotate(n=Count("pk"))
        }
    )
    return {
        "salary_total": _figure(sums["salary"] or ZERO),
        "standard_total": _figure(sums["standard"] or ZERO),
        "total": _figure(version.pay_total),
        "grades": grade_table(counts),
    }


def versions_of(version: CloseVersion) -> QuerySet[CloseVersion]:
    """Every version of the same department and month, newest first (the close's history)."""
    return with_totals(
        CloseVersion.objects.filter(period_id=version.period_id)
        .select_related("closed_by")
        .order_by("-number")
    )


def pending_overrides(version: CloseVersion) -> list[GradeOverride]:
    """Overrides recorded after this version was closed: a re-close applies them."""
    if not version.is_current:
        return []
    return list(
        GradeOverride.objects.filter(
            year=version.period.year,
            month=version.period.month,
            employee_id__in=version.lines.values("employee_id"),
            at__gt=version.closed_at,
        ).select_related("employee", "actor")
    )


def root_departments() -> QuerySet[Department]:
    return Department.objects.filter(parent__isnull=True)


def get_department_for_user(user: Who, pk: int) -> Department:
    """A (root) department whose pay the user may see: HR any, a head their own; else 404."""
    department = root_departments().filter(pk=pk).first()
    if department is None or not may_see_department(user, department.pk):
        raise Http404
    return department


# ---------------------------------------------------------------------------------------------
# The inputs of a close, in a fixed number of queries


@dataclass
class Pool:
    """One department's month: the close's members and what each line stores besides the result."""

    period_id: int
    department_id: int
    department_name: str
    head_in_pool: bool
    members: list[Member] = field(default_factory=list)
    appraisal_ids: dict[int, int | None] = field(default_factory=dict)
    units: dict[int, int] = field(default_factory=dict)
    positions: dict[int, str] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)  # as of the close: an archived sheet keeps them
    held: dict[int, str] = field(default_factory=dict)
    override_reasons: dict[int, str] = field(default_factory=dict)
    not_ready: int = 0


@dataclass(frozen=True)
class MonthInputs:
    settings: PaySettings
    grade_factor_categories: frozenset[str]
    coefficients: Mapping[int, Decimal]  # department id → d
    pools: list[Pool]

    def rules_for(self, pool: Pool) -> CloseRules:
        return CloseRules(
            pay_ratio=self.settings.pay_ratio,
            rounding_unit=self.settings.rounding_unit,
            quotas=self.settings.quotas(),
            score_cap=self.settings.score_cap,
            coefficient=self.coefficients.get(pool.department_id, Decimal(1)),
            head_in_pool=pool.head_in_pool,
            grade_factor_categories=self.grade_factor_categories,
        )


def grade_factor_categories() -> frozenset[str]:
    """Categories whose pay factor is the grade coefficient Q (R-5.2); the rest use score / 100."""
    rows = CategorySetting.objects.filter(pay_factor=PayFactorMode.GRADE)
    return frozenset(rows.values_list("category", flat=True))


def forced_templates() -> set[tuple[str, int]]:
    """(code, version) of the forms graded by forced distribution (R-3.3): the published versions,
    and the built-in version 1 of a form whose version 1 was never stored (as ``template_get``)."""
    stored = {
        (code, version): grading
        for code, version, grading in FormTemplate.objects.values_list("code", "version", "grading")
    }
    forced = {key for key, grading in stored.items() if grading == "forced"}
    for template in BUILTIN_TEMPLATES:
        if template.grading == "forced" and (template.code, 1) not in stored:
            forced.add((template.code, 1))
    return forced


def _latest_overrides(year: int, month: int) -> dict[int, GradeOverride]:
    rows = GradeOverride.objects.filter(year=year, month=month).order_by("at", "pk")
    return {row.employee_id: row for row in rows}  # the latest row of each employee wins


def periods_of(year: int, month: int, department: Department | None) -> QuerySet[Period]:
    """The periods of a month (of one department, or of all)."""
    return _periods(year, month, department)


def _periods(year: int, month: int, department: Department | None) -> QuerySet[Period]:
    periods = Period.objects.filter(year=year, month=month)
    return periods.filter(department=department) if department is not None else periods


APPRAISAL_FIELDS = (
    "id",
    "period_id",
    "employee_id",
    "employee__number",
    "employee__category",
    "employee__standard_salary",
    "employee__department_id",
    "employee__position__name",
    "employee__name",
    "form_total",
    "state",
    "interview_missing",
    "template_code",
    "template_version",
)
HEAD_FIELDS = ("id", "number", "category", "standard_salary", "department_id", "position__name", "name")


def close_inputs(*, year: int, month: int, department: Department | None = None) -> MonthInputs:
    """Everything the close of ``year-month`` needs (of one department, or of all), in at most ten
    queries whatever the number of employees."""
    settings = PaySettings.load()
    periods = _periods(year, month, department)
    pools, heads = {}, {}
    for row in periods.values(
        "id", "department_id", "department__name", "department__head_in_pool", "department__head_id"
    ):
        pools[row["id"]] = Pool(
            row["id"], row["department_id"], row["department__name"], row["department__head_in_pool"]
        )
        if row["department__head_id"] is not None:
            heads[row["id"]] = row["department__head_id"]
    points = discipline_points_by_employee(year, month)
    overrides = _latest_overrides(year, month)
    forced = forced_templates()
    # tuples, unsorted: close_pool orders each pool by employee number itself
    appraisals = Appraisal.objects.filter(is_current=True, period__in=periods).order_by()
    for row in appraisals.values_list(*APPRAISAL_FIELDS):
        pool = pools[row[1]]
        _add_appraised(pool, row, points, overrides, forced, heads.get(row[1]))
    _add_unappraised_heads(pools, heads)
    coefficients = dict(
        DepartmentCoefficient.objects.filter(year=year, month=month).values_list("department_id", "value")
    )
    ready = [pool for pool in pools.values() if pool.members]
    return MonthInputs(settings, grade_factor_categories(), coefficients, ready)


def _add_appraised(
    pool: Pool,
    row: tuple[Any, ...],
    points: Mapping[int, Decimal],
    overrides: Mapping[int, GradeOverride],
    forced: set[tuple[str, int]],
    head_id: int | None,
) -> None:
    """One row of APPRAISAL_FIELDS into its pool."""
    (appraisal_id, _period, employee_id, number, category, salary, unit_id, position, name) = row[:9]
    form_total, state, interview_missing, template_code, template_version = row[9:]
    if state not in CLOSABLE:
        pool.not_ready += 1
    override = overrides.get(employee_id)
    override_grade = override.grade if override else ""
    pool.members.append(
        Member(
            employee_id,
            number,
            category,
            salary,
            form_total,
            points.get(employee_id, ZERO),
            (template_code, template_version) in forced,
            employee_id == head_id,
            Grade(override_grade) if override_grade else None,
            override.final_score if override else None,
        )
    )
    if override is not None and override_grade:
        pool.override_reasons[employee_id] = override.reason
    pool.appraisal_ids[employee_id] = appraisal_id
    pool.units[employee_id] = unit_id
    pool.positions[employee_id] = position
    pool.names[employee_id] = name
    if state == State.APPEALED or interview_missing:
        reasons = [HELD_APPEALED] * (state == State.APPEALED) + [HELD_INTERVIEW] * interview_missing
        pool.held[employee_id] = held_reason(reasons)


def _add_unappraised_heads(pools: Mapping[int, Pool], heads: Mapping[int, int]) -> None:
    """A head with no appraisal of the month is still paid: d × S_head outside the pool (R-5.5)."""
    missing = {
        period_id: head_id
        for period_id, head_id in heads.items()
        if pools[period_id].members and head_id not in pools[period_id].appraisal_ids
    }
    rows = {
        row["id"]: row for row in Employee.objects.filter(pk__in=set(missing.values())).values(*HEAD_FIELDS)
    }
    for period_id, head_id in missing.items():
        pool, row = pools[period_id], rows[head_id]
        pool.members.append(
            Member(head_id, row["number"], row["category"], row["standard_salary"], None, head=True)
        )
        pool.appraisal_ids[head_id] = None
        pool.units[head_id] = row["department_id"]
        pool.positions[head_id] = row["position__name"]
        pool.names[head_id] = row["name"]


def current_versions(
    *, year: int, month: int, department: Department | None = None
) -> dict[int, CloseVersion]:
    """The current close version of each period of the month, by period id."""
    versions = CloseVersion.objects.filter(
        is_current=True, period__in=_periods(year, month, department)
    ).only("id", "period_id", "number", "fingerprint")
    return {version.period_id: version for version in versions}


# ---------------------------------------------------------------------------------------------
# The what-if simulator (part 5): a closed month recomputed in memory with other rules


def version_rules(version: CloseVersion) -> CloseRules:
    """The rules a close version applied, from its snapshot."""
    return CloseRules(
        pay_ratio=version.pay_ratio,
        rounding_unit=version.rounding_unit,
        quotas={Grade(grade): Decimal(str(value)) for grade, value in version.quotas.items()},
        score_cap=version.score_cap,
        coefficient=version.coefficient,
        head_in_pool=version.head_in_pool,
        grade_factor_categories=frozenset(version.grade_factor_categories),
        s_to_fen=version.s_to_fen,  # a version closed before rounded S keeps its figures
    )


def line_member(line: CloseLine) -> Member:
    """A stored line as the close saw its employee (the override as applied then)."""
    return Member(
        employee_id=line.employee_id,
        number=line.employee.number,
        category=line.category,
        standard_salary=line.standard_salary,
        form_total=line.form_total,
        discipline_points=line.discipline_points,
        forced=line.forced,
        head=line.is_head,
        override_grade=Grade(line.override_grade) if line.override_grade else None,
        override_score=line.final_score if line.override_grade else None,
    )


@dataclass(frozen=True)
class SimulatedLine:
    line: CloseLine  # as closed
    after: LineResult  # under the changed rules

    @property
    def grade_after(self) -> str:
        return self.after.grade.value if self.after.grade else ""

    @property
    def difference(self) -> Decimal:
        return self.after.pay - self.line.pay

    @property
    def changed(self) -> bool:
        return self.grade_after != self.line.grade or self.difference != 0


@dataclass(frozen=True)
class Simulation:
    version: CloseVersion
    rules: CloseRules
    rows: list[SimulatedLine]
    after: PoolResult

    @property
    def pay_before(self) -> Decimal:
        return sum((row.line.pay for row in self.rows), ZERO)

    @property
    def pay_after(self) -> Decimal:
        return sum((result.pay for result in self.after.lines), ZERO)


def simulate(version: CloseVersion, lines: list[CloseLine], **changes: object) -> Simulation:
    """Recompute a closed month with some rules changed (quotas, pay_ratio, rounding_unit,
    coefficient); reads nothing more and writes nothing."""
    rules = version_rules(version).but(**{k: v for k, v in changes.items() if v is not None})
    after = close_pool([line_member(line) for line in lines], rules)
    by_employee = {result.member.employee_id: result for result in after.lines}
    return Simulation(
        version, rules, [SimulatedLine(line, by_employee[line.employee_id]) for line in lines], after
    )


# ---------------------------------------------------------------------------------------------
# The quarterly adjustment fund


@dataclass(frozen=True)
class FundQuarterRow:
    year: int
    quarter: int
    inflows: list[tuple[int, Decimal]]  # (month, B − P of its current close)
    payouts: list[FundPayout]
    ledger: FundQuarter
    overdrawn: bool  # a re-close lowered the inflows below what was already paid out

    @property
    def available(self) -> Decimal:
        return self.ledger.opening + self.ledger.inflows - self.ledger.payouts


def _quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def _quarters_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    quarters, (year, quarter) = [], first
    while (year, quarter) <= last:
        quarters.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


def fund_ledger(department: Department, *, until: tuple[int, int] | None = None) -> list[FundQuarterRow]:
    """The department's fund quarter by quarter: opening (carried over), the months' balances,
    the payouts, closing (carried over to the next quarter); ``until`` extends it to that quarter."""
    inflows: dict[tuple[int, int], list[tuple[int, Decimal]]] = defaultdict(list)
    for year, month, amount in (
        CloseVersion.objects.filter(is_current=True, period__department=department)
        .order_by("period__year", "period__month")
        .values_list("period__year", "period__month", "fund_inflow")
    ):
        inflows[(year, _quarter_of(month))].append((month, amount))
    payouts: dict[tuple[int, int], list[FundPayout]] = defaultdict(list)
    for payout in FundPayout.objects.filter(department=department).select_related("employee", "paid_by"):
        payouts[(payout.year, payout.quarter)].append(payout)
    keys = sorted({*inflows, *payouts, *([until] if until else [])})
    if not keys:
        return []
    rows, opening = [], ZERO
    for key in _quarters_between(keys[0], keys[-1]):
        row = _fund_quarter_row(key, opening, inflows[key], payouts[key])
        rows.append(row)
        opening = row.ledger.closing
    return rows


def _fund_quarter_row(
    key: tuple[int, int], opening: Decimal, inflows: list[tuple[int, Decimal]], payouts: list[FundPayout]
) -> FundQuarterRow:
    amounts_in = [amount for _month, amount in inflows]
    amounts_out = [payout.amount for payout in payouts]
    try:
        ledger, overdrawn = fund_quarter(max(opening, ZERO), amounts_in, amounts_out), False
    except RuleError:
        received, paid = sum(amounts_in, ZERO), sum(amounts_out, ZERO)
        ledger, overdrawn = FundQuarter(opening, received, paid, opening + received - paid), True
    return FundQuarterRow(key[0], key[1], inflows, payouts, ledger, overdrawn)


# ---------------------------------------------------------------------------------------------
# Charts and the HR overview


def grade_table(counts: Mapping[str, int]) -> dict[str, int]:
    """Lines per grade that counts (override first), A … E, plus "-" for no grade when there is one."""
    return {grade.value: counts.get(grade.value, 0) for grade in GRADES} | (
        {"-": counts["-"]} if counts.get("-") else {}
    )


EFFECTIVE_GRADE = Case(
    When(~Q(override_grade=""), then=F("override_grade")),
    default=F("computed_grade"),
    output_field=CharField(),
)


def department_trend(department: Department, year: int) -> list[dict]:
    """The department's current closes of ``year`` month by month: P, B, fund inflow, mean final
    score and grade counts (two queries)."""
    versions = list(
        with_totals(CloseVersion.objects.filter(is_current=True, period__department=department, year=year))
        .order_by("period__month")
        .select_related("period")
    )
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row in (
        CloseLine.objects.filter(version__in=versions)
        .annotate(effective=EFFECTIVE_GRADE)
        .values("version_id", "effective")
        .annotate(n=Count("id"))
    ):
        counts[row["version_id"]][row["effective"] or "-"] += row["n"]
    return [
        {"version": version, "grades": {g.value: counts[version.pk].get(g.value, 0) for g in GRADES}}
        for version in versions
    ]


@dataclass(frozen=True, slots=True)
class OverviewDepartment:
    pk: int
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class OverviewCell:
    """One department-month of the overview: its current close, in the few columns shown."""

    pk: int
    distributable: Decimal
    line_count: int
    mean_score: Decimal | None
    held_count: int


def overview(year: int) -> tuple[list[OverviewDepartment], list[int], dict[tuple[int, int], OverviewCell]]:
    """HR's overview: every department × month of ``year`` with its current close — one query of
    the columns shown (2,400 cells for 200 departments: no model instances, no JSON columns)."""
    rows = (
        with_totals(CloseVersion.objects.filter(is_current=True, year=year))
        .order_by()
        .values_list(  # type: ignore[misc]  # held_count is with_totals' annotation
            "pk",
            "period__month",
            "period__department_id",
            "period__department__code",
            "period__department__name",
            "distributable",
            "line_count",
            "mean_score",
            "held_count",
        )
    )
    cells: dict[tuple[int, int], OverviewCell] = {}
    departments: dict[int, OverviewDepartment] = {}
    for pk, month, dept, code, name, distributable, line_count, mean_score, held in rows:
        cells[(dept, month)] = OverviewCell(pk, distributable, line_count, mean_score, held)
        departments.setdefault(dept, OverviewDepartment(dept, code, name))
    return sorted(departments.values(), key=lambda d: d.code), list(range(1, 13)), cells


def _figure(value: Decimal | None) -> str | None:
    """A number for a chart (ECharts reads numeric strings; no float rounding on our side)."""
    return None if value is None else format(value.quantize(Decimal("0.01")), "f")


def sheet_chart(lines: list[CloseLine], totals: dict[str, Any]) -> dict:
    """The pay sheet's chart data: the whole sheet's grade distribution and totals, pay per
    employee of the page shown (ECharts data)."""
    return {
        "grades": totals["grades"],
        "names": [line.employee.name for line in lines],
        "pay": [_figure(line.pay) for line in lines],
        "standard": [_figure(line.standard_pay) for line in lines],
        "total": totals["total"],
        "standard_total": totals["standard_total"],
        "salary_total": totals["salary_total"],
    }


def trend_chart(months: list[dict]) -> dict:
    """A department's year: P, fund inflow and grade counts by month (ECharts data)."""
    return {
        "months": [gettext("%(month)s月") % {"month": row["version"].period.month} for row in months],
        "pay": [_figure(row["version"].distributable) for row in months],
        "fund": [_figure(row["version"].fund_inflow) for row in months],
        "grades": {g.value: [row["grades"][g.value] for row in months] for g in GRADES},
    }


def overview_chart(
    departments: Sequence[OverviewDepartment], cells: Mapping[tuple[int, int], OverviewCell]
) -> dict:
    """P of every department by month (ECharts data)."""
    return {
        "months": [gettext("%(month)s月") % {"month": month} for month in range(1, 13)],
        "series": [
            {
                "name": department.name,
                "data": [
                    _figure(getattr(cells.get((department.pk, m)), "distributable", None))
                    for m in range(1, 13)
                ],
            }
            for department in departments
        ],
    }
