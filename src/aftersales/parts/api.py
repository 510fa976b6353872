"""REST API of the parts area (/api/parts/): the same selectors, actions and access as the pages.

Lists are paginated and preload their relations (constant queries). Objects outside the user's
scope are 404, acts the user may not take 403, business refusals (no stock, wrong state) 400.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.organisation.access import employee_of
from aftersales.parts import forms, selectors, services
from aftersales.parts.models import Movement, Part, Requisition, StockBalance, Store, SupplierClaim
from aftersales.service.access import orders_visible_to
from aftersales.service.selectors import final_reports
from aftersales.ui.api_forms import Done, FormAction, twin


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() else None


# --- serializers ---------------------------------------------------------------------------------------


class PartSerializer(serializers.ModelSerializer[Part]):
    supplier = serializers.CharField(source="supplier.name", default=None, allow_null=True)

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
        requisition = services.requisition_propose(actor=request.user, **data)
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
        self.act(requisition, request, body.validated_data["note"])
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


# --- the other acts of the pages: their forms parse, their services act (aftersales.ui.api_forms) -----------


class StockLineSerializer(serializers.Serializer[Any]):
    part = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=1)


LINES = {"lines": StockLineSerializer(many=True)}


def _lines(request: Request) -> list[tuple[Part, int]]:
    """The body's ``lines`` through the page's line formset (same checks as the page)."""
    rows = request.data.get("lines") or []
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValidationError({"lines": ["须为配件和数量的列表"]})
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data |= {f"lines-{index}-{key}": row.get(key) for key in ("part", "quantity")}
    formset = forms.LineFormSet(data, prefix="lines")
    if not formset.is_valid():
        raise ValidationError({"lines": [str(e) for e in [*formset.errors, formset.non_form_errors()] if e]})
    return forms.filled_lines(formset)


class _KeeperOfStore(FormAction):
    def target(self, request: Request, pk: int | None) -> Store:
        return selectors.get_store_operated_by(request.user, pk or 0)


@twin(forms.PartForm, "PartInput")
class PartCreate(FormAction):
    """Add a part to the catalogue (a keeper)."""

    def target(self, request: Request, pk: int | None) -> None:
        _require(selectors.stores_operated_by(request.user).exists())

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Part:
        return services.part_save(part=self.form.instance, actor=request.user)


@twin(forms.PartForm, "PartInput", created=False)
class PartEdit(PartCreate):
    def target(self, request: Request, pk: int | None) -> Part:  # type: ignore[override]
        super().target(request, pk)
        return generics.get_object_or_404(Part, pk=pk)

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {"instance": target}


@twin(forms.ReceiptForm, "ReceiptInput", extra=LINES)
class ReceiptCreate(_KeeperOfStore):
    """备用件接收: the received parts go into the store."""

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.receipt_create(store=target, lines=_lines(request), actor=request.user, **data)


@twin(forms.TransferForm, "TransferInput", extra=LINES)
class TransferCreate(_KeeperOfStore):
    """调拨: parts leave this store's ledger and enter the other's."""

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {"from_store": target}

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.transfer_create(from_store=target, lines=_lines(request), actor=request.user, **data)


class CountSerializer(serializers.Serializer[Any]):
    part = serializers.IntegerField()
    counted = serializers.IntegerField(min_value=0)


@twin(forms.StocktakeForm, "StocktakeInput", extra={"counts": CountSerializer(many=True)})
class StocktakeCreate(_KeeperOfStore):
    """盘点: the counts per part; the differences are posted as adjustments."""

    def _counts(self) -> dict[Any, Any]:
        rows = self.request.data.get("counts") or []
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ValidationError({"counts": ["须为配件和实盘数量的列表"]})
        return {row.get("part"): row.get("counted") for row in rows}

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        """The parts the page offers (those held) and the parts counted besides."""
        parts = {row["part"].pk: row["part"] for row in selectors.holdings(store=target)}
        wanted = [pk for pk in self._counts() if isinstance(pk, int) and pk not in parts]
        parts |= Part.objects.filter(active=True).in_bulk(wanted)
        if set(self._counts()) - set(parts):
            raise ValidationError({"counts": ["找不到该配件"]})
        return {"parts": list(parts.values())}

    def form_data(self, request: Request, target: Any) -> Any:
        counts = {f"count_{pk}": counted for pk, counted in self._counts().items()}
        return {"note": request.data.get("note", "")} | counts

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.stocktake_post(
            store=target, counts=self.form.counts(), actor=request.user, note=data["note"]
        )


@twin(forms.DisposalForm, "DisposalInput")
class Disposal(_KeeperOfStore):
    """The month's old parts (旧件) disposed of."""

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.old_parts_dispose(store=target, actor=request.user, **data)


