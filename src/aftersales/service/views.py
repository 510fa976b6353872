"""Pages of the service area: parse, call one action or selector, render.

Dispatchers receive and dispatch orders and watch the overdue list; engineers (phone width) record
milestones, fill in reports and take the customer's signature; supervisors approve reports and
follow the team's KPIs. Objects outside the user's scope are 404; actions they may not take are 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftersales.core.errors import RuleError
from aftersales.core.periods import Month
from aftersales.core.sla import Milestone
from aftersales.organisation.access import employees_visible_to
from aftersales.punctuation import list_sep
from aftersales.service import access, field, forms, selectors, services
from aftersales.service.models import OPEN_STATUSES, ORDER_PHOTO_KINDS, OrderStatus, PhotoKind
from aftersales.ui.exporting import Column, wants_xlsx, xlsx_response

PAGE_SIZE = 25
ORDER_COLUMNS: list[Column] = [
    (gettext_lazy("工单号"), lambda o: o.number),
    (gettext_lazy("受理时间"), lambda o: o.received_at),
    (gettext_lazy("用户单位"), lambda o: o.customer),
    (gettext_lazy("故障类别"), lambda o: o.get_fault_display()),
    (gettext_lazy("服务地点"), lambda o: o.site),
    (gettext_lazy("区域"), lambda o: o.region.name if o.region else ""),
    (gettext_lazy("服务工程师"), lambda o: list_sep().join(a.engineer.name for a in o.assignments.all())),
    (gettext_lazy("状态"), lambda o: o.get_status_display()),
    (gettext_lazy("时限节点"), lambda o: o.get_required_milestone_display()),
    (gettext_lazy("时限"), lambda o: o.deadline),
]
REPORT_COLUMNS: list[Column] = [
    (gettext_lazy("报告"), str),
    (gettext_lazy("用户单位"), lambda r: r.order.customer),
    (gettext_lazy("服务工程师"), lambda r: r.engineer.name),
    (gettext_lazy("签字时间"), lambda r: r.signed_at),
    (
        gettext_lazy("状态"),
        lambda r: _("已审批") if r.is_approved else _("已签字") if r.is_signed else _("填写中"),
    ),
]
CALL_COLUMNS: list[Column] = [
    (gettext_lazy("编号"), lambda e: e.number),
    (gettext_lazy("时间"), lambda e: e.received_at),
    (gettext_lazy("方式"), lambda e: e.get_channel_display()),
    (gettext_lazy("来电来函单位/人"), lambda e: e.caller),
    (gettext_lazy("处理人"), lambda e: e.handler.name),
    (gettext_lazy("状态"), lambda e: _call_state(e)),
]
INCIDENT_COLUMNS: list[Column] = [
    (gettext_lazy("事故时间"), lambda i: i.occurred_at),
    (gettext_lazy("工号"), lambda i: i.employee.number if i.employee else ""),
    (gettext_lazy("员工"), lambda i: i.employee.name if i.employee else ""),
    (gettext_lazy("车号/产品"), lambda i: i.unit),
    (gettext_lazy("地点"), lambda i: i.site),
    (gettext_lazy("电话通知时间"), lambda i: i.phoned_at),
    (gettext_lazy("专题报告时间"), lambda i: i.reported_at),
    (gettext_lazy("逾期"), lambda i: _("是") if i.verdict().late else ""),
]
QUALITY_COLUMNS: list[Column] = [
    (gettext_lazy("报告时间"), lambda r: r.reported_at),
    (gettext_lazy("产品"), lambda r: r.product),
    (gettext_lazy("车号/产品编号"), lambda r: r.unit_number),
    (gettext_lazy("故障情况"), lambda r: r.fault),
    (gettext_lazy("地点"), lambda r: r.site),
    (gettext_lazy("报告人"), lambda r: r.reporter.name if r.reporter else ""),
    (gettext_lazy("答复时间"), lambda r: r.responded_at),
    (gettext_lazy("答复"), lambda r: r.response),
]
PHONE_OFF_COLUMNS: list[Column] = [
    (gettext_lazy("日期"), lambda p: p.date),
    (gettext_lazy("工号"), lambda p: p.employee.number),
    (gettext_lazy("员工"), lambda p: p.employee.name),
    (gettext_lazy("情况说明"), lambda p: p.note),
    (gettext_lazy("记录人"), lambda p: p.recorded_by.get_full_name() or p.recorded_by.get_username()),
]
COMPLAINT_COLUMNS: list[Column] = [
    (gettext_lazy("时间"), lambda c: c.received_at),
    (gettext_lazy("工号"), lambda c: c.employee.number),
    (gettext_lazy("被投诉人"), lambda c: c.employee.name),
    (gettext_lazy("投诉人"), lambda c: c.complainant),
    (gettext_lazy("核实结果"), lambda c: c.get_status_display()),
]


def _report_state(report: Any) -> str:
    if report.is_approved:
        return _("已审批")
    return _("已签字") if report.is_signed else _("填写中")


def _call_state(entry: Any) -> str:
    if entry.filed_at:
        return _("已归档")
    if entry.answered_at:
        return _("已答复")
    return _("待核实") if entry.unclear else _("待答复")


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _refused(request: HttpRequest, error: ValidationError, form: Any = None) -> None:
    """Show a business refusal: on the form if there is one, else as a message."""
    if form is not None:
        form.add_error(None, error)
    else:
        for text in error.messages:
            messages.error(request, text)


def _attempt(request: HttpRequest, action: Callable[[], Any], done: str, form: Any = None) -> bool:
    """Run an action; True when it went through (with ``done`` as the message)."""
    try:
        action()
    except ValidationError as error:
        _refused(request, error, form)
        return False
    messages.success(request, done)
    return True


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- index and work orders -----------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The service desk: overdue and due-soon orders, my open orders, reports awaiting my approval."""
    user = request.user
    me = access.reach(user).me
    mine = (
        selectors.orders_for_list(user).filter(
            assignments__engineer=me, status__in=[*OPEN_STATUSES, OrderStatus.RESOLVED]
        )
        if me
        else []
    )
    context = {
        "runs_department": access.reach(user).runs_a_department,
        "overdue": selectors.overdue_orders(user)[:20],
        "due_soon": selectors.due_soon_orders(user)[:20],
        "mine": mine,
        "awaiting": selectors.reports_awaiting_approval(user)[:20],
        "flagged": selectors.flagged_check_ins(user)[:20],
    }
    return render(request, "service/index.html", context)


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    orders = selectors.orders_for_list(request.user)
    status = request.GET.get("status", "")
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        orders = orders.filter(Q(customer__icontains=query) | Q(number__icontains=query))
    if wants_xlsx(request):
        return xlsx_response(name="service-orders", columns=ORDER_COLUMNS, rows=orders)
    return render(
        request,
        "service/order_list.html",
        {"page": _page(request, orders), "status": status, "q": query, "statuses": OrderStatus.choices},
    )


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """超期 and 即将到期: for dispatchers, supervisors and heads (everyone sees their own scope)."""
    return render(
        request,
        "service/overdue.html",
        {
            "overdue": selectors.overdue_orders(request.user),
            "due_soon": selectors.due_soon_orders(request.user),
        },
    )


