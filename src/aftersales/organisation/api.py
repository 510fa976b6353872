"""REST API of the roster: employees the caller may see (R-1.1), paginated, constant queries; HR's acts of
the organisation pages (employees, logins, structure, the workbook import)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.errors import ActionError
from aftersales.organisation import accounts, roles
from aftersales.organisation.access import employees_visible_to, get_employee_for_user, is_company_wide
from aftersales.organisation.accounts import may_manage_accounts
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
from aftersales.organisation.import_jobs import background_over, roster_import_job
from aftersales.organisation.importing import ImportRefused, ImportResult, roster_import
from aftersales.organisation.models import Employee
from aftersales.ui.api_errors import refusal
from aftersales.ui.api_forms import FormAction, body_is_an_object, serializer_for, twin, valid_form


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SupervisorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()


class EmployeeSerializer(serializers.ModelSerializer):
    department = CodeNameSerializer(read_only=True)
    region = CodeNameSerializer(read_only=True, allow_null=True)
    position = CodeNameSerializer(read_only=True)
    supervisor = SupervisorSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Employee
        fields = [
            "id",
            "number",
            "name",
            "department",
            "region",
            "position",
            "category",
            "supervisor",
            "standard_salary",
            "active_from",
            "active_to",
            "email",
            "phone",
        ]


class EmployeeList(generics.ListAPIView):
    """员工名册: the employees the caller may see, by number."""

    serializer_class = EmployeeSerializer

    def get_queryset(self) -> QuerySet[Employee]:
        return employees_visible_to(self.request.user).order_by("number")


class EmployeeDetail(generics.RetrieveAPIView):
    serializer_class = EmployeeSerializer

    def get_object(self) -> Employee:
        return get_employee_for_user(self.request.user, self.kwargs["pk"])


# --- the acts of the pages (HR, the system administrator): their forms parse, the same acts ---------------


def _require_manager(request: Request) -> None:
    if not may_manage_accounts(request.user):
        raise PermissionDenied


class _Managed(FormAction):
    def target(self, request: Request, pk: int | None) -> Any:
        _require_manager(request)
        return (
            generics.get_object_or_404(Employee.objects.select_related("user"), pk=pk)
            if pk is not None
            else None
        )


@twin(EmployeeForm, "EmployeeInput")
class EmployeeCreate(_Managed):
    """New employee (the reason is kept in its history)."""

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {"instance": target}

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        with transaction.atomic():
            return self.form.save()


@twin(EmployeeForm, "EmployeeInput", created=False)
class EmployeeEdit(EmployeeCreate):
    """A change to an employee (a move to another department keeps the months before)."""


def _structure_twin(kind: str) -> type[FormAction]:
    """New (POST …/new/) or changed (POST …/<pk>/) department, region or position, with the reason."""
    model, form_class, _label = STRUCTURE_EDITORS[kind]

    @twin(form_class, f"{model.__name__}Input")
    class StructureEdit(FormAction):
        def target(self, request: Request, pk: int | None) -> Any:
            _require_manager(request)
            return generics.get_object_or_404(model, pk=pk) if pk is not None else None

        def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
            return {"instance": target}

        def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
            with transaction.atomic():
                return self.form.save()

    StructureEdit.__name__ = StructureEdit.__qualname__ = f"{model.__name__}Edit"
    StructureEdit.__doc__ = f"New or changed {kind} (the reason is kept in its history)."
    return StructureEdit


STRUCTURE_TWINS = {kind: _structure_twin(kind) for kind in STRUCTURE_EDITORS}


class LoginMadeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="the user")
    set_password_link = serializers.URLField(allow_null=True, help_text="one use; null with a password")


@extend_schema(request=serializer_for(LoginForm, "LoginInput"), responses={201: LoginMadeSerializer})
class AccountLogin(_Managed):
    """A login for the employee: a one-use set-password link (recommended) or a first password."""

    form_class = LoginForm

    def post(self, request: Request, pk: int | None = None) -> Response:
        body_is_an_object(request)
        employee = self.target(request, pk)
        data = valid_form(LoginForm, request.data).cleaned_data
        made = accounts.login_create(
            employee=employee,
            username=data["username"],
            email=data["email"],
            password=data["password"] if data["method"] == "password" else "",
            codes=data["roles"] or [roles.EMPLOYEE],
            actor=request.user,
        )
        path = made.set_password_path
        link = request.build_absolute_uri(path) if path else None
        return Response(LoginMadeSerializer({"id": made.user.pk, "set_password_link": link}).data, status=201)


@twin(RolesForm, "RolesInput", created=False)
class AccountRoles(_Managed):
    """The employee's roles, with the reason."""

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        if target.user is None:
            raise ActionError(_("该员工还没有登录账号"))
        return accounts.roles_set(
            user=target.user, codes=data["roles"], actor=request.user, reason=data["reason"]
        )


