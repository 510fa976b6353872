"""REST API of the repair area (/api/repair/): the same selectors, actions and access as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.repair import selectors, services
from aftersales.repair.models import RepairJob
from aftersales.ui.api_params import month_param, month_parameter


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class JobSerializer(serializers.ModelSerializer[RepairJob]):
    number = serializers.CharField(read_only=True)
    technician_name = serializers.CharField(source="technician.name", read_only=True)

    class Meta:
        model = RepairJob
        fields = ["id", "number", "unit_serial", "product", "fault", "received_at", "technician"]
        fields += ["technician_name", "completed_at", "result"]
        read_only_fields = ["completed_at", "result"]


class CompleteSerializer(serializers.Serializer[Any]):
    completed_at = serializers.DateTimeField()
    result = serializers.CharField()


class BandSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    text = serializers.CharField()
    deduction = serializers.DecimalField(max_digits=5, decimal_places=2)


class KpiSerializer(serializers.Serializer[Any]):
    technician = serializers.IntegerField(source="employee.pk")
    number = serializers.CharField(source="employee.number")
    name = serializers.CharField(source="employee.name")
    month = serializers.CharField()
    seven_day_rate = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    second_repair_rate = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    seven_day_band = BandSerializer(allow_null=True)
    second_repair_band = BandSerializer(allow_null=True)
    points = serializers.DecimalField(max_digits=7, decimal_places=1)
    rank = serializers.IntegerField()
    team_size = serializers.IntegerField()
    seven_day_jobs = serializers.ListField(child=serializers.IntegerField())
    on_time_jobs = serializers.ListField(child=serializers.IntegerField())
    completed_jobs = serializers.ListField(child=serializers.IntegerField())
    returned_jobs = serializers.ListField(child=serializers.IntegerField())


@extend_schema(
    parameters=[OpenApiParameter("status", str, enum=["open", "completed"]), OpenApiParameter("unit", str)]
)
class JobList(generics.ListCreateAPIView[RepairJob]):
    """Repair jobs in the user's scope; POST registers one (the technician themself or their lead)."""

    serializer_class = JobSerializer

    def get_queryset(self) -> QuerySet[RepairJob]:
        _require(selectors.reaches_repair(self.request.user))
        params = self.request.query_params
        return selectors.job_list(
            user=self.request.user, status=params.get("status", ""), unit=params.get("unit", "")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        technicians = selectors.technicians_assignable_by(request.user)
        _require(technicians.exists())
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _require(technicians.filter(pk=data["technician"].pk).exists())
        job = services.job_create(actor=request.user, **data)
        return Response(self.get_serializer(job).data, status=status.HTTP_201_CREATED)


class JobComplete(APIView):
    """Record the repair done (返修完成)."""

    @extend_schema(request=CompleteSerializer, responses=JobSerializer)
    def post(self, request: Request, pk: int) -> Response:
        job = selectors.get_job_for_user(request.user, pk)
        body = CompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = services.job_complete(job=job, actor=request.user, **body.validated_data)
        return Response(JobSerializer(job).data)


class Kpis(APIView):
    """R-10.2, R-10.3, R-3.4: each visible technician's month — rates (percent, null: not
    applicable), their bands of form 4.3, the pairwise points and rank, and the evidence job ids."""

    @extend_schema(parameters=[month_parameter(required=True)], responses=KpiSerializer(many=True))
    def get(self, request: Request) -> Response:
        _require(selectors.reaches_repair(request.user))
        month = month_param(request)
        rows = [row for team in selectors.kpi_teams(user=request.user, month=month) for row in team]
        return Response(KpiSerializer(rows, many=True).data)
