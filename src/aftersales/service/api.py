"""REST API of the service area (/api/service/): the same selectors, actions and access as the pages.

Lists are paginated and preload their relations (constant queries). Objects outside the user's
scope are 404; an action the user may not take is 403; a business refusal is 400 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.errors import RuleError
from aftersales.core.periods import Month
from aftersales.core.sla import Milestone
from aftersales.organisation.models import Region
from aftersales.service import selectors, services
from aftersales.service.forms import department_staff
from aftersales.service.images import ImageRefused, decode_data_url
from aftersales.service.models import (
    Channel,
    Complaint,
    FaultCategory,
    MilestoneKind,
    Responsibility,
    ServiceReport,
    WorkOrder,
)


def _run(action: Callable[[], Any]) -> Any:
    """Run an action; a business refusal becomes a 400 with its messages."""
    try:
        return action()
    except DjangoValidationError as error:
        raise ApiValidationError(
            error.message_dict if hasattr(error, "error_dict") else error.messages
        ) from error


# --- serializers ---------------------------------------------------------------------------------------


class AssignmentSerializer(serializers.Serializer[Any]):
    engineer = serializers.IntegerField(source="engineer_id")
    name = serializers.CharField(source="engineer.name")
    in_charge = serializers.BooleanField()


class OrderSerializer(serializers.ModelSerializer[WorkOrder]):
    region = serializers.CharField(source="region.name", default=None)
    engineers = AssignmentSerializer(source="assignments", many=True)
    deadline_state = serializers.CharField()

    class Meta:
        model = WorkOrder
        fields = [
            "id",
            "number",
            "status",
            "received_at",
            "channel",
            "customer",
            "contact_name",
            "contact_phone",
            "unit_model",
            "unit_number",
            "site",
            "distance_km",
            "fault",
            "needs_supplier",
            "description",
            "region",
            "engineers",
            "travel_advance",
            "required_milestone",
            "deadline",
            "deadline_state",
            "reply_at",
            "written_contact_at",
            "on_site_at",
            "resolved_at",
            "closed_at",
            "cancel_reason",
        ]


class OrderReceiveSerializer(serializers.Serializer[Any]):
    received_at = serializers.DateTimeField()
    channel = serializers.ChoiceField(Channel.choices)
    customer = serializers.CharField(max_length=200)
    contact_name = serializers.CharField(max_length=50)
    contact_phone = serializers.CharField(max_length=40, required=False, default="")
    unit_model = serializers.CharField(max_length=100)
    unit_number = serializers.CharField(max_length=100)
    site = serializers.CharField(max_length=200)
    distance_km = serializers.DecimalField(
        max_digits=8, decimal_places=1, min_value=0, required=False, default=None
    )
    fault = serializers.ChoiceField(FaultCategory.choices)
    needs_supplier = serializers.BooleanField(required=False, default=False)
    description = serializers.CharField()
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), required=False, default=None)


class DispatchSerializer(serializers.Serializer[Any]):
    engineers = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    in_charge = serializers.IntegerField(required=False, default=None)
    travel_advance = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, default=Decimal(0)
    )


class MilestoneSerializer(serializers.Serializer[Any]):
    milestone = serializers.ChoiceField(MilestoneKind.choices)
    at = serializers.DateTimeField(required=False, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class ResolveSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField(required=False, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()


class PartLineSerializer(serializers.Serializer[Any]):
    part = serializers.CharField(max_length=200)
    quantity = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=200)
    warranty = serializers.BooleanField(default=True)


class ReportSerializer(serializers.ModelSerializer[ServiceReport]):
    order_number = serializers.CharField(source="order.number")
    engineer_name = serializers.CharField(source="engineer.name")
    part_lines = PartLineSerializer(many=True)
    is_signed = serializers.BooleanField()
    is_approved = serializers.BooleanField()

    class Meta:
        model = ServiceReport
        fields = [
            "id",
            "order",
            "order_number",
            "visit",
            "revision",
            "previous",
            "revision_reason",
            "is_current",
            "engineer",
            "engineer_name",
            *services.REPORT_FIELDS,
            "part_lines",
            "is_signed",
            "signed_by",
            "signed_at",
            "stamped",
            "is_approved",
            "approved_at",
        ]


class ReportUpdateSerializer(serializers.Serializer[Any]):
    running_time = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    mileage = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    fault_reported = serializers.CharField(required=False, allow_blank=True)
    warranty_eligible = serializers.BooleanField(required=False, allow_null=True)
    dismantled_before = serializers.BooleanField(required=False, allow_null=True)
    cause_found = serializers.CharField(required=False, allow_blank=True)
    handling = serializers.CharField(required=False, allow_blank=True)
    responsibility = serializers.ChoiceField(Responsibility.choices, required=False, allow_blank=True)
    old_parts_to_return = serializers.CharField(required=False, allow_blank=True)
    part_lines = PartLineSerializer(many=True, required=False)


class SignSerializer(serializers.Serializer[Any]):
    signed_by = serializers.CharField(max_length=50)
    stamped = serializers.BooleanField(default=False)
    signature = serializers.CharField(help_text="The customer's drawn signature: data:image/png;base64,…")
    at = serializers.DateTimeField(required=False, default=None)

    def validate_signature(self, value: str) -> bytes:
        try:
            return decode_data_url(value, services.SIGNATURE_MAX_BYTES)
        except ImageRefused as exc:
            raise serializers.ValidationError("expected a PNG data URL") from exc


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    employee_name = serializers.CharField(source="employee.name", read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "order",
            "employee",
            "employee_name",
            "received_at",
            "channel",
            "complainant",
            "content",
            "written",
            "service_responsibility",
            "status",
            "verification_note",
            "verified_at",
            "handler",
            "responded_at",
        ]
        read_only_fields = ["status", "verification_note", "verified_at", "responded_at"]


class VerifySerializer(serializers.Serializer[Any]):
    founded = serializers.BooleanField()
    note = serializers.CharField()


# --- work orders ---------------------------------------------------------------------------------------


class OrderList(generics.ListCreateAPIView[WorkOrder]):
    """Work orders the user sees (R-1.1), newest first; POST receives a new one (dispatcher, head)."""

    serializer_class = OrderSerializer

    def get_queryset(self) -> QuerySet[WorkOrder]:
        return selectors.orders_for_list(self.request.user)

    @extend_schema(request=OrderReceiveSerializer, responses={201: OrderSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(OrderReceiveSerializer, request)
        order = _run(
            lambda: services.order_receive(request=services.OrderRequest(**data), actor=request.user)
        )
        return Response(
            OrderSerializer(selectors.get_order_for_user(request.user, order.pk)).data, status=201
        )


def _valid(serializer: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    checked = serializer(data=request.data)
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


class OrderDetail(generics.RetrieveAPIView[WorkOrder]):
    serializer_class = OrderSerializer

    def get_object(self) -> WorkOrder:
        return selectors.get_order_for_user(self.request.user, self.kwargs["pk"])


ORDER_ACTIONS = {
    "dispatch": DispatchSerializer,
    "milestone": MilestoneSerializer,
    "resolve": ResolveSerializer,
    "cancel": ReasonSerializer,
}


class OrderAction(APIView):
    """POST /orders/{id}/{dispatch|milestone|resolve|cancel}/: one step of the work order."""

    @extend_schema(
        operation_id="service_orders_action",
        request=PolymorphicProxySerializer(
            component_name="ServiceOrderAction",
            serializers=list(ORDER_ACTIONS.values()),
            resource_type_field_name=None,
        ),
        responses=OrderSerializer,
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        if action not in ORDER_ACTIONS:
            raise NotFound
        order = selectors.get_order_for_user(request.user, pk)
        data = _valid(ORDER_ACTIONS[action], request)
        _run(lambda: _order_step(action, order, request, data))
        return Response(OrderSerializer(selectors.get_order_for_user(request.user, pk)).data)


def _order_step(action: str, order: WorkOrder, request: Request, data: dict[str, Any]) -> WorkOrder:
    actor = request.user
    if action == "dispatch":
        staff = {e.pk: e for e in department_staff(order.department_id).filter(pk__in=data["engineers"])}
        if set(staff) != set(data["engineers"]):
            raise DjangoValidationError({"engineers": "not staff of the order's department"})
        return services.order_dispatch(
            order=order,
            actor=actor,
            engineers=[staff[pk] for pk in data["engineers"]],
            in_charge=staff.get(data["in_charge"]) if data["in_charge"] else None,
            travel_advance=data["travel_advance"],
        )
    if action == "milestone":
        return services.order_record_milestone(
            order=order, actor=actor, milestone=Milestone(data["milestone"]), at=data["at"], note=data["note"]
        )
    if action == "resolve":
        return services.order_resolve(order=order, actor=actor, at=data["at"], note=data["note"])
    return services.order_cancel(order=order, actor=actor, reason=data["reason"])


# --- service reports -----------------------------------------------------------------------------------


class ReportList(generics.ListAPIView[ServiceReport]):
    """Service reports of the orders the user sees (every revision); ``?current=1`` for current ones."""

    serializer_class = ReportSerializer

    def get_queryset(self) -> QuerySet[ServiceReport]:
        reports = selectors.reports_visible_to(self.request.user).order_by("-created_at", "-pk")
        return reports.filter(is_current=True) if self.request.query_params.get("current") else reports


class ReportDetail(generics.RetrieveAPIView[ServiceReport]):
    serializer_class = ReportSerializer

    def get_object(self) -> ServiceReport:
        return selectors.get_report_for_user(self.request.user, self.kwargs["pk"])


REPORT_ACTIONS = {
    "update": ReportUpdateSerializer,
    "sign": SignSerializer,
    "approve": serializers.Serializer,
    "revise": ReasonSerializer,
}


class ReportAction(APIView):
    """POST /reports/{id}/{update|sign|approve|revise}/. ``revise`` answers with the new revision."""

    @extend_schema(operation_id="service_reports_action", request=SignSerializer, responses=ReportSerializer)
    def post(self, request: Request, pk: int, action: str) -> Response:
        if action not in REPORT_ACTIONS:
            raise NotFound
        report = selectors.get_report_for_user(request.user, pk)
        data = _valid(REPORT_ACTIONS[action], request)
        result = _run(lambda: _report_step(action, report, request, data))
        return Response(ReportSerializer(selectors.get_report_for_user(request.user, result.pk)).data)


def _report_step(action: str, report: ServiceReport, request: Request, data: dict[str, Any]) -> ServiceReport:
    actor = request.user
    if action == "update":
        lines = data.pop("part_lines", None)
        return services.report_update(report=report, actor=actor, fields=data, part_lines=lines)
    if action == "sign":
        return services.report_sign(report=report, actor=actor, **data)
    if action == "approve":
        return services.report_approve(report=report, actor=actor)
    return services.report_revise(report=report, actor=actor, reason=data["reason"])


# --- complaints and KPIs -------------------------------------------------------------------------------


class ComplaintList(generics.ListCreateAPIView[Complaint]):
    """Complaints the user sees; POST records one (dispatcher, head)."""

    serializer_class = ComplaintSerializer

    def get_queryset(self) -> QuerySet[Complaint]:
        return selectors.complaints_visible_to(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        checked = ComplaintSerializer(data=request.data)
        checked.is_valid(raise_exception=True)
        data = dict(checked.validated_data)
        if data.get("order") is not None:
            data["order"] = selectors.get_order_for_user(request.user, data["order"].pk)
        complaint = _run(lambda: services.complaint_record(actor=request.user, **data))
        return Response(
            ComplaintSerializer(selectors.get_complaint_for_user(request.user, complaint.pk)).data, 201
        )


class ComplaintDetail(generics.RetrieveAPIView[Complaint]):
    serializer_class = ComplaintSerializer

    def get_object(self) -> Complaint:
        return selectors.get_complaint_for_user(self.request.user, self.kwargs["pk"])


class ComplaintVerify(APIView):
    @extend_schema(request=VerifySerializer, responses=ComplaintSerializer)
    def post(self, request: Request, pk: int) -> Response:
        complaint = selectors.get_complaint_for_user(request.user, pk)
        data = _valid(VerifySerializer, request)
        _run(lambda: services.complaint_verify(complaint=complaint, actor=request.user, **data))
        return Response(ComplaintSerializer(selectors.get_complaint_for_user(request.user, pk)).data)


class KpiRowSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    timeliness = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    orders_due = serializers.SerializerMethodField()
    satisfaction = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    surveys = serializers.SerializerMethodField()
    complaint_rate = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    complaints = serializers.IntegerField()
    orders_received = serializers.IntegerField(source="received")
    meets = serializers.DictField(child=serializers.BooleanField(allow_null=True))

    def get_orders_due(self, row: selectors.KpiRow) -> int:
        return len(row.due)

    def get_surveys(self, row: selectors.KpiRow) -> int:
        return len(row.scores)


class Kpis(APIView):
    """R-8.1 for a month (``?month=YYYY-MM``, default this month): in all, per region, per engineer."""

    @extend_schema(parameters=[OpenApiParameter("month", str)], responses=KpiRowSerializer(many=True))
    def get(self, request: Request) -> Response:
        try:
            month = Month.parse(request.query_params.get("month") or str(Month.of(timezone.localdate())))
        except RuleError as error:
            raise ApiValidationError({"month": error.message}) from error
        table = selectors.service_kpis(request.user, month)
        return Response(
            {
                "month": str(month),
                "total": KpiRowSerializer(table.total).data,
                "regions": KpiRowSerializer(table.regions, many=True).data,
                "engineers": KpiRowSerializer(table.engineers, many=True).data,
            }
        )


# --- field records (record_kinds.KINDS): list, record, the leader's acts ------------------------------
# (imports local to these functions: this part is appended to a module other changes edit above it)


class RecordEmployeeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()


RECORD_FILTERS = [
    OpenApiParameter("month", str, description="YYYY-MM"),
    OpenApiParameter("q", str, description="employee number, or part of the name"),
]
_NO_INPUT = {"employee", "recorded_by", "recorded_at", "reviewed_by", "approved_by", "received_by"}


@cache
def _record_serializers(
    slug: str,
) -> tuple[type[serializers.Serializer[Any]], type[serializers.Serializer[Any]]]:
    """The output (every field, the employee nested) and input (the page form's fields) of a kind
    (built once per kind: the schema names each component once)."""
    from aftersales.service.record_kinds import KINDS

    kind = KINDS[slug]
    name = kind.model.__name__
    fields = [f.name for f in kind.model._meta.concrete_fields]
    output_meta = type("Meta", (), {"model": kind.model, "fields": fields, "read_only_fields": fields})
    output = type(
        f"{name}Serializer",
        (serializers.ModelSerializer,),
        {"Meta": output_meta, "employee": RecordEmployeeSerializer(read_only=True)},
    )
    input_fields = list(kind.form.Meta.fields)  # type: ignore[attr-defined]  # each kind's form is a ModelForm
    attrs: dict[str, Any] = {"Meta": type("Meta", (), {"model": kind.model, "fields": input_fields})}
    if "advance" in input_fields:
        attrs["advance"] = serializers.DecimalField(
            max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
        )
    if "order" in input_fields:
        attrs["order"] = serializers.PrimaryKeyRelatedField(
            queryset=WorkOrder.objects.all(), required=False, allow_null=True, default=None
        )
    return output, type(f"{name}InputSerializer", (serializers.ModelSerializer,), attrs)


def _record_list_view(kind: Any) -> type[APIView]:
    from aftersales.service.record_views import filtered

    output, checked_input = _record_serializers(kind.slug)

    class RecordList(generics.ListCreateAPIView[Any]):
        serializer_class = output

        def get_queryset(self) -> QuerySet[Any]:
            return filtered(kind, self.request.user, self.request.query_params)

        @extend_schema(parameters=RECORD_FILTERS)
        def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
            return super().get(request, *args, **kwargs)

        @extend_schema(request=checked_input, responses={201: output})
        def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
            data = _valid(checked_input, request)
            record = _run(lambda: kind.create(request.user, data))
            return Response(output(kind.queryset(request.user).get(pk=record.pk)).data, status=201)

    RecordList.__name__ = RecordList.__qualname__ = f"{kind.model.__name__}List"
    RecordList.__doc__ = f"{kind.model.__doc__}\n\nGET lists what the user may see (R-1.1); POST records one."
    return RecordList


def _record_action_view(kind: Any, act: Any) -> type[APIView]:
    from django.shortcuts import get_object_or_404
    from rest_framework.exceptions import PermissionDenied

    from aftersales.service.record_services import may_lead

    output, _input = _record_serializers(kind.slug)
    body = type(
        f"{kind.model.__name__}{act.name.title().replace('-', '')}Serializer",
        (serializers.Serializer,),
        {name: _api_field(f) for name, f in act.form.base_fields.items()},
    )

    class RecordAction(APIView):
        @extend_schema(request=body, responses=output)
        def post(self, request: Request, pk: int) -> Response:
            record = get_object_or_404(kind.queryset(request.user), pk=pk)
            if not may_lead(request.user, record.employee):
                raise PermissionDenied
            data = _valid(body, request)
            _run(lambda: act.run(record, request.user, data))
            return Response(output(kind.queryset(request.user).get(pk=pk)).data)

    RecordAction.__name__ = RecordAction.__qualname__ = body.__name__.removesuffix("Serializer")
    RecordAction.__doc__ = f"{act.label} ({kind.model.__name__}): the employee's leader only."
    return RecordAction


def _api_field(field: Any) -> serializers.Field:
    """The API twin of a page form's field (choice, date, decimal or text)."""
    from django import forms as django_forms

    required = field.required
    if isinstance(field, django_forms.ChoiceField):
        return serializers.ChoiceField(choices=list(field.choices), required=required)  # type: ignore[arg-type]
    if isinstance(field, django_forms.DateField):
        return serializers.DateField(required=required, default=None if not required else serializers.empty)
    if isinstance(field, django_forms.DecimalField):
        return serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=required)
    return serializers.CharField(
        required=required, allow_blank=not required, default="" if not required else serializers.empty
    )


def record_urls() -> list[Any]:
    """The URL patterns of the field records' API (api_urls)."""
    from django.urls import path

    from aftersales.service.record_kinds import KINDS

    patterns = []
    for kind in KINDS.values():
        patterns.append(
            path(f"records/{kind.slug}/", _record_list_view(kind).as_view(), name=f"{kind.slug}-list")
        )
        for act in kind.actions:
            view = _record_action_view(kind, act).as_view()
            patterns.append(
                path(f"records/{kind.slug}/<int:pk>/{act.name}/", view, name=f"{kind.slug}-{act.name}")
            )
    return patterns
