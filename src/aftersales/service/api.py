"""REST API of the service area (/api/service/): the same selectors, actions and access as the pages.

Lists are paginated and preload their relations (constant queries). Objects outside the user's
scope are 404; an action the user may not take is 403; a business refusal is 400 with the reason.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.periods import Month
from aftersales.core.sla import Milestone
from aftersales.organisation.access import employees_visible_to
from aftersales.organisation.models import Region
from aftersales.service import access, field, forms, selectors, services
from aftersales.service.forms import department_staff
from aftersales.service.images import ImageRefused, decode_data_url
from aftersales.service.models import (
    ORDER_PHOTO_KINDS,
    Channel,
    Complaint,
    FaultCategory,
    MilestoneKind,
    Photo,
    PhotoKind,
    Responsibility,
    ServiceReport,
    WorkOrder,
)
from aftersales.ui.api_forms import Done, FormAction, body_is_an_object, twin, valid_form
from aftersales.ui.api_params import month_param, month_parameter

# --- serializers ---------------------------------------------------------------------------------------


class AssignmentSerializer(serializers.Serializer[Any]):
    engineer = serializers.IntegerField(source="engineer_id")
    name = serializers.CharField(source="engineer.name")
    in_charge = serializers.BooleanField()


class OrderSerializer(serializers.ModelSerializer[WorkOrder]):
    region = serializers.CharField(source="region.name", default=None, allow_null=True)
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
        order = services.order_receive(request=services.OrderRequest(**data), actor=request.user)
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
        _order_step(action, order, request, data)
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
        result = _report_step(action, report, request, data)
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
        complaint = services.complaint_record(actor=request.user, **data)
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
        services.complaint_verify(complaint=complaint, actor=request.user, **data)
        return Response(ComplaintSerializer(selectors.get_complaint_for_user(request.user, pk)).data)


class KpiRowSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]
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


class KpiTableSerializer(serializers.Serializer[Any]):
    """The month's KPI table: in all, per region, per engineer."""

    month = serializers.CharField(help_text="YYYY-MM")
    total = KpiRowSerializer()
    regions = KpiRowSerializer(many=True)
    engineers = KpiRowSerializer(many=True)


class Kpis(APIView):
    """R-8.1 for a month (``?month=YYYY-MM``, default this month): in all, per region, per engineer."""

    @extend_schema(parameters=[month_parameter(required=False)], responses=KpiTableSerializer)
    def get(self, request: Request) -> Response:
        month = month_param(request, default=Month.of(timezone.localdate()))
        table = selectors.service_kpis(request.user, month)
        body = {"month": str(month), "total": table.total, "regions": table.regions}
        return Response(KpiTableSerializer(body | {"engineers": table.engineers}).data)


# --- the other acts of the pages: their forms parse, their services act (aftersales.ui.api_forms) -----------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _home_department(request: Request) -> int:
    """The department the user runs (dispatcher or head), for the records made in it; else 403."""
    department_id = access.reach(request.user).home_department_id
    _require(department_id is not None and access.runs_department(request.user, department_id))
    return department_id  # type: ignore[return-value]


def _meta_fields(form: Any) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


class _OnOrder(FormAction):
    def target(self, request: Request, pk: int | None) -> WorkOrder:
        return selectors.get_order_for_user(request.user, pk or 0)


@extend_schema(request=None, responses={201: Done})
class ReportStart(APIView):
    """Start the order's service report (the engineers sent); answers the report's id."""

    def post(self, request: Request, pk: int) -> Response:
        order = selectors.get_order_for_user(request.user, pk)
        report = services.report_start(order=order, actor=request.user)
        return Response(Done({"id": report.pk}).data, status=201)


@twin(forms.CheckInForm, "CheckInInput")
class CheckIn(_OnOrder):
    """到达现场: server time, the device's position (or that it gave none); answers the check-in."""

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        _require(access.is_assigned(request.user, target))
        return services.order_check_in(order=target, actor=request.user, fix=self.form.fix())


