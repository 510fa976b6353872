"""Pages of performance pay (namespace `payroll`): closes and pay sheets, overrides, held pay, the
adjustment fund, settings, coefficients, the what-if simulator, charts and HR's overview.

Thin: parse, call one selector or action, render. Objects come through the access helpers
(selectors.get_*_for_user: 404 outside the user's scope, R-1.1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.organisation.access import employee_of, is_company_wide
from aftersales.payroll import paysheet, selectors, services
from aftersales.payroll.changes import changes_after, with_out_of_date
from aftersales.payroll.forms import (
    CloseRunForm,
    CoefficientForm,
    OverrideForm,
    PayoutForm,
    ReleaseForm,
    SettingsForm,
    SimulatorForm,
)
from aftersales.payroll.models import CategorySetting, CloseVersion, DepartmentCoefficient, PaySettings
from aftersales.ui.exporting import Column, wants_xlsx, xlsx_response

PAGE_SIZE = 25

LINE_COLUMNS: list[Column] = [
    (gettext_lazy("部门"), lambda line: line.version.period.department.name),
    (gettext_lazy("周期"), lambda line: line.version.period.label),
    (gettext_lazy("工号"), lambda line: line.employee.number),
    (gettext_lazy("员工"), lambda line: line.employee.name),
    (gettext_lazy("职位"), lambda line: line.position),
    (gettext_lazy("最终得分"), lambda line: line.final_score),
    (gettext_lazy("等级"), lambda line: line.grade),
    (gettext_lazy("标准绩效薪资 S"), lambda line: line.standard_pay),
    (gettext_lazy("绩效薪资"), lambda line: line.pay),
    (gettext_lazy("暂缓发放"), lambda line: line.withheld),
]


def _require_hr(request: HttpRequest) -> None:
    if not is_company_wide(request.user):
        raise PermissionDenied


def _act(form: Any, action: Callable[..., Any], **kwargs: Any) -> Any:
    """Call an action; its ``ActionError`` lands on the form (None returned)."""
    try:
        return action(**kwargs)
    except services.ActionError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


def _page(request: HttpRequest, items: Any, name: str = "page", counted: Any = None) -> Any:
    """A page of ``items``; ``counted``: the same rows without the list's annotations, to count (the
    joins an annotation needs stay in Django's count query, and it would read every row they join)."""
    paginator = Paginator(items, PAGE_SIZE)
    if counted is not None:
        paginator.count = counted.count()
    return paginator.get_page(request.GET.get(name))


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """My pay, my team's pay, and the pay sheets I may see (HR all, a head their department's)."""
    me = employee_of(request.user)
    current = selectors.lines_visible_to(request.user).filter(version__is_current=True)
    if wants_xlsx(request):
        return xlsx_response(name="pay-lines", columns=LINE_COLUMNS, rows=current)
    # the pay sheets of one year at a time (the latest by default): the list, its count and its
    # out-of-date checks do not grow with the years of history (issue 11)
    visible = selectors.closes_visible_to(request.user).filter(is_current=True)
    years = selectors.close_years(visible)
    year = _year_of(request, years)
    of_year = visible.filter(year=year) if year is not None else visible.none()
    context = {
        "mine": current.filter(employee=me)[:12] if me else [],
        "team": _page(request, current.filter(employee__supervisor=me), "tpage") if me else None,
        "closes": _page(request, selectors.with_totals(with_out_of_date(of_year)), counted=of_year),
        "year": year,
        "years": years,
        "year_query": f"year={year}" if year else "",
        "is_hr": is_company_wide(request.user),
        "headed": selectors.headed_by(request.user),
    }
    return render(request, "payroll/index.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def close_run(request: HttpRequest) -> HttpResponse:
    """HR closes a month, of one department or of the company."""
    _require_hr(request)
    form = CloseRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["department"] is None:  # the company's close runs in the background (issue 11)
            return _close_job(request, data)
        outcome = _act(form, services.close_run, actor=request.user, **data)
        if outcome is not None:
            return _after_close(request, outcome)
    return render(request, "payroll/close_run.html", {"form": form})


def _close_job(request: HttpRequest, data: dict[str, Any]) -> HttpResponse:
    from aftersales.jobs.models import Job
    from aftersales.jobs.services import job_start

    params = {"department": None, "year": data["year"], "month": data["month"], "reason": data["reason"]}
    title = _("全公司 %(year)d年%(month)d月") % params
    job = job_start(kind=Job.Kind.CLOSE, title=title, params=params, actor=request.user, company_wide=True)
    return redirect("jobs:detail", pk=job.pk)


def _after_close(request: HttpRequest, outcome: services.CloseOutcome) -> HttpResponse:
    counts = {"created": len(outcome.created), "unchanged": len(outcome.unchanged)}
    messages.success(request, _("结算完成：新版本 %(created)d 个，结果未变化 %(unchanged)d 个。") % counts)
    if len(outcome.created) == 1:
        return redirect("payroll:close-detail", pk=outcome.created[0].pk)
    if not outcome.created and len(outcome.unchanged) == 1:
        version = CloseVersion.objects.get(period_id=outcome.unchanged[0], is_current=True)
        return redirect("payroll:close-detail", pk=version.pk)
    return redirect("payroll:index")


@require_GET
@login_required
def close_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The pay sheet of a department's month, its version history and charts."""
    version = selectors.get_close_for_user(request.user, pk)
    # a page of the sheet at a time; the totals and grade counts are the whole sheet's (issue 11)
    ids = selectors.sheet_page_ids(version)
    page = Paginator(ids, PAY_SHEET_PAGE).get_page(request.GET.get("page"))
    lines = selectors.lines_by_ids(list(page.object_list))
    for line in lines:  # HR overrides others' lines only (R-4.1)
        line.may_override = services.may_act_on_line(request.user, line)  # type: ignore[attr-defined]
    totals = selectors.sheet_totals(version)
    context = {
        "version": version,
        "lines": lines,
        "page": page,
        "query": "",
        "history": selectors.versions_of(version),
        "pending": selectors.pending_overrides(version),
        "changes": changes_after(version) if version.is_current else [],  # out of date
        "grades": totals["grades"],
        "chart": selectors.sheet_chart(lines, totals),
        "is_hr": is_company_wide(request.user),
    }
    return render(request, "payroll/close_detail.html", context)


PAY_SHEET_PAGE = 100


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _sheet_download(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The sheet at once; a large department's (more lines than ``JOBS_THRESHOLD``) as a background
    job whose page shows its progress and then the download (issue 11)."""
    version = selectors.get_close_for_user(request.user, pk)
    if version.lines.count() > settings.JOBS_THRESHOLD:
        return _sheet_job(request, version, extension)
    sheet = paysheet.pay_sheet(version, list(selectors.lines_of(version)))
    if extension == "pdf":
        return _download(
            paysheet.pay_sheet_pdf(sheet), "application/pdf", paysheet.sheet_filename(version, "pdf")
        )
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(paysheet.pay_sheet_xlsx(sheet), content_type, paysheet.sheet_filename(version, "xlsx"))


def _sheet_job(request: HttpRequest, version: CloseVersion, extension: str) -> HttpResponse:
    from aftersales.jobs.models import Job
    from aftersales.jobs.services import job_start

    kind = Job.Kind.PAYSHEET_PDF if extension == "pdf" else Job.Kind.PAYSHEET_XLSX
    title = f"{version.period.department.name} {version.period.label} v{version.number}"
    job = job_start(kind=kind, title=title, params={"version": version.pk}, actor=request.user)
    return redirect("jobs:detail", pk=job.pk)


@require_GET
@login_required
def close_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _sheet_download(request, pk, "xlsx")


@require_GET
@login_required
def close_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _sheet_download(request, pk, "pdf")


@require_GET
@login_required
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One employee's result: score, grade and why, pay, hold."""
    return _line_page(request, selectors.get_line_for_user(request.user, pk))


def _line_page(request: HttpRequest, line: Any, release_form: Any = None) -> HttpResponse:
    """The line; ``release_form``: a refused release shown again as typed (400)."""
    context = {
        "line": line,
        "may_act": services.may_act_on_line(request.user, line),
        "may_see_sheet": selectors.may_see_department(request.user, line.version.period.department_id),
        "release_form": release_form or ReleaseForm(),
    }
    return render(request, "payroll/line_detail.html", context, status=400 if release_form else 200)


@require_http_methods(["GET", "POST"])
@login_required
def line_override(request: HttpRequest, pk: int) -> HttpResponse:
    """HR overrides the grade of a line with a written reason (R-3.3)."""
    line = selectors.get_line_for_user(request.user, pk)
    if not services.may_act_on_line(request.user, line):  # HR, on another's line
        raise PermissionDenied
    form = OverrideForm(request.POST or None, initial={"grade": line.grade})
    posted = request.method == "POST" and form.is_valid()
    if posted and _act(form, services.grade_override, line=line, actor=request.user, **form.cleaned_data):
        messages.success(request, _("改判已记录，重新结算本月后生效。"))
        return redirect("payroll:close-detail", pk=line.version_id)
    return render(request, "payroll/override.html", {"form": form, "line": line})


@require_POST
@login_required
def line_release(request: HttpRequest, pk: int) -> HttpResponse:
    """HR releases held pay once the appeal is decided or the interview recorded (R-4.3, R-4.4)."""
    line = selectors.get_line_for_user(request.user, pk)
    _require_hr(request)
    form = ReleaseForm(request.POST)
    if not (
        form.is_valid()
        and _act(form, services.pay_release, line=line, actor=request.user, **form.cleaned_data)
    ):
        return _line_page(request, line, release_form=form)
    messages.success(request, _("已解除暂缓，发放绩效薪资。"))
    return redirect("payroll:line-detail", pk=line.pk)


@require_GET
@login_required
def fund(request: HttpRequest, pk: int) -> HttpResponse:
    """The department's quarterly adjustment fund (R-5.4): inflows, payouts, carry-over."""
    department = selectors.get_department_for_user(request.user, pk)
    may_pay = services.may_pay_from_fund(request.user, department)
    context = {
        "department": department,
        "ledger": list(reversed(selectors.fund_ledger(department))),
        "form": PayoutForm(department=department) if may_pay else None,
    }
    return render(request, "payroll/fund.html", context)


@require_POST
@login_required
def fund_payout(request: HttpRequest, pk: int) -> HttpResponse:
    """The head (or HR) pays an adjustment reward from the fund, with a reason."""
    department = selectors.get_department_for_user(request.user, pk)
    if not services.may_pay_from_fund(request.user, department):
        raise PermissionDenied
    form = PayoutForm(request.POST, department=department)
    if form.is_valid() and _act(
        form, services.fund_payout, department=department, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, _("调节奖励已发放。"))
        return redirect("payroll:fund", pk=department.pk)
    context = {
        "department": department,
        "ledger": list(reversed(selectors.fund_ledger(department))),
        "form": form,
    }
    return render(request, "payroll/fund.html", context, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    """HR's pay settings: ratio, rounding unit, score cap, quotas, each category's pay factor."""
    _require_hr(request)
    instance = PaySettings.load()
    modes = dict(CategorySetting.objects.values_list("category", "pay_factor"))
    form = SettingsForm(request.POST or None, instance=instance, modes=modes)
    if request.method == "POST" and form.is_valid():
        done = _act(
            form,
            services.pay_settings_update,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            fields=form.setting_fields(),
            pay_factors=form.pay_factors(),
        )
        if done:
            messages.success(request, _("设置已保存，下次结算时生效。"))
            return redirect("payroll:settings")
    history = instance.history.select_related("history_user")[:10]
    return render(request, "payroll/settings.html", {"form": form, "history": history})


@require_http_methods(["GET", "POST"])
@login_required
def coefficients(request: HttpRequest) -> HttpResponse:
    """Department coefficients d by month (R-5.3): set by HR with a reason."""
    _require_hr(request)
    form = CoefficientForm(request.POST or None)
    posted = request.method == "POST" and form.is_valid()
    if posted and _act(form, services.coefficient_set, actor=request.user, **form.cleaned_data):
        messages.success(request, _("部门月度绩效系数已保存，重新结算该月后生效。"))
        return redirect("payroll:coefficients")
    rows = DepartmentCoefficient.objects.select_related("department", "set_by")
    return render(request, "payroll/coefficients.html", {"form": form, "page": _page(request, rows)})


@require_GET
@login_required
def simulator(request: HttpRequest, pk: int) -> HttpResponse:
    """What-if (part 5): a closed month with other quotas, ratio, rounding unit or d, side by side.
    Computed in memory; nothing is written."""
    _require_hr(request)
    version = selectors.get_close_for_user(request.user, pk)
    form = SimulatorForm.for_version(version, request.GET)
    simulation = None
    if form.is_valid():
        simulation = selectors.simulate(version, list(selectors.lines_of(version)), **form.changes())
    return render(
        request, "payroll/simulator.html", {"version": version, "form": form, "simulation": simulation}
    )


@require_GET
@login_required
def trend(request: HttpRequest, pk: int) -> HttpResponse:
    """A department's closes of a year: grade distribution and pay by month (charts)."""
    department = selectors.get_department_for_user(request.user, pk)
    year = _year(request)
    months = selectors.department_trend(department, year)
    context = {
        "department": department,
        "year": year,
        "months": months,
        "chart": selectors.trend_chart(months),
    }
    return render(request, "payroll/trend.html", context)


def _year_of(request: HttpRequest, years: list[int]) -> int | None:
    """The year asked for if it has pay sheets, else the latest that has."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[0] if years else None


def _year(request: HttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("year", "")), 2000), 2100)
    except ValueError:
        return timezone.localdate().year


def _overview_columns(months: list[int]) -> list[Column]:
    """部门, then P (the distributable pool) of each month."""

    def pool_of(index: int) -> Callable[[Any], Any]:
        return lambda row: row[1][index].distributable if row[1][index] else None

    return [(gettext_lazy("部门"), lambda row: row[0].name)] + [
        (_("%(month)s月") % {"month": month}, pool_of(index)) for index, month in enumerate(months)
    ]


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """HR's overview across departments and months of a year."""
    _require_hr(request)
    year = _year(request)
    departments, months, cells = selectors.overview(year)
    rows = [
        (department, [cells.get((department.pk, month)) for month in months]) for department in departments
    ]
    if wants_xlsx(request):
        return xlsx_response(name=f"pay-overview-{year}", columns=_overview_columns(months), rows=rows)
    labels = _OverviewLabels(
        detail=escape(reverse("payroll:close-detail", args=[0]).removesuffix("0/")),
        people=escape(_("人数")),
        mean=escape(_("平均得分")),
        held=escape(_("暂缓")),
    )
    context = {
        "year": year,
        "months": months,
        "rows": [
            (department, mark_safe("".join(_overview_cell(cell, labels) for cell in row)))
            for department, row in rows
        ],
        "chart": selectors.overview_chart(departments, cells),
    }
    return render(request, "payroll/overview.html", context)


@dataclass(frozen=True)
class _OverviewLabels:
    """The cells' fixed texts, escaped once for all cells."""

    detail: str  # the pay sheets' address without the id
    people: str
    mean: str
    held: str


def _overview_cell(cell: selectors.OverviewCell | None, labels: _OverviewLabels) -> str:
    """One cell of the overview as HTML, made here rather than by the template: 200 departments
    make 2,400 cells, and the template language (a ``{% url %}``, ``floatformat`` and a translation
    a cell) cost ≈ 0.5 ms a cell, ``format_html`` still ≈ 15 µs. The texts are escaped once
    (``labels``); the rest are numbers. Amounts are rounded half up and grouped by thousands with a
    comma, as ``floatformat:"0g"`` shows them in both languages (aftersales.formats)."""
    if cell is None:
        return '<td class="text-end"><span class="text-muted">—</span></td>'
    pool = cell.distributable.quantize(Decimal(1), ROUND_HALF_UP)
    mean = "" if cell.mean_score is None else cell.mean_score.quantize(Decimal("0.1"), ROUND_HALF_UP)
    held = (
        f'<br><span class="badge text-bg-warning">{labels.held} {cell.held_count:d}</span>'
        if cell.held_count
        else ""
    )
    return (
        f'<td class="text-end"><a href="{labels.detail}{cell.pk:d}/" '
        f'title="{labels.people} {cell.line_count:d} · {labels.mean} {mean}">{pool:,}</a>{held}</td>'
    )