class LinkSerializer(serializers.Serializer):
    set_password_link = serializers.URLField()


@extend_schema(request=None, responses={201: LinkSerializer})
class AccountLink(APIView):
    """A new one-use set-password link for the employee's login."""

    def post(self, request: Request, pk: int) -> Response:
        _require_manager(request)
        employee = generics.get_object_or_404(Employee.objects.select_related("user"), pk=pk)
        path = accounts.password_link_issue(employee=employee, actor=request.user)
        return Response(
            LinkSerializer({"set_password_link": request.build_absolute_uri(path)}).data, status=201
        )


@twin(DeactivateForm, "DeactivateInput", created=False)
class AccountDeactivate(_Managed):
    """The employee leaves on a date (离职): the login stops, the history stays."""

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        accounts.employee_deactivate(
            employee=target, on=data["on"], actor=request.user, reason=data["reason"]
        )


@twin(ReasonForm, "ReactivateInput", created=False)
class AccountReactivate(_Managed):
    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        accounts.employee_reactivate(employee=target, actor=request.user, reason=data["reason"])


class BulkRowSerializer(serializers.Serializer):
    employee = serializers.IntegerField(source="employee.pk")
    ok = serializers.BooleanField()
    message = serializers.CharField(allow_blank=True)


@extend_schema(
    request=serializer_for(BulkRolesForm, "BulkRolesInput"), responses=BulkRowSerializer(many=True)
)
class RolesBulk(_Managed):
    """Add or remove one role for many employees: a result per row (done, or refused and why)."""

    form_class = BulkRolesForm

    def post(self, request: Request, pk: int | None = None) -> Response:
        body_is_an_object(request)
        _require_manager(request)
        data = valid_form(BulkRolesForm, request.data).cleaned_data
        change = {"add": [data["role"]]} if data["action"] == "add" else {"remove": [data["role"]]}
        employees = data["employees"].select_related("user")
        rows = accounts.roles_bulk(employees=employees, actor=request.user, reason=data["reason"], **change)
        return Response(BulkRowSerializer(rows, many=True).data)


# --- the organisation workbook (导入组织工作簿): the import page's preview and confirmation in one call ----


def _dry_run_field() -> serializers.BooleanField:
    return serializers.BooleanField(
        default=True, help_text="true (default): the preview only, nothing written; false: import"
    )


class ImportOptions(serializers.Serializer):
    dry_run = _dry_run_field()


class CellErrorSerializer(serializers.Serializer):
    """A problem in one cell: sheet, spreadsheet row, column letter ("-": the column is missing)."""

    sheet = serializers.CharField()
    row = serializers.IntegerField()
    column = serializers.CharField()
    header = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class SheetCountsSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    created = serializers.IntegerField()
    changed = serializers.IntegerField()
    deactivated = serializers.IntegerField(help_text="离职日期 newly set")
    unchanged = serializers.IntegerField()


class CellChangeSerializer(serializers.Serializer):
    header = serializers.CharField()
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)


class RowChangeSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField()
    key = serializers.CharField(allow_blank=True, help_text="the code or 工号 of the row")
    name = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=["created", "changed", "deactivated"])
    changes = CellChangeSerializer(many=True, help_text="empty for a new record")


class SetPasswordLinkSerializer(serializers.Serializer):
    number = serializers.CharField()
    name = serializers.CharField()
    username = serializers.CharField()
    set_password_link = serializers.URLField()


class RosterImportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    applied = serializers.BooleanField(help_text="written (false for a preview and for a refused file)")
    ok = serializers.BooleanField(help_text="no cell errors")
    sheets = SheetCountsSerializer(many=True)
    rows = RowChangeSerializer(many=True, help_text="the rows that change something, in sheet order")
    errors = CellErrorSerializer(many=True)  # type: ignore[assignment]  # a field, not Serializer.errors
    warnings = CellErrorSerializer(many=True, help_text="imported all the same")
    new_logins = serializers.IntegerField()
    set_password_links = SetPasswordLinkSerializer(
        many=True, help_text="one use each, shown once: the new logins without an initial password"
    )


class ImportJobSerializer(serializers.Serializer):
    job = serializers.IntegerField(help_text="the background job importing the workbook")
    url = serializers.URLField(
        help_text="its page, for a person (progress, result, the set-password links once)"
    )
    status_url = serializers.URLField(
        help_text="the job in the API (/api/jobs/<id>/: state, progress, result, the set-password links"
        " once); also the answer's Location"
    )


class RosterImportRefusal(serializers.Serializer):
    """The API's refusal (aftersales.ui.api_errors), with the cells at fault when the rows were refused."""

    detail = serializers.CharField(required=False)
    field = serializers.CharField(required=False, allow_null=True)
    errors = CellErrorSerializer(many=True, required=False)  # type: ignore[assignment]  # as above


IMPORT_INPUT = serializer_for(ImportForm, "RosterImportInput", extra={"dry_run": _dry_run_field()})


@extend_schema(
    request={"multipart/form-data": IMPORT_INPUT},
    responses={200: RosterImportSerializer, 202: ImportJobSerializer, 400: RosterImportRefusal},
)
class RosterImport(APIView):
    """导入组织工作簿 (HR), the import page's preview and confirmation: ``dry_run`` true (the default)
    answers the preview — counts per sheet, the rows that change, the errors by sheet, row and column —
    and writes nothing; false imports every row or none (a cell error: 400 naming the cells) and answers
    what was written with the one-use set-password links of the new logins, shown once. An import of
    more rows than ``JOBS_THRESHOLD`` runs as a background job, as on the page: 202 with the job, whose
    state, result and links /api/jobs/<id>/ (the answer's Location) gives."""

    parser_classes = (MultiPartParser, FormParser)

    def post(self, request: Request) -> Response:
        if not is_company_wide(request.user):
            raise PermissionDenied
        form = valid_form(ImportForm, request.data, request.FILES)
        options = ImportOptions(data=request.data)
        options.is_valid(raise_exception=True)
        dry_run = options.validated_data["dry_run"]
        data, reason = form.cleaned_data["file"].read(), form.cleaned_data["reason"]
        result = _roster_import(
            data=data, actor=request.user, reason=reason, dry_run=dry_run, defer_over=background_over()
        )
        if result.deferred:
            return _job_started(request, data, reason)
        if not result.ok and not dry_run:
            refused = refusal(result.refusal(), "file")
            refused.data["errors"] = CellErrorSerializer(result.errors, many=True).data
            return refused
        return Response(_import_answer(request, result, dry_run))


def _job_started(request: Request, data: bytes, reason: str) -> Response:
    job = roster_import_job(data=data, reason=reason, actor=request.user)
    url = request.build_absolute_uri(reverse("jobs:detail", args=[job.pk]))
    status_url = request.build_absolute_uri(reverse("api-jobs:detail", args=[job.pk]))
    answer = ImportJobSerializer({"job": job.pk, "url": url, "status_url": status_url}).data
    return Response(answer, status=202, headers={"Location": status_url})


def _roster_import(**kwargs: Any) -> ImportResult:
    """The import service; a file refused as a whole (not a workbook, too big, unsafe) on ``file``."""
    try:
        return roster_import(**kwargs)
    except ImportRefused as refused:
        raise ActionError(str(refused), "file") from None


def _import_answer(request: Request, result: ImportResult, dry_run: bool) -> Any:
    links = [
        {**vars(link), "set_password_link": request.build_absolute_uri(link.path)} for link in result.links
    ]
    answer = {
        "dry_run": dry_run,
        "applied": result.applied,
        "ok": result.ok,
        "sheets": result.sheets,
        "rows": result.rows,
        "errors": result.errors,
        "warnings": result.warnings,
        "new_logins": result.new_logins,
        "set_password_links": links,
    }
    return RosterImportSerializer(answer).data
