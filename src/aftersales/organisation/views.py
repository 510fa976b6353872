"""Pages of the roster (员工名册): the employees one may see (R-1.1), and HR's import and export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.organisation import accounts, roles
from aftersales.organisation.access import employees_visible_to, get_employee_for_user, is_company_wide
from aftersales.organisation.accounts import AccountError, may_manage_accounts
from aftersales.organisation.exporting import roster_export, roster_template
from aftersales.organisation.forms import (
    STRUCTURE_EDITORS,
    BulkRolesForm,
    DeactivateForm,
    EmployeeForm,
    ImportForm,
    LoginForm,
    ReasonForm,
    RolesForm,
)
from aftersales.organisation.import_jobs import roster_import_job, runs_in_background
from aftersales.organisation.importing import ImportRefused, pending_keep, pending_take, roster_import
from aftersales.organisation.models import Company, Department, Employee, Position, Region
from aftersales.ui.exporting import XLSX

PAGE_SIZE = 50


def _require_hr(request: HttpRequest) -> None:
    if not is_company_wide(request.user):
        raise PermissionDenied


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """员工名册: the employees the user may see, searchable by number or name."""
    employees = employees_visible_to(request.user).select_related("user")
    query = request.GET.get("q", "").strip()
    if query:
        employees = employees.filter(Q(number__icontains=query) | Q(name__icontains=query))
    manage = may_manage_accounts(request.user)
    if manage:
        employees = employees.prefetch_related("user__groups")
    page = Paginator(employees.order_by("number"), PAGE_SIZE).get_page(request.GET.get("page"))
    for employee in page.object_list:
        groups = {group.name for group in employee.user.groups.all()} if manage and employee.user else set()
        employee.role_names = accounts.role_labels(code for code in roles.ALL_ROLES if code in groups)
    context = {
        "page": page,
        "q": query,
        "is_hr": is_company_wide(request.user),
        "manage": may_manage_accounts(request.user),
        "bulk_form": BulkRolesForm(),
    }
    return render(request, "organisation/employee_list.html", context)


@require_GET
@login_required
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_employee_for_user(request.user, pk)
    if may_manage_accounts(request.user):
        return _employee_page(request, employee)
    return render(request, "organisation/employee_detail.html", {"employee": employee, "history": []})


PREVIEW_ROWS = 200
PENDING_IMPORT = "roster_import"  # session key: the token and reason of the file awaiting confirmation


@require_http_methods(["GET", "POST"])
@login_required
def import_roster(request: HttpRequest) -> HttpResponse:
    """HR uploads the organisation workbook and sees what it would change (nothing written yet);
    on confirmation the kept file is checked again and imported. Errors are listed by sheet, row and
    column; the one-time set-password links of new logins are shown once, after the import."""
    _require_hr(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    pending = request.session.get(PENDING_IMPORT) or {}
    if request.method == "POST" and "token" in request.POST:
        request.session.pop(PENDING_IMPORT, None)
        data = pending_take(request.POST["token"]) if pending.get("token") == request.POST["token"] else None
        if request.POST.get("action") != "confirm":
            return redirect("organisation:import")
        if data is None:
            messages.error(request, _("预览已过期或已导入，请重新上传文件"))
            return redirect("organisation:import")
        if runs_in_background(pending.get("rows", 0)):
            job = roster_import_job(data=data, reason=pending["reason"], actor=request.user)
            return redirect("jobs:detail", pk=job.pk)
        result = roster_import(data=data, actor=request.user, reason=pending["reason"])
        context |= {"form": ImportForm(), "result": result, "done": result.ok}
        context["links"] = [(link, request.build_absolute_uri(link.path)) for link in result.links]
    elif request.method == "POST" and form.is_valid():
        data, reason = form.cleaned_data["file"].read(), form.cleaned_data["reason"]
        try:
            result = roster_import(data=data, actor=request.user, reason=reason, dry_run=True)
        except ImportRefused as refused:
            form.add_error("file", str(refused))
        else:
            context["result"] = result
            if result.ok:
                context["token"] = pending_keep(data)
                request.session[PENDING_IMPORT] = {
                    "token": context["token"],
                    "reason": reason,
                    "rows": len(result.rows),
                }
    if "result" in context:
        context["rows"] = context["result"].rows[:PREVIEW_ROWS]
        context["more_rows"] = max(len(context["result"].rows) - PREVIEW_ROWS, 0)
    return render(request, "organisation/import.html", context)


@require_GET
@login_required
def export_roster(request: HttpRequest) -> HttpResponse:
    """HR downloads the organisation workbook in the import's sheets and columns; ``?template=1``:
    the empty workbook with its example rows."""
    _require_hr(request)
    if request.GET.get("template"):
        content, name = roster_template(), "organisation-template.xlsx"
    else:
        content = roster_export(employees=employees_visible_to(request.user))
        name = f"organisation-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- organisation pages for HR and system administrators (departments, regions, positions) --------


def _require_manager(request: HttpRequest) -> None:
    if not may_manage_accounts(request.user):
        raise PermissionDenied


@require_GET
@login_required
def structure(request: HttpRequest) -> HttpResponse:
    """组织架构: departments with their units, regions and positions, each editable."""
    _require_manager(request)
    departments = list(Department.objects.select_related("head", "parent").order_by("code"))
    children: dict[int | None, list[Department]] = {}
    for department in departments:
        children.setdefault(department.parent_id, []).append(department)
    tree: list[tuple[int, Department]] = []

    def walk(parent: int | None, depth: int) -> None:
        for department in children.get(parent, []):
            tree.append((depth, department))
            walk(department.pk, depth + 1)

    walk(None, 0)
    context = {
        "tree": tree,
        "regions": Region.objects.select_related("department").order_by("code"),
        "positions": Position.objects.order_by("code"),
        "company": Company.load(),
    }
    return render(request, "organisation/structure.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    """New or changed department, unit, region or position, with the reason kept in its history."""
    _require_manager(request)
    if kind not in STRUCTURE_EDITORS:
        raise Http404
    model, form_class, label = STRUCTURE_EDITORS[kind]
    instance = get_object_or_404(model, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("已保存：%(name)s") % {"name": form.instance})
        return redirect(request.GET.get("next") or reverse("organisation:structure"))
    history = instance.history.select_related("history_user")[:20] if instance is not None else []
    title = (_("编辑%(kind)s") if instance else _("新增%(kind)s")) % {"kind": label}
    return render(
        request, "organisation/edit.html", {"form": form, "title": title, "history": history, "kind": kind}
    )


@require_http_methods(["GET", "POST"])
@login_required
def employee_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """New employee, or a change to one (a move to another department keeps the months before)."""
    _require_manager(request)
    instance = get_object_or_404(Employee, pk=pk) if pk else None
    form = EmployeeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            employee = form.save()
        messages.success(request, _("已保存：%(name)s") % {"name": employee})
        return redirect("organisation:employee-detail", pk=employee.pk)
    title = _("编辑员工") if instance else _("新增员工")
    return render(request, "organisation/edit.html", {"form": form, "title": title, "kind": "employee"})


def _account_context(request: HttpRequest, employee: Employee, **forms_: Any) -> dict[str, Any]:
    user = employee.user
    current = accounts.role_codes(user) if user is not None else []
    context: dict[str, Any] = {
        "employee": employee,
        "manage": True,
        "login_form": forms_.get("login_form")
        or LoginForm(initial={"username": employee.number.lower(), "email": employee.email}),
        "roles_form": forms_.get("roles_form") or RolesForm(initial={"roles": current}),
        "deactivate_form": forms_.get("deactivate_form") or DeactivateForm(),
        "reactivate_form": forms_.get("reactivate_form") or ReasonForm(),
        "role_names": accounts.role_labels(current),
        "events": user.account_events.select_related("actor")[:20] if user is not None else [],
        "set_password_link": forms_.get("link", ""),
    }
    return context


@require_http_methods(["POST"])
@login_required
def employee_account(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Login, roles and leaving of one employee (HR, system administrator)."""
    _require_manager(request)
    employee = get_object_or_404(Employee.objects.select_related("user"), pk=pk)
    extra: dict[str, Any] = {}
    form: forms.Form | None
    try:
        if action == "login":
            form = extra["login_form"] = LoginForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                made = accounts.login_create(
                    employee=employee,
                    username=data["username"],
                    email=data["email"],
                    password=data["password"] if data["method"] == "password" else "",
                    codes=data["roles"] or [roles.EMPLOYEE],
                    actor=request.user,
                )
                extra = {
                    "link": request.build_absolute_uri(made.set_password_path)
                    if made.set_password_path
                    else ""
                }
                messages.success(request, _("已创建登录账号 %(name)s") % {"name": made.user.get_username()})
        elif action == "roles":
            form = extra["roles_form"] = RolesForm(request.POST)
            if form.is_valid() and employee.user is not None:
                accounts.roles_set(
                    user=employee.user,
                    codes=form.cleaned_data["roles"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
                extra = {}
                messages.success(request, _("角色已更新"))
        elif action == "link":
            path = accounts.password_link_issue(employee=employee, actor=request.user)
            extra = {"link": request.build_absolute_uri(path)}
        elif action == "deactivate":
            form = extra["deactivate_form"] = DeactivateForm(request.POST)
            if form.is_valid():
                accounts.employee_deactivate(
                    employee=employee,
                    on=form.cleaned_data["on"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
                extra = {}
                messages.success(request, _("已停用：%(name)s") % {"name": employee.name})
        elif action == "reactivate":
            form = extra["reactivate_form"] = ReasonForm(request.POST)
            if form.is_valid():
                accounts.employee_reactivate(
                    employee=employee, actor=request.user, reason=form.cleaned_data["reason"]
                )
                extra = {}
                messages.success(request, _("已恢复：%(name)s") % {"name": employee.name})
        else:
            raise Http404
    except AccountError as refused:
        form = next((value for value in extra.values() if isinstance(value, forms.Form)), None)
        if form is not None and refused.field in form.fields:
            form.add_error(refused.field, str(refused))
        else:
            messages.error(request, str(refused))
    employee.refresh_from_db()
    return _employee_page(request, employee, **extra)


def _employee_page(request: HttpRequest, employee: Employee, **extra: Any) -> HttpResponse:
    context: dict[str, Any] = {
        "employee": employee,
        "history": employee.history.select_related("history_user")[:20],
    }
    context.update(_account_context(request, employee, **extra))
    status = 400 if any(isinstance(v, forms.Form) and v.errors for v in extra.values()) else 200
    return render(request, "organisation/employee_detail.html", context, status=status)


@require_http_methods(["POST"])
@login_required
def roles_bulk(request: HttpRequest) -> HttpResponse:
    """Add or remove one role for the selected employees: a result per row (done / refused, why)."""
    _require_manager(request)
    form = BulkRolesForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[name].label}: {' '.join(str(error) for error in errs)}"
            for name, errs in form.errors.items()
        )
        context = {"rows": [], "form": form, "refusal": errors}  # answered in place, with why (400)
        return render(request, "organisation/bulk_result.html", context, status=400)
    data = form.cleaned_data
    change = {"add": [data["role"]]} if data["action"] == "add" else {"remove": [data["role"]]}
    rows = accounts.roles_bulk(
        employees=data["employees"].select_related("user"),
        actor=request.user,
        reason=data["reason"],
        **change,
    )
    return render(request, "organisation/bulk_result.html", {"rows": rows, "form": form})