@login_required
def order_create(request: HttpRequest) -> HttpResponse:
    department_id = access.reach(request.user).home_department_id
    _require(department_id is not None and access.runs_department(request.user, department_id))
    form = forms.OrderReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_receive(request=form.to_request(), actor=request.user)
        except ValidationError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("工单 %(number)s 已受理。") % {"number": order.number})
            return redirect("service:order-detail", pk=order.pk)
    return render(request, "service/order_form.html", {"form": form})


def _order_context(request: HttpRequest, order: Any, **bound: Any) -> dict[str, Any]:
    """The order page's context; ``bound``: a refused form (milestone_form, resolve_form, cancel_form)
    shown again as it was posted."""
    user = request.user
    return {
        "order": order,
        "reports": [r for r in order.reports.all() if r.is_current],
        # complaints about the engineers the user may see (an engineer: his own, R-1.1)
        "complaints": list(selectors.complaints_visible_to(user).filter(order=order)),
        "can_run": access.runs_department(user, order.department_id),
        "can_act": access.can_record_milestone(user, order),
        "assigned": access.is_assigned(user, order),
        "milestone_form": forms.MilestoneForm(initial={"milestone": _next_milestone(order)}),
        "check_in_form": forms.CheckInForm(),
        "can_add_photos": access.can_record_milestone(user, order) and order.status != OrderStatus.CANCELLED,
        "order_photo_form": forms.PhotoForm(kinds=ORDER_PHOTO_KINDS),
        "resolve_form": forms.ResolveForm(),
        "cancel_form": forms.ReasonForm(),
    } | bound


