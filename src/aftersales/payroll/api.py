"""REST API of performance pay (/api/payroll/): the pages' selectors and the close action."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.organisation.access import is_company_wide
from aftersales.organisation.models import Category
from aftersales.payroll import selectors, services
from aftersales.payroll.forms import CoefficientForm, OverrideForm, PayoutForm, ReleaseForm, SettingsForm
from aftersales.payroll.models import CloseLine, CloseVersion, PayFactorMode, PaySettings
from aftersales.payroll.serializers import (
    CloseLineSerializer,
    CloseOutcomeSerializer,
    CloseRunSerializer,
    CloseVersionSerializer,
)
from aftersales.ui.api_forms import FormAction, twin
from aftersales.ui.pagination import KeysetPagination

MONTH_FILTERS = [
    OpenApiParameter("year", int),
    OpenApiParameter("month", int),
    OpenApiParameter("current", bool, description="only current versions (default true)"),
]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        raise serializers.ValidationError({"detail": "must be a whole number"}) from None


def _by_month(queryset: QuerySet, params: Any, prefix: str) -> QuerySet:
    for name in ("year", "month"):
        value = _int(params.get(name))
        if value is not None:
            queryset = queryset.filter(**{f"{prefix}period__{name}": value})
    if params.get("current", "true").lower() != "false":
        queryset = queryset.filter(**{f"{prefix}is_current": True})
    return queryset


class CloseList(generics.ListAPIView[CloseVersion]):
    """Close versions (pay sheets) the caller may see: HR all, a head their department's (R-1.1).
    POST runs a close (HR): one department, or the company with ``department`` null."""

    serializer_class = CloseVersionSerializer
    pagination_class = KeysetPagination  # newest first by key; no count of the whole history (issue 11)

    def get_queryset(self) -> QuerySet[CloseVersion]:
        versions = _by_month(selectors.closes_visible_to(self.request.user), self.request.query_params, "")
        return selectors.with_totals(versions)

    @extend_schema(parameters=MONTH_FILTERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=CloseRunSerializer, responses={201: CloseOutcomeSerializer})
    def post(self, request: Request) -> Response:
        if not is_company_wide(request.user):
            raise PermissionDenied
        data = CloseRunSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        department = self._department(data.validated_data.pop("department", None))
        outcome = services.close_run(actor=request.user, department=department, **data.validated_data)
        created = selectors.with_totals(CloseVersion.objects.filter(pk__in=[v.pk for v in outcome.created]))
        body = {
            "created": created.select_related("period__department", "closed_by"),
            "unchanged": outcome.unchanged,
        }
        return Response(CloseOutcomeSerializer(body).data, status=201)

    def _department(self, pk: int | None) -> Any:
        if pk is None:
            return None
        try:
            return selectors.get_department_for_user(self.request.user, pk)
        except Http404:
            raise serializers.ValidationError({"department": "no such department"}) from None


class CloseDetail(generics.RetrieveAPIView[CloseVersion]):
    serializer_class = CloseVersionSerializer

    def get_object(self) -> CloseVersion:
        pk = self.kwargs["pk"]
        try:
            return selectors.with_totals(selectors.closes_visible_to(self.request.user)).get(pk=pk)
        except CloseVersion.DoesNotExist:
            raise Http404 from None


class LineList(generics.ListAPIView[CloseLine]):
    """Pay lines the caller may see: an employee their own, a supervisor their team's, a head their
    department's, HR all (R-1.1). ``close`` narrows to one version (then any version)."""

    serializer_class = CloseLineSerializer
    pagination_class = KeysetPagination  # deep pages cost the same as the first (issue 11)

    def get_queryset(self) -> QuerySet[CloseLine]:
        lines = selectors.lines_visible_to(self.request.user).order_by("-pk")
        close = _int(self.request.query_params.get("close"))
        if close is not None:
            return lines.filter(version_id=close)
        return _by_month(lines, self.request.query_params, "version__")

    @extend_schema(
        parameters=[*MONTH_FILTERS, OpenApiParameter("close", int, description="a close version id")]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# --- the other acts of the pages: their forms parse, their services act (aftersales.ui.api_forms) -----------


def _require_hr(request: Request) -> None:
    if not is_company_wide(request.user):
        raise PermissionDenied


@twin(OverrideForm, "GradeOverrideInput", created=False)
class LineOverride(FormAction):
    """HR overrides the grade of a line with a written reason (R-3.3); not on one's own line (R-4.1)."""

    def target(self, request: Request, pk: int | None) -> CloseLine:
        line = selectors.get_line_for_user(request.user, pk or 0)
        if not services.may_act_on_line(request.user, line):
            raise PermissionDenied
        return line

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.grade_override(line=target, actor=request.user, **data)


@twin(ReleaseForm, "PayReleaseInput", created=False)
class LineRelease(FormAction):
    """HR releases held pay once the appeal is decided or the interview recorded (R-4.3, R-4.4)."""

    def target(self, request: Request, pk: int | None) -> CloseLine:
        line = selectors.get_line_for_user(request.user, pk or 0)
        _require_hr(request)
        return line

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.pay_release(line=target, actor=request.user, **data)


@twin(PayoutForm, "FundPayoutInput")
class FundPayout(FormAction):
    """The head (or HR) pays an adjustment reward from the department's fund, with a reason (R-5.4)."""

    def target(self, request: Request, pk: int | None) -> Any:
        department = selectors.get_department_for_user(request.user, pk or 0)
        if not services.may_pay_from_fund(request.user, department):
            raise PermissionDenied
        return department

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {"department": target}

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.fund_payout(department=target, actor=request.user, **data)


FACTORS = {
    f"factor_{code}": serializers.ChoiceField(choices=PayFactorMode.choices, label=str(label))
    for code, label in Category.choices
}


@twin(SettingsForm, "PaySettingsInput", created=False, extra=FACTORS)
class SettingsEdit(FormAction):
    """HR's pay settings: ratio, rounding unit, score cap, quotas, each category's pay factor."""

    def target(self, request: Request, pk: int | None) -> PaySettings:
        _require_hr(request)
        return PaySettings.load()

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {"instance": target, "modes": {}}

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        fields, factors = self.form.setting_fields(), self.form.pay_factors()
        services.pay_settings_update(
            actor=request.user, reason=data["reason"], fields=fields, pay_factors=factors
        )
        return PaySettings.load()


@twin(CoefficientForm, "DepartmentCoefficientInput")
class CoefficientSet(FormAction):
    """Department coefficient d of a month (R-5.3), set by HR with a reason."""

    def target(self, request: Request, pk: int | None) -> None:
        _require_hr(request)

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.coefficient_set(actor=request.user, **data)
