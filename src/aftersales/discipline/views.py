"""Pages of rewards and penalties (奖惩): parse the request, call one selector or act, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftersales.discipline import selectors, services
from aftersales.discipline.forms import (
    CaseDecisionForm,
    DecisionForm,
    ProposeForm,
    ReasonForm,
    RecordFilterForm,
)
from aftersales.discipline.models import DisciplineRecord, RewardReason, Status
from aftersales.discipline.permissions import Authority, deciders
from aftersales.organisation.access import get_employee_for_user
from aftersales.ui.exporting import Column, wants_xlsx, xlsx_response
from aftersales.ui.htmx import prompt_answer

PAGE_SIZE = 50
RECORD_COLUMNS: list[Column] = [
    (gettext_lazy("生效日期"), lambda r: r.effective_date),
    (gettext_lazy("工号"), lambda r: r.employee.number),
    (gettext_lazy("员工"), lambda r: r.employee.name),
    (gettext_lazy("部门"), lambda r: r.employee.department.name),
    (gettext_lazy("种类"), lambda r: r.get_kind_display()),
    (gettext_lazy("事由"), lambda r: (r.reason.label + " " if r.reason else "") + r.description),
    (gettext_lazy("积分"), lambda r: r.points),
    (gettext_lazy("状态"), lambda r: r.get_status_display()),
]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The records the user may see, filtered (奖惩记录)."""
    authority = Authority.of(request.user)
    visible = selectors.records_visible_to(request.user)
    years = selectors.record_years(visible)
    data = request.GET.copy()
    if "year" not in data:  # first visit: the newest year, so the list does not count the whole history
        data["year"] = str(years[0])
    filters = RecordFilterForm(data, years=years)
    records = selectors.filter_records(visible, **filters.filters())
    if wants_xlsx(request):
        return xlsx_response(name="discipline-records", columns=RECORD_COLUMNS, rows=records)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "authority": authority,
        "filters": filters,
        "page": page,
        "records": _with_decidable(page.object_list, authority),
        "query": _query_without_page(request),
    }
    template = "discipline/_records.html" if request.htmx else "discipline/index.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    """Propose a reward or penalty (提出奖惩)."""
    authority = Authority.of(request.user)
    if not authority.may_propose:
        raise PermissionDenied
    form = ProposeForm(
        request.POST or None,
        employees=selectors.employees_proposable_by(authority),
        reasons=selectors.active_reasons(),
        initial={"employee": request.GET.get("employee")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_propose(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("奖惩已提出,待审批"))
            return redirect("discipline:record-detail", pk=record.pk)
    suggested = {reason.pk: reason.suggested_kind for reason in form.fields["reason"].queryset}  # type: ignore[attr-defined]
    return render(request, "discipline/propose.html", {"form": form, "suggested_kinds": suggested})


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.get_record_for_user(request.user, pk)
    context = {
        "record": _with_decidable([record], Authority.of(request.user))[0],
        "deciders": deciders(record) if record.status == Status.PROPOSED else "",
        "history": record.history.select_related("history_user").order_by("history_date"),
        "decision_form": DecisionForm(),
    }
    return render(request, "discipline/record_detail.html", context)


@login_required
@require_POST
def record_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.record_approve, _("已批准"))


@login_required
@require_POST
def record_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.record_reject, _("已驳回"))


@login_required
def standing(request: HttpRequest, pk: int) -> HttpResponse:
    """An employee's monthly points and yearly standing, level by level (R-6.2, R-6.3)."""
    employee = get_employee_for_user(request.user, pk)
    year = _year(request)
    context = {
        "standing": selectors.yearly_standing(employee, year),
        "previous_year": year - 1,
        "next_year": year + 1,
        "is_hr": Authority.of(request.user).hr,
    }
    return render(request, "discipline/standing.html", context)


@login_required
def reasons(request: HttpRequest) -> HttpResponse:
    """The reasons catalogue (奖惩事由, R-6.4): everyone reads it, HR edits it."""
    context = {"reasons": RewardReason.objects.all(), "is_hr": Authority.of(request.user).hr}
    return render(request, "discipline/reasons.html", context)


@login_required
def reason_create(request: HttpRequest) -> HttpResponse:
    return _reason_form(request, RewardReason())


@login_required
def reason_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_form(request, get_object_or_404(RewardReason, pk=pk))


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """Dismissal cases (解雇审议) for HR; one's own case is left to another HR user (R-4.1)."""
    _require_hr(request)
    return _cases_page(request)


def _cases_page(request: HttpRequest, refused: Any = None) -> HttpResponse:
    """The cases; ``refused``: the case whose decision was refused, with ``typed`` and ``error`` (400)."""
    authority = Authority.of(request.user)
    rows = list(selectors.cases_visible_to(request.user))
    for case in rows:
        case.decidable = authority.may_decide_case(case)  # type: ignore[attr-defined]
        if refused is not None and case.pk == refused.pk:
            case.typed, case.error = refused.typed, refused.error  # type: ignore[attr-defined]
    return render(request, "discipline/cases.html", {"cases": rows}, status=400 if refused else 200)


@login_required
@require_POST
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, pk)
    form = CaseDecisionForm(request.POST)
    decision = form.cleaned_data["decision"] if form.is_valid() else ""
    try:
        services.case_decide(case=case, actor=request.user, decision=decision)
    except ValidationError as exc:
        case.typed, case.error = request.POST.get("decision", ""), " ".join(exc.messages)  # type: ignore[attr-defined]
        return _cases_page(request, refused=case)
    messages.success(request, _("处理决定已记录"))
    return redirect("discipline:cases")


# --- helpers --------------------------------------------------------------------------------------


def _decide(request: HttpRequest, pk: int, act: Callable[..., DisciplineRecord], done: str) -> HttpResponse:
    """Approve or reject; an htmx button gets its table row back, a plain form a redirect."""
    record = selectors.get_record_for_user(request.user, pk)
    note = prompt_answer(request, "note")
    error = ""
    try:
        record = act(record=record, actor=request.user, note=note)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:  # type: ignore[attr-defined]
        record = selectors.get_record_for_user(request.user, pk)
        row = _with_decidable([record], Authority.of(request.user))[0]
        return render(request, "discipline/_record_row.html", {"record": row, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{record.employee.name} {record.get_kind_display()}: {done}")
    return redirect(_next(request) or record.get_absolute_url())


def _reason_form(request: HttpRequest, reason: RewardReason) -> HttpResponse:
    _require_hr(request)
    form = ReasonForm(request.POST or None, instance=reason)
    if request.method == "POST" and form.is_valid():
        services.reason_save(reason=form.instance, actor=request.user)
        messages.success(request, _("奖惩事由已保存"))
        return redirect("discipline:reasons")
    return render(request, "discipline/reason_form.html", {"form": form, "reason": reason})


def _with_decidable(records: Any, authority: Authority) -> list[DisciplineRecord]:
    """The rows, each marked with whether this user may approve or reject it (no extra query)."""
    rows = list(records)
    for record in rows:
        record.decidable = authority.may_decide(record)
    return rows


def _require_hr(request: HttpRequest) -> None:
    if not Authority.of(request.user).hr:
        raise PermissionDenied


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else selectors.this_year()


def _next(request: HttpRequest) -> str | None:
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if target and safe else None


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