def _next_milestone(order: Any) -> str:
    """The form proposes the milestone the deadline asks for, until it is reached."""
    required = Milestone(order.required_milestone)
    return (required if required not in order.milestones else Milestone.ON_SITE).value


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.get_order_for_user(request.user, pk)
    return render(request, "service/order_detail.html", _order_context(request, order))


@login_required
def order_dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.get_order_for_user(request.user, pk)
    _require(access.runs_department(request.user, order.department_id))
    form = forms.DispatchForm(request.POST or None, department_id=order.department_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            request,
            lambda: services.order_dispatch(
                order=order,
                actor=request.user,
                engineers=list(data["engineers"]),
                in_charge=data["in_charge"],
                travel_advance=data["travel_advance"],
            ),
            _("已派工。"),
            form,
        )
        if done:
            return redirect("service:order-detail", pk=order.pk)
    return render(request, "service/order_dispatch.html", {"order": order, "form": form})


def _order_panel(request: HttpRequest, pk: int, **bound: Any) -> HttpResponse:
    """After a milestone: the order's status panel for htmx, the whole page otherwise. A refused form
    (``bound``, with its errors) comes back as typed: in the panel (htmx swaps only a 200) or on the
    page (400)."""
    if request.htmx or bound:  # type: ignore[attr-defined]
        order = selectors.get_order_for_user(request.user, pk)
        context = _order_context(request, order, **bound)
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "service/_order_status.html", context)
        return render(request, "service/order_detail.html", context, status=400)
    return redirect("service:order-detail", pk=pk)


def _submit(request: HttpRequest, form: Any, action: Callable[[dict[str, Any]], Any], done: str) -> bool:
    """A small POST form (no page of its own): run the action on valid input; False (with the errors
    on the form, to show it again as typed) when it is invalid or refused."""
    return form.is_valid() and _attempt(request, lambda: action(form.cleaned_data), done, form)


@login_required
@require_POST
def order_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.get_order_for_user(request.user, pk)
    _require(access.can_record_milestone(request.user, order))
    form = forms.MilestoneForm(request.POST)
    done = _submit(
        request,
        form,
        lambda data: services.order_record_milestone(
            order=order,
            actor=request.user,
            milestone=Milestone(data["milestone"]),
            at=data["at"],
            note=data["note"],
        ),
        _("已记录。"),
    )
    return _order_panel(request, pk) if done else _order_panel(request, pk, milestone_form=form)


@login_required
@require_POST
def order_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.get_order_for_user(request.user, pk)
    _require(access.can_record_milestone(request.user, order))
    form = forms.ResolveForm(request.POST)
    done = _submit(
        request,
        form,
        lambda data: services.order_resolve(
            order=order, actor=request.user, at=data["at"], note=data["note"]
        ),
        _("已处理完成。"),
    )
    return _order_panel(request, pk) if done else _order_panel(request, pk, resolve_form=form)


@login_required
@require_POST
def order_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.get_order_for_user(request.user, pk)
    _require(access.runs_department(request.user, order.department_id))
    form = forms.ReasonForm(request.POST)
    if not _submit(
        request,
        form,
        lambda data: services.order_cancel(order=order, actor=request.user, reason=data["reason"]),
        _("工单已取消。"),
    ):
        return _order_panel(request, pk, cancel_form=form)
    return redirect("service:order-detail", pk=pk)


@login_required
def kpis(request: HttpRequest) -> HttpResponse:
    """R-8.1 service targets of a month: timeliness, satisfaction, complaint rate."""
    try:
        month = (
            Month.parse(request.GET["month"]) if "month" in request.GET else Month.of(timezone.localdate())
        )
    except RuleError:
        month = Month.of(timezone.localdate())
    table = selectors.service_kpis(request.user, month)
    return render(
        request,
        "service/kpis.html",
        {"table": table, "month": month, "previous": month.shift(-1), "next": month.shift(1)},
    )


