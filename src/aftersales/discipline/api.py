"""REST API of rewards and penalties (/api/discipline/): same access and acts as the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.discipline import selectors, services
from aftersales.discipline.forms import CaseDecisionForm, ReasonForm, RecordFilterForm
from aftersales.discipline.models import DisciplineRecord, Kind, RewardReason, Status
from aftersales.discipline.permissions import Authority
from aftersales.discipline.serializers import (
    DisciplineDecisionSerializer,
    DisciplineProposalSerializer,
    DisciplineReasonSerializer,
    DisciplineRecordSerializer,
    DisciplineStandingSerializer,
)
from aftersales.organisation.access import get_employee_for_user
from aftersales.ui.api_forms import FormAction, twin

FILTERS = [
    OpenApiParameter("status", str, enum=Status.values),
    OpenApiParameter("kind", str, enum=Kind.values),
    OpenApiParameter("year", int, description="year of the effective date"),
    OpenApiParameter("employee", str, description="employee number, or part of the name"),
]


def _valid(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class RecordListView(generics.ListAPIView[DisciplineRecord]):
    """Records the user may see (R-1.1), newest first; POST proposes one (supervisor, head or HR)."""

    serializer_class = DisciplineRecordSerializer

    def get_queryset(self) -> QuerySet[DisciplineRecord]:
        filters = RecordFilterForm(self.request.query_params).filters()
        return selectors.filter_records(selectors.records_visible_to(self.request.user), **filters)

    @extend_schema(parameters=FILTERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=DisciplineProposalSerializer, responses={201: DisciplineRecordSerializer})
    def post(self, request: Request) -> Response:
        data = _valid(DisciplineProposalSerializer, request.data)
        employee = get_employee_for_user(request.user, data.pop("employee"))
        record = services.record_propose(actor=request.user, employee=employee, **data)
        return Response(DisciplineRecordSerializer(record).data, status=201)


class RecordDetailView(generics.RetrieveAPIView[DisciplineRecord]):
    serializer_class = DisciplineRecordSerializer

    def get_object(self) -> DisciplineRecord:
        return selectors.get_record_for_user(self.request.user, self.kwargs["pk"])


class _DecisionView(APIView):
    act: Callable[..., DisciplineRecord]

    @extend_schema(request=DisciplineDecisionSerializer, responses=DisciplineRecordSerializer)
    def post(self, request: Request, pk: int) -> Response:
        record = selectors.get_record_for_user(request.user, pk)
        note = _valid(DisciplineDecisionSerializer, request.data)["note"]
        record = type(self).act(record=record, actor=request.user, note=note)
        return Response(DisciplineRecordSerializer(record).data)


class RecordApproveView(_DecisionView):
    """Approve a proposed record (the employee's department head or HR, not the proposer)."""

    act = staticmethod(services.record_approve)


class RecordRejectView(_DecisionView):
    """Reject a proposed record (the employee's department head or HR, not the proposer)."""

    act = staticmethod(services.record_reject)


class StandingView(APIView):
    """An employee's monthly points (R-6.2) and yearly standing level by level (R-6.3)."""

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="calendar year (default: this year)")],
        responses=DisciplineStandingSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        employee = get_employee_for_user(request.user, pk)
        year = serializers.IntegerField(min_value=2000, max_value=2100).run_validation(
            request.query_params.get("year") or selectors.this_year()
        )
        return Response(DisciplineStandingSerializer(selectors.yearly_standing(employee, year)).data)


class ReasonListView(generics.ListAPIView[RewardReason]):
    """The reasons catalogue (R-6.4)."""

    serializer_class = DisciplineReasonSerializer
    queryset = RewardReason.objects.all()


# --- the other acts of the pages: their forms parse, their services act (aftersales.ui.api_forms) -----------


def _require_hr(request: Request) -> None:
    if not Authority.of(request.user).hr:
        raise PermissionDenied


@twin(ReasonForm, "DisciplineReasonInput")
class ReasonCreateView(FormAction):
    """HR adds a reason to the catalogue (奖惩事由, R-6.4)."""

    def target(self, request: Request, pk: int | None) -> RewardReason:
        _require_hr(request)
        return RewardReason()

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {"instance": target}

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.reason_save(reason=self.form.instance, actor=request.user)


@twin(ReasonForm, "DisciplineReasonInput", created=False)
class ReasonEditView(ReasonCreateView):
    def target(self, request: Request, pk: int | None) -> RewardReason:
        _require_hr(request)
        return generics.get_object_or_404(RewardReason, pk=pk)


@twin(CaseDecisionForm, "DismissalCaseDecisionInput", created=False)
class CaseDecideView(FormAction):
    """HR records the decision on a dismissal case (解雇审议); one's own case is left to another."""

    def target(self, request: Request, pk: int | None) -> Any:
        return selectors.get_case_for_user(request.user, pk or 0)

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.case_decide(case=target, actor=request.user, decision=data["decision"])
