"""Pages of the roster (员工名册): the employees one may see (R-1.1), and HR's import and export."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.organisation.access import employees_visible_to, get_employee_for_user, is_company_wide
from aftersales.organisation.exporting import roster_export
from aftersales.organisation.importing import MAX_FILE_BYTES, ImportRefused, roster_import
from aftersales.organisation.models import Position

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_hr(request: HttpRequest) -> None:
    if not is_company_wide(request.user):
        raise PermissionDenied


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """员工名册: the employees the user may see, searchable by number or name."""
    employees = employees_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        employees = employees.filter(Q(number__icontains=query) | Q(name__icontains=query))
    page = Paginator(employees.order_by("number"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": query, "is_hr": is_company_wide(request.user)}
    return render(request, "organisation/employee_list.html", context)


@require_GET
@login_required
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_employee_for_user(request.user, pk)
    is_hr = is_company_wide(request.user)
    history = employee.history.select_related("history_user")[:20] if is_hr else []
    return render(request, "organisation/employee_detail.html", {"employee": employee, "history": history})


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel 文件 (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("导入原因"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("文件过大（上限 5 MB）"))
        return upload


@require_http_methods(["GET", "POST"])
@login_required
def import_roster(request: HttpRequest) -> HttpResponse:
    """HR uploads the roster and salary standards; the errors are listed by row and column."""
    _require_hr(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            result = roster_import(data=data, actor=request.user, reason=form.cleaned_data["reason"])
        except ImportRefused as refused:
            form.add_error("file", str(refused))
        else:
            if result.ok:
                messages.success(
                    request,
                    _("导入成功：新增 %(created)d 人，更新 %(updated)d 人，未变 %(unchanged)d 人")
                    % vars(result),
                )
                return redirect("organisation:index")
    return render(request, "organisation/import.html", {"form": form, "result": result})


@require_GET
@login_required
def export_roster(request: HttpRequest) -> HttpResponse:
    """HR downloads the roster and salary standards in the import's columns."""
    _require_hr(request)
    content = roster_export(employees_visible_to(request.user), Position.objects.all())
    response = HttpResponse(content, content_type=XLSX)
    filename = f"roster-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