# --- service reports -----------------------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = selectors.reports_visible_to(request.user).filter(is_current=True).order_by("-created_at")
    if wants_xlsx(request):
        return xlsx_response(name="service-reports", columns=REPORT_COLUMNS, rows=reports)
    return render(
        request,
        "service/report_list.html",
        {"page": _page(request, reports), "awaiting": selectors.reports_awaiting_approval(request.user)},
    )


@login_required
@require_POST
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.get_order_for_user(request.user, pk)
    try:
        report = services.report_start(order=order, actor=request.user)
    except ValidationError as error:
        _refused(request, error)
        return redirect("service:order-detail", pk=pk)
    return redirect("service:report-edit", pk=report.pk)


def _report_context(request: HttpRequest, report: Any) -> dict[str, Any]:
    confirm_url = field.confirmation_url(request, report)
    return {
        "report": report,
        "photos": list(report.photos.all()),
        "photo_form": forms.PhotoForm(),
        "confirm_url": confirm_url,
        "confirm_qr": field.qr_svg(confirm_url) if confirm_url else "",
        "hash_matches": report.is_signed
        and hasattr(report, "signature")
        and report.signature.content_hash == field.content_hash(report),
        "order": report.order,
        "missing": report.missing_fields(),
        "assigned": access.is_assigned(request.user, report.order),
        "can_approve": access.can_approve(request.user, report),
        "can_revise": access.can_revise(request.user, report),
        "revisions": selectors.reports_visible_to(request.user)
        .filter(order=report.order, visit=report.visit)
        .order_by("revision"),
    }


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    return render(request, "service/report_detail.html", _report_context(request, report))


@login_required
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    confirm_url = field.confirmation_url(request, report)
    context = {
        "report": report,
        "order": report.order,
        "confirm_url": confirm_url,
        "confirm_qr": field.qr_svg(confirm_url) if confirm_url else "",
    }
    return render(request, "service/report_print.html", context)


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    _require(access.is_assigned(request.user, report.order))
    if report.is_signed or not report.is_current:
        messages.error(request, _("报告已由用户签字,已锁定;如需更正请提交修订。"))
        return redirect("service:report-detail", pk=pk)
    form = forms.ReportForm(request.POST or None, instance=report)
    lines = forms.PartLineFormSet(request.POST or None, instance=report, prefix="parts")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.REPORT_FIELDS}
        done = _attempt(
            request,
            lambda: services.report_update(
                report=report, actor=request.user, fields=fields, part_lines=forms.part_lines_of(lines)
            ),
            _("报告已保存。"),
            form,
        )
        if done:
            return redirect("service:report-detail", pk=pk)
    return render(request, "service/report_form.html", {"report": report, "form": form, "lines": lines})


@login_required
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    _require(access.can_approve(request.user, report))
    _attempt(
        request, lambda: services.report_approve(report=report, actor=request.user), _("报告已审批归档。")
    )
    return redirect("service:report-detail", pk=pk)


@login_required
def report_revise(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    _require(access.can_revise(request.user, report))
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.report_revise(
                report=report, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("已生成修订版本,原报告保留。"))
            return redirect("service:report-detail", pk=new.pk)
    return render(request, "service/report_revise.html", {"report": report, "form": form})


# --- call and letter log -------------------------------------------------------------------------------


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    calls = selectors.calls_visible_to(request.user)
    if wants_xlsx(request):
        return xlsx_response(name="call-log", columns=CALL_COLUMNS, rows=calls)
    return render(request, "service/call_list.html", {"page": _page(request, calls), **_runs(request)})


def _runs(request: HttpRequest) -> dict[str, Any]:
    r = access.reach(request.user)
    return {"runs_department": r.home_department_id in r.managed_department_ids}


def _home_department(request: HttpRequest) -> int:
    """The department the user runs (dispatcher or head), for forms that record in it; else 403."""
    department_id = access.reach(request.user).home_department_id
    _require(department_id is not None and access.runs_department(request.user, department_id))
    return department_id  # type: ignore[return-value]


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    department_id = _home_department(request)
    orders = selectors.orders_for_list(request.user)
    form = forms.CallForm(request.POST or None, department_id=department_id, orders=orders)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            entry = services.call_log_record(actor=request.user, **fields)
        except ValidationError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("已登记,编号 %(number)s。") % {"number": entry.number})
            return redirect("service:call-detail", pk=entry.pk)
    return render(request, "service/simple_form.html", {"form": form, "title": _("登记来电来函")})


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_call_for_user(request.user, pk)
    form = forms.CallAnswerForm(request.POST or None, initial={"clarification": entry.clarification})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            request,
            lambda: services.call_log_answer(entry=entry, actor=request.user, **data),
            _("已答复。"),
            form,
        )
        if done:
            return redirect("service:call-detail", pk=pk)
    order_visible = (
        entry.order_id is not None
        and access.orders_visible_to(request.user).filter(pk=entry.order_id).exists()
    )
    context = {"entry": entry, "form": form, "order_visible": order_visible, **_runs(request)}
    return render(request, "service/call_detail.html", context)


