"""Pages of the use of results (绩效结果运用): parse the request, call one selector or act, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftersales.results import selectors, services
from aftersales.results.forms import CaseFilterForm, DecisionForm, EvaluateForm, WorkReportForm
from aftersales.results.models import ResultCase
from aftersales.ui.exporting import Column, wants_xlsx, xlsx_response

PAGE_SIZE = 50
CASE_COLUMNS: list[Column] = [
    (gettext_lazy("期间"), lambda c: c.period_label),
    (gettext_lazy("工号"), lambda c: c.employee.number),
    (gettext_lazy("员工"), lambda c: c.employee.name),
    (gettext_lazy("部门"), lambda c: c.employee.department.name),
    (gettext_lazy("类型"), lambda c: c.get_kind_display()),
    (gettext_lazy("状态"), lambda c: c.get_status_display()),
    (gettext_lazy("处理决定"), lambda c: c.get_decision_display() if c.decision else ""),
    (gettext_lazy("立案时间"), lambda c: c.raised_at),
]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The cases the user may see (结果运用案例), filtered."""
    filters = CaseFilterForm(request.GET)
    cases = selectors.filter_cases(selectors.cases_visible_to(request.user), **filters.filters())
    if wants_xlsx(request):
        return xlsx_response(name="result-cases", columns=CASE_COLUMNS, rows=cases)
    context = {
        "filters": filters,
        "page": Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": _query_without_page(request),
        "is_hr": _is_hr(request),
    }
    template = "results/_cases.html" if request.htmx else "results/index.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, pk)
    return _render_case(request, case, DecisionForm(case=case))


@login_required
@require_POST
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """HR records the decision (处理决定) on a case."""
    case = selectors.get_case_for_user(request.user, pk)
    if not _is_hr(request):
        raise PermissionDenied
    form = DecisionForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.case_decide(case=case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("处理决定已记录"))
            return redirect(case.get_absolute_url())
    return _render_case(request, case, form)


COMPOSITE_COLUMNS: list[Column] = [
    (gettext_lazy("工号"), lambda row: row.employee.number),
    (gettext_lazy("员工"), lambda row: row.employee.name),
    (gettext_lazy("部门"), lambda row: row.employee.department.name),
    (gettext_lazy("年度综合评价"), lambda row: row.composite),
    (gettext_lazy("月数"), lambda row: row.months),
    (gettext_lazy("上一年"), lambda row: row.earlier[0]),
    (gettext_lazy("两年前"), lambda row: row.earlier[1]),
    (gettext_lazy("晋职候选"), lambda row: row.promotion_candidate),
    (gettext_lazy("须述职"), lambda row: row.work_report_required),
]


@login_required
@require_POST
def case_work_report(request: HttpRequest, pk: int) -> HttpResponse:
    """HR records the work report (述职) of a case of R-7.3 or R-7.4 and its outcome."""
    case = selectors.get_case_for_user(request.user, pk)
    if not services.may_record_work_report(request.user, case):
        raise PermissionDenied
    report_form = WorkReportForm.for_case(case, request.POST)
    if report_form.is_valid():
        try:
            services.case_record_work_report(case=case, actor=request.user, **report_form.cleaned_data)
        except ValidationError as exc:
            report_form.add_error(None, exc)
        else:
            messages.success(request, _("述职已记录"))
            return redirect(case.get_absolute_url())
    return _render_case(request, case, DecisionForm(case=case), report_form)


@login_required
def composites(request: HttpRequest) -> HttpResponse:
    """Annual composite scores (年度综合评价, R-7.1) of the employees the user may see."""
    year = _year(request)
    rows = selectors.annual_composites(request.user, year)
    if wants_xlsx(request):
        return xlsx_response(name=f"composites-{year}", columns=COMPOSITE_COLUMNS, rows=rows)
    context = {
        "year": year,
        "years": [year - 2, year - 1],
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": f"year={year}",
        "is_hr": _is_hr(request),
    }
    return render(request, "results/composites.html", context)


@login_required
def key_talent(request: HttpRequest) -> HttpResponse:
    """The key-talent list (骨干员工名单, R-7.2)."""
    page = Paginator(selectors.key_talents(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": "", "is_hr": _is_hr(request)}
    return render(request, "results/key_talent.html", context)


@login_required
def evaluate(request: HttpRequest) -> HttpResponse:
    """Run the evaluation for a month (HR): raises the cases due, never twice."""
    if not _is_hr(request):
        raise PermissionDenied
    last_month = selectors.last_month()
    form = EvaluateForm(request.POST or None, initial={"year": last_month.year, "month": last_month.month})
    if request.method == "POST" and form.is_valid():
        result = services.results_evaluate(actor=request.user, **form.cleaned_data)
        messages.success(request, _("评估完成,新立案 %(count)s 件") % {"count": len(result.raised)})
        return redirect("results:evaluate")
    return render(request, "results/evaluate.html", {"form": form, "runs": selectors.recent_runs()})


# --- helpers --------------------------------------------------------------------------------------


def _render_case(
    request: HttpRequest, case: ResultCase, form: DecisionForm, report_form: WorkReportForm | None = None
) -> HttpResponse:
    context = {
        "case": case,
        "form": form,
        "history": selectors.case_history(case),
        "may_decide": services.may_decide(request.user, case),
        "may_record_report": services.may_record_work_report(request.user, case),
        "report_form": report_form or WorkReportForm.for_case(case),
    }
    return render(request, "results/case_detail.html", context)


def _is_hr(request: HttpRequest) -> bool:
    return services.is_hr(request.user)


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else selectors.this_year()


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
