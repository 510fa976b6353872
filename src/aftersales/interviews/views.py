"""Pages of interviews (form 4.6), HR's interview audit (R-4.4) and training requests (R-7.5).

Thin: parse, call one selector or action, render. Objects come through the access helpers.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.core.interview_rules import Block
from aftersales.core.periods import Month
from aftersales.interviews import selectors, services
from aftersales.interviews.forms import (
    AuditForm,
    FlagForm,
    InterviewForm,
    InterviewItemFormSet,
    TrainingCloseForm,
    TrainingPlanForm,
    item_initial,
)
from aftersales.interviews.models import Interview, TrainingRequest, TrainingStatus
from aftersales.organisation.access import employee_of, get_employee_for_user, is_company_wide
from aftersales.printing import render_interview_pdf
from aftersales.ui.exporting import Column, wants_xlsx, xlsx_response

PAGE_SIZE = 25
INTERVIEW_COLUMNS: list[Column] = [
    (gettext_lazy("面谈日期"), lambda i: i.held_on),
    (gettext_lazy("工号"), lambda i: i.employee.number),
    (gettext_lazy("员工"), lambda i: i.employee.name),
    (gettext_lazy("部门"), lambda i: i.department),
    (gettext_lazy("职位"), lambda i: i.position),
    (gettext_lazy("直接主管"), lambda i: i.supervisor.name),
    (gettext_lazy("绩效得分"), lambda i: i.performance_score),
]
TRAINING_COLUMNS: list[Column] = [
    (gettext_lazy("工号"), lambda t: t.employee.number),
    (gettext_lazy("员工"), lambda t: t.employee.name),
    (gettext_lazy("部门"), lambda t: t.employee.department),
    (gettext_lazy("培训项目/内容"), lambda t: t.content),
    (gettext_lazy("拟培训时间"), lambda t: t.planned_on or t.suggested_time),
    (gettext_lazy("状态"), lambda t: t.get_status_display()),
]


def _require_hr(request: HttpRequest) -> None:
    if not is_company_wide(request.user):
        raise PermissionDenied


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """My reports and when they were last interviewed (supervisors), and the interviews I may see."""
    me = employee_of(request.user)
    today = timezone.localdate()
    block = Block.of(Month.of(today))
    reports = list(selectors.reports_with_last_interview(me, today)) if me else []
    for report in reports:
        report.covered = report.last_interview is not None and report.last_interview >= block.first_day  # type: ignore[attr-defined]
    interviews = selectors.interviews_visible_to(request.user)
    if wants_xlsx(request):
        return xlsx_response(name="interviews", columns=INTERVIEW_COLUMNS, rows=interviews)
    page = Paginator(interviews, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "reports": reports,
        "current_block": block,
        "page": page,
        "is_hr": is_company_wide(request.user),
    }
    return render(request, "interviews/index.html", context)


def _save_interview(
    request: HttpRequest, form: InterviewForm, items: forms.BaseFormSet, **target
) -> Interview | None:
    """Validate both forms and call the action; None (with errors on the forms) when refused."""
    if not (form.is_valid() and items.is_valid()):
        return None
    try:
        if "interview" in target:
            return services.interview_update(
                fields=form.cleaned_data, items=items.cleaned_data, actor=request.user, **target
            )
        return services.interview_record(
            fields=form.cleaned_data, items=items.cleaned_data, actor=request.user, **target
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


@require_http_methods(["GET", "POST"])
@login_required
def create(request: HttpRequest, employee_pk: int) -> HttpResponse:
    """The direct supervisor records an interview with one of their employees."""
    employee = get_employee_for_user(request.user, employee_pk)
    if not selectors.may_record_interview(employee_of(request.user), employee):
        raise PermissionDenied
    today = timezone.localdate()
    initial = {"held_on": today, "improvement_from": today, "improvement_to": today + timedelta(days=60)}
    form = InterviewForm(request.POST or None, initial=initial)
    items = InterviewItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and (interview := _save_interview(request, form, items, employee=employee)):
        messages.success(request, _("面谈记录已保存"))
        return redirect("interviews:detail", pk=interview.pk)
    return render(request, "interviews/form.html", {"form": form, "items": items, "employee": employee})


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The supervisor who held the interview corrects it (the history keeps the earlier version)."""
    interview = selectors.get_interview_for_user(request.user, pk)
    if not selectors.may_correct_interview(employee_of(request.user), interview):
        raise PermissionDenied
    form = InterviewForm(request.POST or None, instance=interview)
    items = InterviewItemFormSet(request.POST or None, prefix="items", initial=item_initial(interview))
    if request.method == "POST" and _save_interview(request, form, items, interview=interview):
        messages.success(request, _("面谈记录已更新"))
        return redirect("interviews:detail", pk=interview.pk)
    context = {"form": form, "items": items, "employee": interview.employee, "interview": interview}
    return render(request, "interviews/form.html", context)


