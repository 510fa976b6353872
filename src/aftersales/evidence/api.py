"""REST API of evidence-linked appraisal (/api/evidence/): the same selectors, actions and access
as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.evidence import selectors, services
from aftersales.evidence.models import Proposal, Status


class ProposalSerializer(serializers.ModelSerializer[Proposal]):
    employee = serializers.IntegerField(source="appraisal.employee_id", read_only=True)
    employee_number = serializers.CharField(source="appraisal.employee.number", read_only=True)
    employee_name = serializers.CharField(source="appraisal.employee.name", read_only=True)
    period = serializers.CharField(source="appraisal.period.label", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    evidence = serializers.JSONField(read_only=True)
    value = serializers.JSONField(read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, default=None, allow_null=True
    )
    decidable = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "appraisal", "employee", "employee_number", "employee_name", "period"]
        fields += ["section", "section_name", "source", "source_label", "value", "item_text", "deduction"]
        fields += ["measured", "evidence", "status", "status_label", "reason", "decided_by", "decided_at"]
        fields += ["created_at", "decidable"]
        read_only_fields = fields

    def get_decidable(self, proposal: Proposal) -> bool:
        return selectors.is_decidable(self.context["request"].user, proposal)


class AcceptSerializer(serializers.Serializer[Any]):
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, help_text="graded sections only"
    )


class RejectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()


class ProposeSerializer(serializers.Serializer[Any]):
    period = serializers.IntegerField()


class ProposeResultSerializer(serializers.Serializer[Any]):
    appraisals = serializers.IntegerField()
    created = serializers.IntegerField()
    refreshed = serializers.IntegerField()
    withdrawn = serializers.IntegerField()


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=Status.values),
        OpenApiParameter("appraisal", int),
    ]
)
class ProposalList(generics.ListAPIView[Proposal]):
    """Proposals the user may see (own, team, department, all — R-1.1), newest first."""

    serializer_class = ProposalSerializer

    def get_queryset(self) -> QuerySet[Proposal]:
        proposals = selectors.proposals_visible_to(self.request.user)
        params = self.request.query_params
        if params.get("status") in Status.values:
            proposals = proposals.filter(status=params["status"])
        if params.get("appraisal", "").isdigit():
            proposals = proposals.filter(appraisal_id=int(params["appraisal"]))
        return proposals


class ProposalAccept(APIView):
    """The direct supervisor accepts: the entry goes into the form (SPEC §11)."""

    @extend_schema(request=AcceptSerializer, responses=ProposalSerializer)
    def post(self, request: Request, pk: int) -> Response:
        proposal = selectors.get_proposal_for_user(request.user, pk)
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        score = body.validated_data.get("score")
        services.proposal_accept(proposal=proposal, actor=request.user, score=score)
        return _fresh(request, pk)


class ProposalReject(APIView):
    """The direct supervisor rejects, with a reason (required)."""

    @extend_schema(request=RejectSerializer, responses=ProposalSerializer)
    def post(self, request: Request, pk: int) -> Response:
        proposal = selectors.get_proposal_for_user(request.user, pk)
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data["reason"]
        services.proposal_reject(proposal=proposal, actor=request.user, reason=reason)
        return _fresh(request, pk)


class Propose(APIView):
    """Propose entries for a period's forms from the month's records (HR: all; a supervisor: their
    own employees). Idempotent."""

    @extend_schema(request=ProposeSerializer, responses=ProposeResultSerializer)
    def post(self, request: Request) -> Response:
        body = ProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        period = selectors.get_period_to_propose(request.user, body.validated_data["period"])
        result = services.evidence_propose(period=period, actor=request.user)
        return Response(ProposeResultSerializer(result).data)


def _fresh(request: Request, pk: int) -> Response:
    proposal = selectors.get_proposal_for_user(request.user, pk)
    return Response(ProposalSerializer(proposal, context={"request": request}).data)