@twin(forms.ReverseForm, "ReverseInput")
class MovementReverse(FormAction):
    """冲销: a correcting entry, the negative of a typed-in one."""

    def target(self, request: Request, pk: int | None) -> Movement:
        return selectors.get_movement_operated_by(request.user, pk or 0)

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.movement_reverse(movement=target, reason=data["reason"], actor=request.user)


class _KeeperOfRequisition(FormAction):
    def target(self, request: Request, pk: int | None) -> Requisition:
        requisition = selectors.get_requisition_for_user(request.user, pk or 0)
        _require(services.may_keep_books_of(request.user, requisition))
        return requisition


@twin(forms.OldPartReturnForm, "OldPartReturnInput")
class OldPartReturn(_KeeperOfRequisition):
    """The old part handed back to the store (旧件返还)."""

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.old_part_return(requisition=target, actor=request.user, **data)


@twin(forms.WriteOffForm, "WriteOffInput")
class WriteOff(_KeeperOfRequisition):
    """销帐 against the signed, approved report and the returned old part."""

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {"reports": final_reports().filter(engineer=target.engineer_id)}

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.requisition_write_off(requisition=target, actor=request.user, **data)


@twin(forms.FreightForm, "FreightInput")
class FreightCreate(FormAction):
    """邮寄运费登记 (R-9.4): then the handler and the leader sign."""

    def target(self, request: Request, pk: int | None) -> QuerySet[Store]:
        stores = selectors.stores_operated_by(request.user)
        _require(stores.exists())
        return stores

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {"stores": target, "handlers": selectors.staff_of(target)}

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.freight_record(actor=request.user, **data)


@extend_schema(request=None, responses={200: Done})
class FreightSign(APIView):
    """The handler, then the leader, signs the freight charge."""

    def post(self, request: Request, pk: int) -> Response:
        charge = selectors.get_freight_for_user(request.user, pk)
        charge = services.freight_sign(charge=charge, actor=request.user)
        return Response(Done({"id": charge.pk}).data)


@twin(forms.ClaimForm, "ClaimInput")
class ClaimCreate(FreightCreate):
    """二次索赔登记 (R-9.5)."""

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {"stores": target}

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.claim_create(actor=request.user, **data)


@twin(forms.ClaimStepForm, "ClaimStepInput", created=False)
class ClaimStep(FormAction):
    """submit → accept / reject → recover (R-9.5); ``step`` in the path."""

    def target(self, request: Request, pk: int | None) -> SupplierClaim:
        if self.kwargs["step"] not in services.CLAIM_STEPS:
            raise Http404
        claim = selectors.get_claim_for_user(request.user, pk or 0)
        _require(selectors.stores_operated_by(request.user).filter(pk=claim.store_id).exists())
        return claim

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.claim_step(claim=target, step=self.kwargs["step"], actor=request.user, **data)

    @extend_schema(
        operation_id="parts_claims_step",
        parameters=[OpenApiParameter("step", str, OpenApiParameter.PATH, enum=services.CLAIM_STEPS)],
    )
    def post(self, request: Request, pk: int | None = None, step: str = "") -> Response:
        return super().post(request, pk)
