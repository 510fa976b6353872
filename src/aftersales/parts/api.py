"""REST API of the parts area (/api/parts/): the same selectors, actions and access as the pages.

Lists are paginated and preload their relations (constant queries). Objects outside the user's
scope are 404, acts the user may not take 403, business refusals (no stock, wrong state) 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.errors import RuleError
from aftersales.organisation.access import employee_of
from aftersales.parts import selectors, services
from aftersales.parts.models import Movement, Part, Requisition, StockBalance, Store
from aftersales.service.access import orders_visible_to


def run(action: Callable[[], Any]) -> Any:
    """Run an action; a business refusal becomes a 400 naming the field."""
    try:
        return action()
    except RuleError as error:
        raise ValidationError({error.field or "detail": [error.message]}) from error


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() else None


# --- serializers ---------------------------------------------------------------------------------------


class PartSerializer(serializers.ModelSerializer[Part]):
    supplier = serializers.CharField(source="supplier.name", default=None)

    class Meta:
        model = Part
        fields = ["id", "number", "name", "specification", "unit", "supplier", "active"]


class BalanceSerializer(serializers.ModelSerializer[StockBalance]):
    store = serializers.CharField(source="store.code")
    part = serializers.CharField(source="part.number")

    class Meta:
        model = StockBalance
        fields = ["store", "part", "stock", "quantity"]


class MovementSerializer(serializers.ModelSerializer[Movement]):
    store = serializers.CharField(source="store.code")
    part = serializers.CharField(source="part.number")
    actor = serializers.CharField(source="actor.username")

    class Meta:
        model = Movement
        fields = [
            "id",
            "store",
            "part",
            "stock",
            "kind",
            "quantity",
            "balance_after",
            "at",
            "actor",
            "reason",
        ]
        fields += ["reference", "reversal_of"]


class RequisitionSerializer(serializers.ModelSerializer[Requisition]):
    number = serializers.CharField(read_only=True)
    engineer = serializers.CharField(source="engineer.number", read_only=True)
    engineer_name = serializers.CharField(source="engineer.name", read_only=True)
    written_off = serializers.IntegerField(read_only=True)
    returned = serializers.IntegerField(read_only=True)

    class Meta:
        model = Requisition
        fields = ["id", "number", "engineer", "engineer_name", "store", "part", "quantity", "reason"]
        fields += ["work_order", "status", "proposed_at", "decided_at", "decision_note", "issued_at"]
        fields += ["written_off", "returned"]
        read_only_fields = ["status", "proposed_at", "decided_at", "decision_note", "issued_at"]


class NoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- views ---------------------------------------------------------------------------------------------


class PartList(generics.ListAPIView[Part]):
    """The parts catalogue (配件数据库, R-9.1); ?q= searches number and name."""

    serializer_class = PartSerializer

    def get_queryset(self) -> QuerySet[Part]:
        _require(selectors.reaches_parts(self.request.user))
        return selectors.part_list(search=self.request.query_params.get("q", "").strip())


class _StoreScoped:
    """A list over the stores the user may read (the head, HR, the keepers), ?store= and ?part=."""

    request: Request

    def stores(self) -> QuerySet[Store]:
        stores = selectors.stores_visible_to(self.request.user)
        _require(stores.exists())
        store = _int_param(self.request, "store")
        return stores.filter(pk=store) if store is not None else stores


@extend_schema(parameters=[OpenApiParameter("store", int), OpenApiParameter("part", int)])
class BalanceList(_StoreScoped, generics.ListAPIView[StockBalance]):  # type: ignore[misc]
    """Balances per store × part × stock (on_hand 在库, on_loan 已领未销, old 旧件) = sum of movements."""

    serializer_class = BalanceSerializer

    def get_queryset(self) -> QuerySet[StockBalance]:
        balances = selectors.balance_list(stores=self.stores())
        part = _int_param(self.request, "part")
        return balances.filter(part_id=part) if part is not None else balances


@extend_schema(parameters=[OpenApiParameter("store", int), OpenApiParameter("part", int)])
class MovementList(_StoreScoped, generics.ListAPIView[Movement]):  # type: ignore[misc]
    """The ledger (append-only; read only), newest first."""

    serializer_class = MovementSerializer

    def get_queryset(self) -> QuerySet[Movement]:
        movements = selectors.movement_list(stores=self.stores())
        part = _int_param(self.request, "part")
        return movements.filter(part_id=part) if part is not None else movements


class RequisitionList(generics.ListCreateAPIView[Requisition]):
    """Requisitions in the user's scope; POST proposes one for the user (engineer → leader approves)."""

    serializer_class = RequisitionSerializer

    def get_queryset(self) -> QuerySet[Requisition]:
        _require(selectors.reaches_parts(self.request.user))
        return selectors.requisition_list(
            user=self.request.user, status=self.request.query_params.get("status", "")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        stores = selectors.stores_for_requisition(request.user)
        _require(employee_of(request.user) is not None and stores.exists())
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not stores.filter(pk=data["store"].pk).exists():
            raise ValidationError({"store": ["只能向本部门的库房申请领料"]})
        order = data.get("work_order")
        if order is not None and not orders_visible_to(request.user).filter(pk=order.pk).exists():
            raise ValidationError({"work_order": ["找不到该服务工单"]})
        requisition = run(lambda: services.requisition_propose(actor=request.user, **data))
        created = selectors.get_requisition_for_user(request.user, requisition.pk)
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)


class RequisitionDetail(generics.RetrieveAPIView[Requisition]):
    serializer_class = RequisitionSerializer

    def get_object(self) -> Requisition:
        return selectors.get_requisition_for_user(self.request.user, self.kwargs["pk"])


class _RequisitionAction(APIView):
    """POST an act on a requisition; answers with the requisition as it is now."""

    def act(self, requisition: Requisition, request: Request, note: str) -> Any:
        raise NotImplementedError

    @extend_schema(request=NoteSerializer, responses=RequisitionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        requisition = selectors.get_requisition_for_user(request.user, pk)
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run(lambda: self.act(requisition, request, body.validated_data["note"]))
        return Response(RequisitionSerializer(selectors.get_requisition_for_user(request.user, pk)).data)


class RequisitionApprove(_RequisitionAction):
    """The leader approves (领导审批)."""

    def act(self, requisition: Requisition, request: Request, note: str) -> Any:
        return services.requisition_approve(requisition=requisition, actor=request.user, note=note)


class RequisitionReject(_RequisitionAction):
    def act(self, requisition: Requisition, request: Request, note: str) -> Any:
        return services.requisition_reject(requisition=requisition, actor=request.user, note=note)


class RequisitionIssue(_RequisitionAction):
    """The store issues the part (库房发料); 400 when the stock is short."""

    def act(self, requisition: Requisition, request: Request, note: str) -> Any:
        return services.requisition_issue(requisition=requisition, actor=request.user)