@login_required
@require_POST
def call_file(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_call_for_user(request.user, pk)
    _attempt(request, lambda: services.call_log_file(entry=entry, actor=request.user), _("已归档。"))
    return redirect("service:call-detail", pk=pk)


# --- surveys and complaints ----------------------------------------------------------------------------


@login_required
def survey_create(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.get_order_for_user(request.user, pk)
    _require(access.runs_department(request.user, order.department_id))
    form = forms.SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            request,
            lambda: services.survey_record(
                order=order,
                actor=request.user,
                respondent=data["respondent"],
                score=data["score"],
                comments=data["comments"],
                at=data["at"],
            ),
            _("满意度调查已记录。"),
            form,
        )
        if done:
            return redirect("service:order-detail", pk=pk)
    title = _("顾客满意度调查 · %(number)s") % {"number": order.number}
    return render(request, "service/simple_form.html", {"form": form, "title": title})


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    complaints = selectors.complaints_visible_to(request.user)
    if wants_xlsx(request):
        return xlsx_response(name="complaints", columns=COMPLAINT_COLUMNS, rows=complaints)
    return render(
        request, "service/complaint_list.html", {"page": _page(request, complaints), **_runs(request)}
    )


@login_required
def complaint_create(request: HttpRequest) -> HttpResponse:
    department_id = _home_department(request)
    orders = selectors.orders_for_list(request.user)
    form = forms.ComplaintForm(request.POST or None, department_id=department_id, orders=orders)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            complaint = services.complaint_record(actor=request.user, **fields)
        except ValidationError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("投诉已登记,待核实。"))
            return redirect("service:complaint-detail", pk=complaint.pk)
    return render(request, "service/simple_form.html", {"form": form, "title": _("登记用户投诉")})


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _complaint_page(request, selectors.get_complaint_for_user(request.user, pk))


def _complaint_page(request: HttpRequest, complaint: Any, verify_form: Any = None) -> HttpResponse:
    """The complaint; ``verify_form``: a refused verification shown again as typed (400)."""
    order = complaint.order_id
    context = {
        "complaint": complaint,
        # the handler (and their leaders) see the complaint, not always its order
        "order_visible": order is not None
        and access.orders_visible_to(request.user).filter(pk=order).exists(),
        "can_verify": access.leads(request.user, complaint.employee, complaint.department_id),
        "verify_form": verify_form or forms.VerifyForm(),
    }
    return render(request, "service/complaint_detail.html", context, status=400 if verify_form else 200)