@require_GET
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    interview = selectors.get_interview_for_user(request.user, pk)
    may_correct = selectors.may_correct_interview(employee_of(request.user), interview)
    return render(request, "interviews/detail.html", {"interview": interview, "may_correct": may_correct})


@require_GET
@login_required
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Form 4.6 as a PDF, laid out like the source form."""
    interview = selectors.get_interview_for_user(request.user, pk)
    response = HttpResponse(render_interview_pdf(interview), content_type="application/pdf")
    filename = f"interview-{interview.employee.number}-{interview.held_on:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """HR's audit (R-4.4): who has not been interviewed in a two-month block, per supervisor."""
    _require_hr(request)
    return _audit_page(request, AuditForm.from_query(request.GET))


def _audit_page(request: HttpRequest, form: AuditForm, refusal: str = "") -> HttpResponse:
    """The audit of the form's block; ``refusal``: why the flagging was refused, above it (400)."""
    groups, block = [], None
    if form.is_valid():
        block = Block(form.cleaned_data["year"], form.cleaned_data["block"])
        groups = selectors.interview_audit(block.year, block.number, as_of=timezone.localdate())
    closed = block is not None and block.closing_month <= Month.of(timezone.localdate())
    context = {"form": form, "groups": groups, "audit_block": block, "closed": closed, "refusal": refusal}
    return render(request, "interviews/audit.html", context, status=400 if refusal else 200)


@require_POST
@login_required
def audit_flag(request: HttpRequest) -> HttpResponse:
    """HR flags the closing month's appraisals of those missing an interview; a refusal is answered on
    the audit page with the reason (400)."""
    _require_hr(request)
    form = FlagForm(request.POST)
    if not form.is_valid():
        return _audit_page(request, AuditForm.from_query({}), _("年份或月份不正确"))
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    block = Block.of(Month(year, month))
    try:
        result = services.interviews_flag_missing(year=year, month=month, actor=request.user)
    except ValidationError as error:
        shown = AuditForm.from_query({"year": block.year, "block": block.number})
        return _audit_page(request, shown, " ".join(error.messages))
    counts = {"missing": len(result.missing), "flagged": result.flagged}
    messages.success(request, _("缺少面谈 %(missing)d 人，新标记考核表 %(flagged)d 份") % counts)
    return redirect(f"{reverse('interviews:audit')}?year={block.year}&block={block.number}")


@require_GET
@login_required
def training_list(request: HttpRequest) -> HttpResponse:
    """Training requests: all for HR, one's own (and one's team's) for others (R-7.5)."""
    requests = selectors.training_requests_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in TrainingStatus.values:
        requests = requests.filter(status=status)
    if wants_xlsx(request):
        return xlsx_response(name="training-requests", columns=TRAINING_COLUMNS, rows=requests)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": TrainingStatus.choices,
        "is_hr": is_company_wide(request.user),
    }
    return render(request, "interviews/training_list.html", context)


@require_GET
@login_required
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _training_page(request, selectors.get_training_request_for_user(request.user, pk))


def _training_page(request: HttpRequest, training: TrainingRequest, **refused: Any) -> HttpResponse:
    """The training request; ``refused``: the plan or close form shown again as typed (400)."""
    context = {
        "training": training,
        "is_hr": is_company_wide(request.user),
        "plan_form": TrainingPlanForm(instance=training),
        "close_form": TrainingCloseForm(),
    } | refused
    return render(request, "interviews/training_detail.html", context, status=400 if refused else 200)


def _training_action(request: HttpRequest, pk: int, form_class: type, action, name: str) -> HttpResponse:
    training = selectors.get_training_request_for_user(request.user, pk)
    _require_hr(request)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(request=training, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("培训需求已更新"))
            return redirect("interviews:training-detail", pk=training.pk)
    return _training_page(request, training, **{name: form})


@require_POST
@login_required
def training_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """HR plans a training: requested → planned."""
    return _training_action(request, pk, TrainingPlanForm, services.training_request_plan, "plan_form")


@require_POST
@login_required
def training_close(request: HttpRequest, pk: int) -> HttpResponse:
    """HR closes a training with its actual effect: planned → done."""
    return _training_action(request, pk, TrainingCloseForm, services.training_request_close, "close_form")
