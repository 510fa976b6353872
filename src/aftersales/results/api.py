"""REST API of the use of results (/api/results/): same access and acts as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.results import selectors, services
from aftersales.results.forms import CaseFilterForm
from aftersales.results.models import CaseKind, CaseStatus, ResultCase
from aftersales.results.selectors import CompositeRow
from aftersales.results.serializers import (
    CaseSerializer,
    CompositeSerializer,
    DecideSerializer,
    EvaluateSerializer,
    EvaluationSerializer,
    WorkReportInputSerializer,
)

FILTERS = [
    OpenApiParameter("kind", str, enum=CaseKind.values),
    OpenApiParameter("status", str, enum=CaseStatus.values),
    OpenApiParameter("year", int),
    OpenApiParameter("employee", str, description="employee number, or part of the name"),
]


def _valid(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class CaseListView(generics.ListAPIView[ResultCase]):
    """Cases the user may see (R-1.1), newest first."""

    serializer_class = CaseSerializer

    def get_queryset(self) -> QuerySet[ResultCase]:
        filters = CaseFilterForm(self.request.query_params).filters()
        return selectors.filter_cases(selectors.cases_visible_to(self.request.user), **filters)

    @extend_schema(parameters=FILTERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CaseDetailView(generics.RetrieveAPIView[ResultCase]):
    serializer_class = CaseSerializer

    def get_object(self) -> ResultCase:
        return selectors.get_case_for_user(self.request.user, self.kwargs["pk"])


class CaseDecideView(APIView):
    """HR records the decision on a case (SPEC §7)."""

    @extend_schema(request=DecideSerializer, responses=CaseSerializer)
    def post(self, request: Request, pk: int) -> Response:
        case = selectors.get_case_for_user(request.user, pk)
        data = _valid(DecideSerializer, request.data)
        case = services.case_decide(case=case, actor=request.user, **data)
        return Response(CaseSerializer(selectors.get_case_for_user(request.user, case.pk)).data)


class CompositeListView(generics.ListAPIView[CompositeRow]):  # type: ignore[type-var]  # rows, not a model
    """Annual composites (R-7.1) of the employees the user may see, for ``year``."""

    serializer_class = CompositeSerializer

    def get_queryset(self) -> list[CompositeRow]:  # type: ignore[override]
        year = serializers.IntegerField(min_value=2000, max_value=2100).run_validation(
            self.request.query_params.get("year") or selectors.this_year()
        )
        return selectors.annual_composites(self.request.user, year)

    @extend_schema(parameters=[OpenApiParameter("year", int, description="default: this year")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class KeyTalentListView(generics.ListAPIView[ResultCase]):
    """The key-talent list (R-7.2): promotion candidates decided promote / key talent."""

    serializer_class = CaseSerializer

    def get_queryset(self) -> QuerySet[ResultCase]:
        return selectors.key_talents(self.request.user)


class EvaluateView(APIView):
    """Run the evaluation for a month (HR); idempotent."""

    @extend_schema(request=EvaluateSerializer, responses={201: EvaluationSerializer})
    def post(self, request: Request) -> Response:
        if not services.is_hr(request.user):
            raise PermissionDenied
        data = _valid(EvaluateSerializer, request.data)
        result = services.results_evaluate(actor=request.user, **data)
        return Response(EvaluationSerializer(result).data, status=201)


class CaseWorkReportView(APIView):
    """HR records the work report (述职) of a case of R-7.3 or R-7.4 and its outcome."""

    @extend_schema(request=WorkReportInputSerializer, responses=CaseSerializer)
    def post(self, request: Request, pk: int) -> Response:
        case = selectors.get_case_for_user(request.user, pk)
        if not services.may_record_work_report(request.user, case):
            raise PermissionDenied
        data = _valid(WorkReportInputSerializer, request.data)
        services.case_record_work_report(case=case, actor=request.user, **data)  # refusals: ui.api_errors
        return Response(CaseSerializer(selectors.get_case_for_user(request.user, pk)).data)