class PhotoSerializer(serializers.ModelSerializer[Photo]):
    kind_display = serializers.CharField(source="get_kind_display")
    url = serializers.SerializerMethodField(help_text="the image (GET, same permission as its record)")

    class Meta:
        model = Photo
        fields = ["id", "kind", "kind_display", "name", "content_type", "size", "sha256", "width", "height"]
        fields += ["taken_at", "latitude", "longitude", "uploaded_at", "order", "report", "url"]
        fields += ["old_part_return", "quality_report"]

    def get_url(self, photo: Photo) -> str:
        return reverse("api-service:photo-file", args=[photo.pk])


class _Photos(FormAction):
    """GET the record's photos (whoever sees the record); POST adds photos (multipart: ``kind``,
    ``photos`` one or more files) — who may add them is the page's rule (``services.may_add_photos``)."""

    kinds: tuple[str, ...] | None = None
    parser_classes = [MultiPartParser, FormParser]

    def photo_target(self, request: Request, pk: int) -> services.PhotoTarget:
        raise NotImplementedError

    def target(self, request: Request, pk: int | None) -> services.PhotoTarget:
        target = self.photo_target(request, pk or 0)
        _require(services.may_add_photos(request.user, target))
        return target

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {"kinds": self.kinds}

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        kind, uploads = data["kind"], self.form.uploads()
        return services.photos_add(actor=request.user, kind=kind, uploads=uploads, target=target)

    @extend_schema(responses=PhotoSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        target = self.photo_target(request, pk)
        photos = Photo.objects.filter(**{k: v for k, v in vars(target).items() if v is not None})
        return Response(PhotoSerializer(photos.order_by("uploaded_at", "pk"), many=True).data)

    @extend_schema(responses={201: PhotoSerializer(many=True)})
    def post(self, request: Request, pk: int | None = None) -> Response:
        body_is_an_object(request)
        target = self.target(request, pk)
        self.form = valid_form(
            self.form_class, request.data, request.FILES, **self.form_kwargs(request, target)
        )
        photos = self.act(request, target, self.form.cleaned_data)
        return Response(PhotoSerializer(photos, many=True).data, status=201)


PHOTO_INPUT = "PhotoInput"


@twin(forms.PhotoForm, PHOTO_INPUT)
class OrderPhotos(_Photos):
    kinds = ORDER_PHOTO_KINDS

    def photo_target(self, request: Request, pk: int) -> services.PhotoTarget:
        return services.PhotoTarget(order=selectors.get_order_for_user(request.user, pk))


@twin(forms.PhotoForm, PHOTO_INPUT)
class ReportPhotos(_Photos):
    def photo_target(self, request: Request, pk: int) -> services.PhotoTarget:
        report = selectors.get_report_for_user(request.user, pk)
        return services.PhotoTarget(order=report.order, report=report)

    @extend_schema(responses=PhotoSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        photos = selectors.get_report_for_user(request.user, pk).photos.order_by("uploaded_at", "pk")
        return Response(PhotoSerializer(photos, many=True).data)


@twin(forms.PhotoForm, PHOTO_INPUT)
class QualityPhotos(_Photos):
    kinds = (PhotoKind.FAULT, PhotoKind.NAMEPLATE)

    def photo_target(self, request: Request, pk: int) -> services.PhotoTarget:
        return services.PhotoTarget(quality_report=selectors.get_quality_report_for_user(request.user, pk))


@twin(forms.PhotoForm, PHOTO_INPUT)
class OldPartPhotos(_Photos):
    kinds = (PhotoKind.OLD_PART,)

    def photo_target(self, request: Request, pk: int) -> services.PhotoTarget:
        return services.PhotoTarget(old_part_return=selectors.get_old_part_return_for_user(request.user, pk))


@extend_schema(responses={(200, "image/*"): OpenApiTypes.BINARY})
class PhotoFile(APIView):
    """The photo itself (its checked type; ``?download=1`` as an attachment), to who sees its record."""

    def get(self, request: Request, pk: int) -> FileResponse:
        photo = selectors.get_photo_for_user(request.user, pk)
        return field.photo_response(photo, download="download" in request.query_params)


class ConfirmationSerializer(serializers.Serializer[Any]):
    url = serializers.URLField(allow_null=True, help_text="null once answered, expired or revised")


@extend_schema(responses=ConfirmationSerializer)
class ReportConfirmation(APIView):
    """The customer's confirmation link of a signed report (made when the customer signs; shown to the
    engineer and printed as a QR code), while it can still be answered."""

    def get(self, request: Request, pk: int) -> Response:
        report = selectors.get_report_for_user(request.user, pk)
        return Response(ConfirmationSerializer({"url": field.confirmation_url(request, report)}).data)


@twin(forms.CallForm, "CallInput")
class CallCreate(FormAction):
    """登记来电来函 (the department's dispatcher or head)."""

    def target(self, request: Request, pk: int | None) -> int:
        return _home_department(request)

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {"department_id": target, "orders": selectors.orders_for_list(request.user)}

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.call_log_record(actor=request.user, **_meta_fields(self.form))


@twin(forms.CallAnswerForm, "CallAnswerInput", created=False)
class CallAnswer(FormAction):
    def target(self, request: Request, pk: int | None) -> Any:
        return selectors.get_call_for_user(request.user, pk or 0)

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.call_log_answer(entry=target, actor=request.user, **data)


@extend_schema(request=None, responses={200: Done})
class CallFile(APIView):
    def post(self, request: Request, pk: int) -> Response:
        entry = services.call_log_file(
            entry=selectors.get_call_for_user(request.user, pk), actor=request.user
        )
        return Response(Done({"id": entry.pk}).data)


@twin(forms.SurveyForm, "SurveyInput")
class SurveyCreate(_OnOrder):
    """顾客满意度调查 of the order (the department's dispatcher or head)."""

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        _require(access.runs_department(request.user, target.department_id))
        fields = {name: data[name] for name in ("respondent", "score", "comments", "at")}
        return services.survey_record(order=target, actor=request.user, **fields)


@extend_schema(request=None, responses={200: Done})
class ComplaintRespond(APIView):
    """The employee records that they answered the complaint."""

    def post(self, request: Request, pk: int) -> Response:
        complaint = selectors.get_complaint_for_user(request.user, pk)
        complaint = services.complaint_respond(complaint=complaint, actor=request.user)
        return Response(Done({"id": complaint.pk}).data)


@twin(forms.IncidentForm, "IncidentInput")
class IncidentCreate(FormAction):
    """登记重大行车事故."""

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {"employees": employees_visible_to(request.user)}

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.incident_record(actor=request.user, **_meta_fields(self.form))


@twin(forms.IncidentUpdateForm, "IncidentUpdateInput", created=False)
class IncidentUpdate(FormAction):
    def target(self, request: Request, pk: int | None) -> Any:
        return selectors.get_incident_for_user(request.user, pk or 0)

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.incident_update(incident=target, actor=request.user, **data)


@twin(forms.QualityForm, "QualityInput")
class QualityCreate(FormAction):
    """提交现场质量信息 (multipart; ``attachments`` one or more files)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def target(self, request: Request, pk: int | None) -> None:
        _require(access.reach(request.user).me is not None)

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        fields = _meta_fields(self.form)
        return services.quality_report_record(actor=request.user, attachments=self.form.uploads(), **fields)


@twin(forms.RespondForm, "QualityRespondInput", created=False)
class QualityRespond(FormAction):
    def target(self, request: Request, pk: int | None) -> Any:
        return selectors.get_quality_report_for_user(request.user, pk or 0)

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.quality_report_respond(report=target, actor=request.user, **data)


@twin(forms.PhoneOffForm, "PhoneOffInput")
class PhoneOffCreate(FormAction):
    """手机关机 recorded by the employee's supervisor or head."""

    def target(self, request: Request, pk: int | None) -> Any:
        led = access.employees_led_by(request.user)
        _require(led.exists())
        return led

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {"employees": target}

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        day, note = data["date"], data["note"]
        return services.phone_off_record(actor=request.user, employee=data["employee"], day=day, note=note)


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
    attrs["validate"] = _years_in_range
    return output, type(f"{name}InputSerializer", (serializers.ModelSerializer,), attrs)


def _years_in_range(self: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The page form's rule on dates and years (record_forms.outside_years), for the API's input."""
    from aftersales.service.record_forms import outside_years

    if errors := outside_years(data):
        raise serializers.ValidationError(errors)
    return data


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
            record = kind.create(request.user, data)
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
            act.run(record, request.user, data)
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
