"""Warranty parts and the spare-parts stores (三包件, 备用件) — SPEC §9.

The stock of a store is the ledger of :class:`Movement` rows, append-only: a row is never updated
or deleted (in Python and, on PostgreSQL and SQLite, by database triggers); a correction is a
reversing entry (冲销). :class:`StockBalance` keeps the sum of a holding's movements; it is changed
only in the transaction that appends the movements, under a row lock (see services.py), so it
always equals the sum of movements. The rules (signs, never below zero, stocktake differences) are
the pure functions of ``aftersales.core.stock``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.errors import StateConflict
from aftersales.core.stock import Kind, Stock
from aftersales.organisation.models import Department, Employee, Region

USER = settings.AUTH_USER_MODEL


class LedgerError(StateConflict):
    """An attempt to edit or delete a ledger row in place."""


class Supplier(models.Model):
    """A supplier (配套厂家) of parts; secondary claims (二次索赔) go to them (R-9.5)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("供应商")
        verbose_name_plural = _("供应商")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Part(models.Model):
    """A catalogue entry of the parts database (配件数据库, R-9.1)."""

    number = models.CharField(_("配件编号"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    specification = models.CharField(_("规格型号"), max_length=200, blank=True)
    unit = models.CharField(_("单位"), max_length=10, default="件")
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("供应商"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )
    active = models.BooleanField(_("在用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("配件")
        verbose_name_plural = _("配件")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Store(models.Model):
    """A stock ledger: the central store (中心库) or a service station's own (服务站单独建帐)."""

    class Kind(models.TextChoices):
        CENTRAL = "central", _("中心库")
        STATION = "station", _("服务站")

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("所属部门"), on_delete=models.PROTECT, related_name="stores"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stores",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("库房")
        verbose_name_plural = _("库房")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class Receipt(models.Model):
    """A receipt of spare parts (备用件接收单), printed in two copies (一式二份)."""

    store = models.ForeignKey(
        Store, verbose_name=_("库房"), on_delete=models.PROTECT, related_name="receipts"
    )
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("供应商"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivered_by = models.CharField(_("送货人"), max_length=50, blank=True)
    note = models.TextField(_("备注"), blank=True)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    received_by = models.ForeignKey(
        USER, verbose_name=_("接收人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("备用件接收单")
        verbose_name_plural = _("备用件接收单")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"JS{self.pk:06d}"


class ReceiptLine(models.Model):
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="lines")
    part = models.ForeignKey(Part, verbose_name=_("配件"), on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["id"]


class Transfer(models.Model):
    """Spare parts sent from one store to another, e.g. to a service station (发往服务站)."""

    from_store = models.ForeignKey(
        Store, verbose_name=_("调出库房"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_store = models.ForeignKey(
        Store, verbose_name=_("调入库房"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    note = models.TextField(_("备注"), blank=True)
    sent_at = models.DateTimeField(_("调拨时间"), default=timezone.now)
    sent_by = models.ForeignKey(USER, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("调拨单")
        verbose_name_plural = _("调拨单")
        ordering = ["-sent_at", "-id"]

    @property
    def number(self) -> str:
        return f"DB{self.pk:06d}"


class TransferLine(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="lines")
    part = models.ForeignKey(Part, verbose_name=_("配件"), on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["id"]


class Requisition(models.Model):
    """A requisition (领料单): the engineer proposes, the leader approves, the store issues (R-9.3)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")
        ISSUED = "issued", _("已发料")
        CLOSED = "closed", _("已销帐")

    engineer = models.ForeignKey(
        Employee, verbose_name=_("领用工程师"), on_delete=models.PROTECT, related_name="requisitions"
    )
    store = models.ForeignKey(
        Store, verbose_name=_("库房"), on_delete=models.PROTECT, related_name="requisitions"
    )
    part = models.ForeignKey(
        Part, verbose_name=_("配件"), on_delete=models.PROTECT, related_name="requisitions"
    )
    quantity = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])
    reason = models.TextField(_("用途/故障说明"))
    work_order = models.ForeignKey(
        "service.WorkOrder",
        verbose_name=_("服务工单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requisitions",
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        USER, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    issued_by = models.ForeignKey(
        USER, verbose_name=_("发料人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("发料时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("领料单")
        verbose_name_plural = _("领料单")
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["engineer", "status"]), models.Index(fields=["store", "status"])]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"LL{self.pk:06d}"


class OldPartReturn(models.Model):
    """An old (failed) part brought back by the engineer (旧件返回) to the store that issued the new one."""

    requisition = models.ForeignKey(
        Requisition, verbose_name=_("领料单"), on_delete=models.PROTECT, related_name="old_part_returns"
    )
    quantity = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])
    note = models.TextField(_("旧件状况"), blank=True)
    returned_at = models.DateTimeField(_("返回时间"), default=timezone.now)
    received_by = models.ForeignKey(
        USER, verbose_name=_("接收人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("旧件返回")
        verbose_name_plural = _("旧件返回")
        ordering = ["-returned_at", "-id"]

    def __str__(self) -> str:
        return f"{self.requisition.number} {self.requisition.part} × {self.quantity}"


class WriteOff(models.Model):
    """A write-off (销帐) of issued parts against the customer-signed, leader-approved service
    report and the returned old part (R-9.2, R-9.3)."""

    requisition = models.ForeignKey(
        Requisition, verbose_name=_("领料单"), on_delete=models.PROTECT, related_name="write_offs"
    )
    quantity = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])
    service_report = models.ForeignKey(
        "service.ServiceReport",
        verbose_name=_("服务报告"),
        on_delete=models.PROTECT,
        related_name="part_write_offs",
    )
    note = models.TextField(_("备注"), blank=True)
    written_off_at = models.DateTimeField(_("销帐时间"), default=timezone.now)
    written_off_by = models.ForeignKey(
        USER, verbose_name=_("销帐人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("销帐")
        verbose_name_plural = _("销帐")
        ordering = ["-written_off_at", "-id"]


class OldPartDisposal(models.Model):
    """The monthly disposal of a store's old parts (旧件月度处理)."""

    store = models.ForeignKey(
        Store, verbose_name=_("库房"), on_delete=models.PROTECT, related_name="disposals"
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    note = models.TextField(_("处理方式"), blank=True)
    disposed_at = models.DateTimeField(_("处理时间"), default=timezone.now)
    disposed_by = models.ForeignKey(
        USER, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("旧件处理")
        verbose_name_plural = _("旧件处理")
        ordering = ["-month", "store"]
        constraints = [models.UniqueConstraint(fields=["store", "month"], name="parts_disposal_store_month")]


class Stocktake(models.Model):
    """A stocktake (盘点): book vs counted per part (账物一致), differences posted as adjustments."""

    store = models.ForeignKey(
        Store, verbose_name=_("库房"), on_delete=models.PROTECT, related_name="stocktakes"
    )
    note = models.TextField(_("备注"), blank=True)
    counted_at = models.DateTimeField(_("盘点时间"), default=timezone.now)
    counted_by = models.ForeignKey(USER, verbose_name=_("盘点人"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("盘点")
        verbose_name_plural = _("盘点")
        ordering = ["-counted_at", "-id"]

    @property
    def number(self) -> str:
        return f"PD{self.pk:06d}"


class StocktakeLine(models.Model):
    stocktake = models.ForeignKey(Stocktake, on_delete=models.PROTECT, related_name="lines")
    part = models.ForeignKey(Part, verbose_name=_("配件"), on_delete=models.PROTECT, related_name="+")
    book = models.PositiveIntegerField(_("账面数"))
    counted = models.PositiveIntegerField(_("实盘数"))

    class Meta:
        ordering = ["part__number"]

    @property
    def difference(self) -> int:
        return self.counted - self.book


class MovementKind(models.TextChoices):
    """Kinds of movement (the values of ``core.stock.Kind``)."""

    RECEIPT = Kind.RECEIPT.value, _("入库")
    ISSUE = Kind.ISSUE.value, _("发料")
    TRANSFER_OUT = Kind.TRANSFER_OUT.value, _("调出")
    TRANSFER_IN = Kind.TRANSFER_IN.value, _("调入")
    WRITE_OFF = Kind.WRITE_OFF.value, _("销帐")
    OLD_PART_RETURN = Kind.OLD_PART_RETURN.value, _("旧件返回")
    OLD_PART_DISPOSAL = Kind.OLD_PART_DISPOSAL.value, _("旧件处理")
    STOCKTAKE_ADJUSTMENT = Kind.STOCKTAKE_ADJUSTMENT.value, _("盘点调整")
    REVERSAL = Kind.REVERSAL.value, _("冲销")


class StockKind(models.TextChoices):
    """The three stocks of a store (the values of ``core.stock.Stock``)."""

    ON_HAND = Stock.ON_HAND.value, _("在库")
    ON_LOAN = Stock.ON_LOAN.value, _("已领未销")
    OLD = Stock.OLD.value, _("旧件")


class MovementQuerySet(models.QuerySet["Movement"]):
    """Ledger rows can be added and read, never changed or removed in bulk either."""

    def update(self, **kwargs: Any) -> int:
        raise LedgerError("stock movements are append-only: post a reversing entry instead")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise LedgerError("stock movements are append-only: post a reversing entry instead")


class Movement(models.Model):
    """A ledger row (台账分录): who, when, why, and the document it belongs to (R-9.2)."""

    Kind = MovementKind
    Stock = StockKind

    store = models.ForeignKey(
        Store, verbose_name=_("库房"), on_delete=models.PROTECT, related_name="movements"
    )
    part = models.ForeignKey(Part, verbose_name=_("配件"), on_delete=models.PROTECT, related_name="movements")
    stock = models.CharField(_("库存类别"), max_length=10, choices=Stock.choices)
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    quantity = models.IntegerField(_("数量"))
    balance_after = models.PositiveIntegerField(_("结存"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(USER, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("事由"))
    reference = models.CharField(_("单据"), max_length=40, blank=True)
    receipt = models.ForeignKey(Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    transfer = models.ForeignKey(Transfer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requisition = models.ForeignKey(
        Requisition, null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    write_off = models.ForeignKey(WriteOff, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    old_part_return = models.ForeignKey(
        OldPartReturn, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disposal = models.ForeignKey(
        OldPartDisposal, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stocktake = models.ForeignKey(
        Stocktake, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reversal_of = models.OneToOneField(
        "self",
        verbose_name=_("冲销的分录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )

    objects: ClassVar[MovementQuerySet] = MovementQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("台账分录")
        verbose_name_plural = _("台账分录")
        ordering = ["id"]
        indexes = [models.Index(fields=["store", "part", "stock", "id"]), models.Index(fields=["at"])]
        constraints = [models.CheckConstraint(condition=~models.Q(quantity=0), name="parts_movement_nonzero")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.part_id} {self.quantity:+d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise LedgerError("stock movements are append-only: post a reversing entry instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise LedgerError("stock movements are append-only: post a reversing entry instead")


class StockBalance(models.Model):
    """The balance of one holding (store × part × stock) = the sum of its movements.

    Locked (SELECT … FOR UPDATE) by every posting that touches it, so two people issuing the last
    unit at once cannot both succeed; the check constraint is the database's own refusal of a
    negative stock.
    """

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="balances")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="balances")
    stock = models.CharField(max_length=10, choices=StockKind.choices)
    quantity = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("库存结存")
        verbose_name_plural = _("库存结存")
        ordering = ["store", "part__number", "stock"]
        constraints = [
            models.UniqueConstraint(fields=["store", "part", "stock"], name="parts_balance_holding"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="parts_balance_not_negative"),
        ]


class FreightCharge(models.Model):
    """Postage and freight of shipped warranty parts (邮寄费/运费), written off once both the
    handler and the leader have signed (R-9.4)."""

    store = models.ForeignKey(
        Store, verbose_name=_("发货库房"), on_delete=models.PROTECT, related_name="freight_charges"
    )
    requisition = models.ForeignKey(
        Requisition,
        verbose_name=_("领料单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="freight_charges",
    )
    description = models.CharField(_("寄运内容"), max_length=200)
    carrier = models.CharField(_("承运方"), max_length=100, blank=True)
    waybill = models.CharField(_("运单号"), max_length=60, blank=True)
    amount = models.DecimalField(
        _("金额(元)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    handler = models.ForeignKey(
        Employee, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="freight_charges"
    )
    shipped_on = models.DateField(_("寄出日期"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    handler_signed_at = models.DateTimeField(_("经办人签字时间"), null=True, blank=True)
    leader_signed_by = models.ForeignKey(
        USER, verbose_name=_("领导签字"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    leader_signed_at = models.DateTimeField(_("领导签字时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("邮寄运费")
        verbose_name_plural = _("邮寄运费")
        ordering = ["-shipped_on", "-id"]

    @property
    def written_off(self) -> bool:
        return self.handler_signed_at is not None and self.leader_signed_at is not None


class SupplierClaim(models.Model):
    """A secondary claim (二次索赔) against a supplier for failed parts (R-9.5)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("索赔登记")
        SUBMITTED = "submitted", _("已提交")
        ACCEPTED = "accepted", _("已接受")
        REJECTED = "rejected", _("已拒绝")
        RECOVERED = "recovered", _("已收回")

    store = models.ForeignKey(Store, verbose_name=_("库房"), on_delete=models.PROTECT, related_name="claims")
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("供应商"), on_delete=models.PROTECT, related_name="claims"
    )
    part = models.ForeignKey(Part, verbose_name=_("配件"), on_delete=models.PROTECT, related_name="claims")
    quantity = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])
    old_part_return = models.ForeignKey(
        OldPartReturn,
        verbose_name=_("旧件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    reason = models.TextField(_("故障说明"))
    amount_claimed = models.DecimalField(
        _("索赔金额(元)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(USER, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    decision_note = models.TextField(_("供应商答复"), blank=True)
    amount_recovered = models.DecimalField(
        _("收回金额(元)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    recovered_at = models.DateTimeField(_("收回时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("二次索赔")
        verbose_name_plural = _("二次索赔")
        ordering = ["-created_at", "-id"]

    @property
    def number(self) -> str:
        return f"SP{self.pk:06d}"