@login_required
@require_POST
def complaint_verify(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.get_complaint_for_user(request.user, pk)
    _require(access.leads(request.user, complaint.employee, complaint.department_id))
    form = forms.VerifyForm(request.POST)
    if not _submit(
        request,
        form,
        lambda data: services.complaint_verify(complaint=complaint, actor=request.user, **data),
        _("已核实。"),
    ):
        return _complaint_page(request, complaint, verify_form=form)
    return redirect("service:complaint-detail", pk=pk)


@login_required
@require_POST
def complaint_respond(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.get_complaint_for_user(request.user, pk)
    _attempt(
        request,
        lambda: services.complaint_respond(complaint=complaint, actor=request.user),
        _("已记录答复时间。"),
    )
    return redirect("service:complaint-detail", pk=pk)


# --- major incidents -----------------------------------------------------------------------------------


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = selectors.incidents_visible_to(request.user).order_by("-occurred_at")
    if wants_xlsx(request):
        return xlsx_response(name="incidents", columns=INCIDENT_COLUMNS, rows=incidents)
    return render(request, "service/incident_list.html", {"page": _page(request, incidents)})


@login_required
def incident_create(request: HttpRequest) -> HttpResponse:
    form = forms.IncidentForm(request.POST or None, employees=employees_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            incident = services.incident_record(actor=request.user, **fields)
        except ValidationError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("重大行车事故已登记。"))
            return redirect("service:incident-detail", pk=incident.pk)
    return render(request, "service/simple_form.html", {"form": form, "title": _("登记重大行车事故")})


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.get_incident_for_user(request.user, pk)
    form = forms.IncidentUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            lambda: services.incident_update(incident=incident, actor=request.user, **form.cleaned_data),
            _("已记录。"),
            form,
        )
        if done:
            return redirect("service:incident-detail", pk=pk)
    return render(
        request,
        "service/incident_detail.html",
        {"incident": incident, "verdict": incident.verdict(), "form": form},
    )


# --- field quality information -------------------------------------------------------------------------


@login_required
def quality_list(request: HttpRequest) -> HttpResponse:
    reports = selectors.quality_reports_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        reports = reports.filter(Q(product__icontains=query) | Q(fault__icontains=query))
    if wants_xlsx(request):
        return xlsx_response(name="quality-reports", columns=QUALITY_COLUMNS, rows=reports)
    return render(request, "service/quality_list.html", {"page": _page(request, reports), "q": query})


@login_required
def quality_create(request: HttpRequest) -> HttpResponse:
    _require(access.reach(request.user).me is not None)
    form = forms.QualityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            report = services.quality_report_record(actor=request.user, attachments=form.uploads(), **fields)
        except ValidationError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("质量信息已提交。"))
            return redirect("service:quality-detail", pk=report.pk)
    return render(
        request, "service/simple_form.html", {"form": form, "title": _("提交现场质量信息"), "files": True}
    )


@login_required
def quality_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_quality_report_for_user(request.user, pk)
    form = forms.RespondForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            lambda: services.quality_report_respond(report=report, actor=request.user, **form.cleaned_data),
            _("已答复。"),
            form,
        )
        if done:
            return redirect("service:quality-detail", pk=pk)
    me = access.reach(request.user).me
    context = {
        "report": report,
        "form": form,
        "can_add_photos": (me is not None and report.reporter_id == me.pk)
        or access.runs_department(request.user, report.department_id),
        "photo_form": forms.PhotoForm(kinds=(PhotoKind.FAULT, PhotoKind.NAMEPLATE)),
    }
    return render(request, "service/quality_detail.html", context)


@login_required
def quality_attachment(request: HttpRequest, pk: int, attachment: int) -> HttpResponse:
    report = selectors.get_quality_report_for_user(request.user, pk)
    file = next((a for a in report.attachments.all() if a.pk == attachment), None)
    if file is None:
        raise Http404
    if file.storage_key:
        with field.open_file(file.storage_key) as handle:
            content = handle.read()
    else:  # kept in the database by an older version, until `aftersales attachments_to_storage`
        content = bytes(file.data)
    response = HttpResponse(content, content_type=file.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- phone-off incidents -------------------------------------------------------------------------------


@login_required
def phoneoff_list(request: HttpRequest) -> HttpResponse:
    """手机关机 records: the employee sees their own; their supervisor or head records them here."""
    user = request.user
    led = access.employees_led_by(user)
    form = forms.PhoneOffForm(request.POST or None, employees=led)
    if request.method == "POST":
        _require(led.exists())
        if form.is_valid():
            data = form.cleaned_data
            done = _attempt(
                request,
                lambda: services.phone_off_record(
                    actor=user, employee=data["employee"], day=data["date"], note=data["note"]
                ),
                _("已记录。"),
                form,
            )
            if done:
                return redirect("service:phoneoff-list")
    incidents = selectors.phone_offs_visible_to(user)
    if wants_xlsx(request):
        return xlsx_response(name="phone-off", columns=PHONE_OFF_COLUMNS, rows=incidents)
    return render(
        request,
        "service/phoneoff_list.html",
        {"page": _page(request, incidents), "form": form if led.exists() else None},
    )
