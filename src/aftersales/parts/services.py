"""Actions of the parts area (SPEC §9): every stock change and document transition.

Each action checks who may take it, then changes state inside one transaction. Stock changes go
through :func:`_post`, which locks the touched balance rows (SELECT … FOR UPDATE, in a fixed order
so two postings cannot deadlock), lets ``core.stock.post`` refuse a negative balance, appends the
movements with who, when, why and the document, and updates the balances — all or nothing.
Refusals are ``RuleError`` (shown to the user) or ``PermissionDenied``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core import stock as rules
from aftersales.core.errors import RuleError
from aftersales.core.periods import Month
from aftersales.organisation.access import AnyUser, employee_of, leads
from aftersales.organisation.models import Employee
from aftersales.parts.models import (
    FreightCharge,
    Movement,
    OldPartDisposal,
    OldPartReturn,
    Part,
    Receipt,
    ReceiptLine,
    Requisition,
    StockBalance,
    Stocktake,
    StocktakeLine,
    Store,
    Supplier,
    SupplierClaim,
    Transfer,
    TransferLine,
    WriteOff,
)
from aftersales.parts.selectors import stores_for_requisition, stores_operated_by
from aftersales.service.models import ServiceReport, WorkOrder

Status = Requisition.Status


# ---------------------------------------------------------------------------------------------
# Posting to the ledger


@dataclass(frozen=True)
class Entry:
    """A movement to post: ``quantity`` (signed) of ``part`` in ``store``'s ``stock``."""

    store: Store
    part: Part
    stock: rules.Stock
    kind: rules.Kind
    quantity: int


def _lock_balances(keys: Iterable[tuple[int, int, str]]) -> dict[tuple[int, int, str], StockBalance]:
    """The balance rows of ``keys``, created if missing, locked in (store, part, stock) order."""
    keys = sorted(set(keys))
    StockBalance.objects.bulk_create(
        [StockBalance(store_id=s, part_id=p, stock=k) for s, p, k in keys], ignore_conflicts=True
    )
    holding = Q()
    for store_id, part_id, stock in keys:
        holding |= Q(store_id=store_id, part_id=part_id, stock=stock)
    rows = StockBalance.objects.select_for_update().filter(holding).order_by("store_id", "part_id", "stock")
    return {(row.store_id, row.part_id, row.stock): row for row in rows}


def _post(
    entries: Sequence[Entry], *, actor: Any, reason: str, at: datetime | None = None, **document: Any
) -> list[Movement]:
    """Append ``entries`` to the ledger together, or refuse them all (InsufficientStock).

    ``document`` names the document the movements belong to (``receipt=…``, ``requisition=…``)
    and ``reference`` its number; ``at`` when it happened (default now). Must run inside the
    caller's transaction.
    """
    if not reason.strip():
        raise RuleError(_("库存变动须说明事由"), "reason")
    keyed = [((e.store.pk, e.part.pk, str(e.stock)), e) for e in entries]
    balances = _lock_balances(key for key, _ in keyed)
    moves = [rules.Movement(key[:2], e.stock, e.kind, e.quantity) for key, e in keyed]
    after = rules.post({(k[:2], rules.Stock(k[2])): row.quantity for k, row in balances.items()}, moves)
    running = {key: row.quantity for key, row in balances.items()}
    now = _when(at)
    rows = []
    for key, entry in keyed:
        running[key] += entry.quantity
        rows.append(
            Movement(
                store=entry.store,
                part=entry.part,
                stock=entry.stock,
                kind=entry.kind,
                quantity=entry.quantity,
                balance_after=running[key],
                at=now,
                actor=actor,
                reason=reason,
                **document,
            )
        )
    for key, row in balances.items():
        row.quantity = after[(key[:2], rules.Stock(key[2]))]
    StockBalance.objects.bulk_update(balances.values(), ["quantity"])
    return Movement.objects.bulk_create(rows)


def _when(at: datetime | None) -> datetime:
    """When an act happened: now, or earlier when a paper slip is recorded afterwards."""
    now = timezone.now()
    if at is None:
        return now
    if at > now:
        raise RuleError(_("不能晚于当前时间"), "at")
    return at


def _require_keeper(actor: AnyUser, store: Store) -> None:
    if not stores_operated_by(actor).filter(pk=store.pk).exists():
        raise PermissionDenied(_("只有该库房的库管可以办理"))


def _positive(quantity: int, field: str = "quantity") -> int:
    if quantity < 1:
        raise RuleError(_("数量至少为 1"), field)
    return quantity


def _notify(employee: Employee | None, subject: str, body: str) -> None:
    if employee is not None and employee.email:
        transaction.on_commit(lambda: send_mail(subject, body, None, [employee.email], fail_silently=True))


# ---------------------------------------------------------------------------------------------
# Catalogue


def _require_catalogue_editor(actor: AnyUser) -> None:
    if not stores_operated_by(actor).exists():
        raise PermissionDenied(_("只有库管可以维护配件数据库"))


def supplier_create(*, name: str, contact: str = "", phone: str = "", actor: AnyUser) -> Supplier:
    _require_catalogue_editor(actor)
    supplier = Supplier(name=name, contact=contact, phone=phone)
    supplier._history_user = actor  # type: ignore[attr-defined]
    supplier.save()
    return supplier


def part_save(*, part: Part, actor: AnyUser) -> Part:
    """Add a catalogue entry or save the changes made to one (the history keeps every version)."""
    _require_catalogue_editor(actor)
    part._history_user = actor  # type: ignore[attr-defined]
    part.save()
    return part


# ---------------------------------------------------------------------------------------------
# Receipts and transfers


def _lines(lines: Iterable[tuple[Part, int]]) -> list[tuple[Part, int]]:
    lines = [
        (part, _positive(quantity, f"lines[{index}].quantity"))
        for index, (part, quantity) in enumerate(lines)
    ]
    if not lines:
        raise RuleError(_("至少需要一种配件"), "lines")
    return lines


@transaction.atomic
def receipt_create(
    *,
    store: Store,
    lines: Iterable[tuple[Part, int]],
    actor: AnyUser,
    supplier: Supplier | None = None,
    delivered_by: str = "",
    note: str = "",
    at: datetime | None = None,
) -> Receipt:
    """Receive spare parts into a store (备用件接收单); the slip is printed in two copies."""
    _require_keeper(actor, store)
    lines = _lines(lines)
    receipt = Receipt.objects.create(
        store=store,
        supplier=supplier,
        delivered_by=delivered_by,
        note=note,
        received_by=cast(User, actor),
        received_at=_when(at),
    )
    ReceiptLine.objects.bulk_create(ReceiptLine(receipt=receipt, part=p, quantity=q) for p, q in lines)
    entries = [Entry(store, p, rules.Stock.ON_HAND, rules.Kind.RECEIPT, q) for p, q in lines]
    reason = note or _("备用件接收")
    _post(entries, actor=actor, reason=reason, at=at, reference=receipt.number, receipt=receipt)
    return receipt


@transaction.atomic
def transfer_create(
    *,
    from_store: Store,
    to_store: Store,
    lines: Iterable[tuple[Part, int]],
    actor: AnyUser,
    note: str = "",
    at: datetime | None = None,
) -> Transfer:
    """Send spare parts to another store, e.g. a service station's own ledger (发往服务站单独建帐)."""
    _require_keeper(actor, from_store)
    if from_store.pk == to_store.pk:
        raise RuleError(_("调入库房不能与调出库房相同"), "to_store")
    lines = _lines(lines)
    transfer = Transfer.objects.create(
        from_store=from_store, to_store=to_store, note=note, sent_by=cast(User, actor), sent_at=_when(at)
    )
    TransferLine.objects.bulk_create(TransferLine(transfer=transfer, part=p, quantity=q) for p, q in lines)
    entries = [Entry(from_store, p, rules.Stock.ON_HAND, rules.Kind.TRANSFER_OUT, -q) for p, q in lines]
    entries += [Entry(to_store, p, rules.Stock.ON_HAND, rules.Kind.TRANSFER_IN, q) for p, q in lines]
    reason = note or f"{from_store.name} → {to_store.name}"
    _post(entries, actor=actor, reason=reason, at=at, reference=transfer.number, transfer=transfer)
    return transfer


# ---------------------------------------------------------------------------------------------
# Requisitions (领料单, R-9.3)


def _save(requisition: Requisition, actor: AnyUser, *fields: str) -> None:
    requisition._history_user = actor  # type: ignore[attr-defined]
    requisition.save(update_fields=list(fields) or None)


def _locked(requisition: Requisition) -> Requisition:
    """The requisition re-read under a row lock: two keepers cannot both act on it."""
    locked = Requisition.objects.select_for_update().get(pk=requisition.pk)
    requisition.status = locked.status
    return requisition


def is_own(actor: AnyUser, requisition: Requisition) -> bool:
    """Whether the requisition is the actor's own: they requested it (its engineer). Separation of
    duties (R-4.1): whoever requested parts neither approves them nor, as keeper, issues them,
    receives the old part or writes them off; another leader or keeper does."""
    return requisition.engineer.user_id is not None and requisition.engineer.user_id == actor.pk


def may_decide(actor: AnyUser, requisition: Requisition) -> bool:
    """The engineer's direct supervisor or department head approves or rejects — not on their own."""
    return not is_own(actor, requisition) and leads(actor, requisition.engineer)


def may_keep_books_of(actor: AnyUser, requisition: Requisition) -> bool:
    """A keeper of the requisition's store issues, receives old parts and writes off — not their own."""
    keeps = stores_operated_by(actor).filter(pk=requisition.store_id).exists()
    return keeps and not is_own(actor, requisition)


def _require_keeper_of(actor: AnyUser, requisition: Requisition) -> None:
    _require_keeper(actor, requisition.store)
    if is_own(actor, requisition):
        raise PermissionDenied(_("不能为本人的领料单办理发料、旧件返回或销帐，须由其他库管办理"))


def _require_status(requisition: Requisition, *allowed: str) -> None:
    if requisition.status not in allowed:
        raise RuleError(_("领料单当前状态为“%s”，不能办理") % requisition.get_status_display(), "status")


@transaction.atomic
def requisition_propose(
    *,
    store: Store,
    part: Part,
    quantity: int,
    reason: str,
    actor: AnyUser,
    work_order: WorkOrder | None = None,
    at: datetime | None = None,
) -> Requisition:
    """An engineer asks for a warranty part (工程师提出领料申请); their leader approves it."""
    engineer = employee_of(actor)
    if engineer is None:
        raise PermissionDenied(_("只有员工可以提出领料申请"))
    if not stores_for_requisition(actor).filter(pk=store.pk).exists():
        raise PermissionDenied(_("只能向本部门的库房申请领料"))
    if not reason.strip():
        raise RuleError(_("请说明配件用途"), "reason")
    requisition = Requisition(
        engineer=engineer,
        store=store,
        part=part,
        quantity=_positive(quantity),
        reason=reason,
        work_order=work_order,
        proposed_at=_when(at),
    )
    _save(requisition, actor)
    leader = engineer.supervisor
    _notify(leader, f"领料单 {requisition.number} 待审批", f"{engineer.name}: {part} × {quantity}\n{reason}")
    return requisition


def _decide(
    requisition: Requisition, actor: AnyUser, status: str, note: str, at: datetime | None
) -> Requisition:
    if is_own(actor, requisition):
        raise PermissionDenied(_("不能审批本人的领料申请"))
    if not may_decide(actor, requisition):
        raise PermissionDenied(_("只有领料人的直接主管或部门负责人可以审批"))
    _require_status(_locked(requisition), Status.PROPOSED)
    requisition.status = status
    requisition.decided_by = actor  # type: ignore[assignment]
    requisition.decided_at = _when(at)
    requisition.decision_note = note
    _save(requisition, actor, "status", "decided_by", "decided_at", "decision_note")
    verdict = requisition.get_status_display()
    _notify(requisition.engineer, f"领料单 {requisition.number} {verdict}", note)
    return requisition


@transaction.atomic
def requisition_approve(
    *, requisition: Requisition, actor: AnyUser, note: str = "", at: datetime | None = None
) -> Requisition:
    """The leader approves (领导审批)."""
    return _decide(requisition, actor, Status.APPROVED, note, at)


@transaction.atomic
def requisition_reject(*, requisition: Requisition, actor: AnyUser, note: str) -> Requisition:
    if not note.strip():
        raise RuleError(_("驳回须说明理由"), "note")
    return _decide(requisition, actor, Status.REJECTED, note, None)


@transaction.atomic
def requisition_issue(*, requisition: Requisition, actor: AnyUser, at: datetime | None = None) -> Requisition:
    """The store issues the approved part (库房发料): off the shelf, on loan to the engineer."""
    _require_keeper_of(actor, requisition)
    _require_status(_locked(requisition), Status.APPROVED)
    store, part, quantity = requisition.store, requisition.part, requisition.quantity
    entries = [
        Entry(store, part, rules.Stock.ON_HAND, rules.Kind.ISSUE, -quantity),
        Entry(store, part, rules.Stock.ON_LOAN, rules.Kind.ISSUE, quantity),
    ]
    reason = f"{requisition.engineer.name} 领用: {requisition.reason}"
    _post(entries, actor=actor, reason=reason, at=at, reference=requisition.number, requisition=requisition)
    requisition.status = Status.ISSUED
    requisition.issued_by = actor  # type: ignore[assignment]
    requisition.issued_at = _when(at)
    _save(requisition, actor, "status", "issued_by", "issued_at")
    return requisition


def _settled(requisition: Requisition, model: Any) -> int:
    total = model.objects.filter(requisition=requisition).aggregate(total=Sum("quantity"))["total"]
    return int(total or 0)


@transaction.atomic
def old_part_return(
    *, requisition: Requisition, quantity: int, actor: AnyUser, note: str = "", at: datetime | None = None
) -> OldPartReturn:
    """The engineer brings the old part back to the store that issued the new one (旧件返回)."""
    _require_keeper_of(actor, requisition)
    _require_status(_locked(requisition), Status.ISSUED, Status.CLOSED)
    if _settled(requisition, OldPartReturn) + _positive(quantity) > requisition.quantity:
        raise RuleError(_("交回旧件数量超过发料数量"), "quantity")
    returned = OldPartReturn.objects.create(
        requisition=requisition,
        quantity=quantity,
        note=note,
        received_by=cast(User, actor),
        returned_at=_when(at),
    )
    entry = Entry(requisition.store, requisition.part, rules.Stock.OLD, rules.Kind.OLD_PART_RETURN, quantity)
    reason = f"{requisition.engineer.name} 交回旧件" + (f": {note}" if note else "")
    _post(
        [entry],
        actor=actor,
        reason=reason,
        at=at,
        reference=requisition.number,
        requisition=requisition,
        old_part_return=returned,
    )
    return returned


def check_report_for_write_off(report: ServiceReport, requisition: Requisition) -> None:
    """The service report a write-off rests on: signed by the customer, approved by the leader,
    the current revision, the engineer's own, of the requisition's work order, listing the part."""
    if not report.is_signed:
        raise RuleError(_("服务报告尚未经用户签字"), "service_report")
    if not report.is_approved:
        raise RuleError(_("服务报告尚未经领导审批"), "service_report")
    if not report.is_current:
        raise RuleError(_("服务报告已有新版本"), "service_report")
    if report.engineer_id != requisition.engineer_id:
        raise RuleError(_("服务报告不是该领料工程师的"), "service_report")
    if requisition.work_order_id is not None and report.order_id != requisition.work_order_id:
        raise RuleError(_("服务报告不属于该领料单的服务工单"), "service_report")
    part = requisition.part
    if not any(part.number in line.part or part.name in line.part for line in report.part_lines.all()):
        raise RuleError(_("服务报告的更换配件中没有 %s") % part, "service_report")


@transaction.atomic
def requisition_write_off(
    *,
    requisition: Requisition,
    quantity: int,
    service_report: ServiceReport,
    actor: AnyUser,
    note: str = "",
    at: datetime | None = None,
) -> WriteOff:
    """Write the issued part off (销帐) — only against the signed, approved service report and the
    returned old part (R-9.2, R-9.3). Closes the requisition once all of it is written off."""
    _require_keeper_of(actor, requisition)
    _require_status(_locked(requisition), Status.ISSUED)
    check_report_for_write_off(service_report, requisition)
    written_off = _settled(requisition, WriteOff) + _positive(quantity)
    if written_off > requisition.quantity:
        raise RuleError(_("销帐数量超过发料数量"), "quantity")
    if written_off > _settled(requisition, OldPartReturn):
        raise RuleError(_("旧件尚未交回，不能销帐"), "quantity")
    write_off = WriteOff.objects.create(
        requisition=requisition,
        quantity=quantity,
        service_report=service_report,
        note=note,
        written_off_by=cast(User, actor),
        written_off_at=_when(at),
    )
    entry = Entry(requisition.store, requisition.part, rules.Stock.ON_LOAN, rules.Kind.WRITE_OFF, -quantity)
    reason = f"销帐: 服务报告 {service_report}" + (f", {note}" if note else "")
    _post(
        [entry],
        actor=actor,
        reason=reason,
        at=at,
        reference=requisition.number,
        requisition=requisition,
        write_off=write_off,
    )
    if written_off == requisition.quantity:
        requisition.status = Status.CLOSED
        _save(requisition, actor, "status")
    return write_off


# ---------------------------------------------------------------------------------------------
# Old-part disposal, stocktake, reversal


@transaction.atomic
def old_parts_dispose(*, store: Store, month: Month, actor: AnyUser, note: str = "") -> OldPartDisposal:
    """The monthly disposal of the old parts a store holds (旧件月度处理)."""
    _require_keeper(actor, store)
    if month > Month.of(timezone.now()):
        raise RuleError(_("该月份尚未开始"), "month")
    first_day = date(month.year, month.month, 1)
    if OldPartDisposal.objects.filter(store=store, month=first_day).exists():
        raise RuleError(_("%s 的旧件已处理") % month, "month")
    held = StockBalance.objects.filter(store=store, stock=rules.Stock.OLD, quantity__gt=0).select_related(
        "part"
    )
    entries = [Entry(store, b.part, rules.Stock.OLD, rules.Kind.OLD_PART_DISPOSAL, -b.quantity) for b in held]
    if not entries:
        raise RuleError(_("库房没有待处理的旧件"), "store")
    disposal = OldPartDisposal.objects.create(
        store=store, month=first_day, note=note, disposed_by=cast(User, actor)
    )
    _post(
        entries,
        actor=actor,
        reason=note or f"{month} 旧件处理",
        reference=f"旧件处理 {month}",
        disposal=disposal,
    )
    return disposal


@transaction.atomic
def stocktake_post(*, store: Store, counts: Mapping[Part, int], actor: AnyUser, note: str = "") -> Stocktake:
    """Record a stocktake (盘点): book vs counted per part; each difference becomes an adjustment."""
    _require_keeper(actor, store)
    if not counts:
        raise RuleError(_("请至少盘点一种配件"), "counts")
    parts = {part.pk: part for part in counts}
    balances = _lock_balances((store.pk, pk, rules.Stock.ON_HAND.value) for pk in parts)
    book = {pk: balances[(store.pk, pk, rules.Stock.ON_HAND.value)].quantity for pk in parts}
    lines = rules.stocktake(book, {part.pk: quantity for part, quantity in counts.items()})
    stocktake = Stocktake.objects.create(store=store, note=note, counted_by=cast(User, actor))
    StocktakeLine.objects.bulk_create(
        StocktakeLine(stocktake=stocktake, part=parts[line.key], book=line.book, counted=line.counted)
        for line in lines
    )
    entries = [Entry(store, parts[m.key], m.stock, m.kind, m.quantity) for m in rules.adjustments(lines)]
    if entries:
        reason = note or "盘点调整(账物不符)"
        _post(entries, actor=actor, reason=reason, reference=stocktake.number, stocktake=stocktake)
    return stocktake


@transaction.atomic
def movement_reverse(*, movement: Movement, reason: str, actor: AnyUser) -> Movement:
    """Correct a typed-in entry by its negative (冲销); the original row stays as it was."""
    _require_keeper(actor, movement.store)
    if Movement.objects.filter(reversal_of=movement).exists():
        raise RuleError(_("该分录已冲销"), "movement")
    quantity = rules.reversal_of(rules.Kind(movement.kind), movement.quantity)
    entry = Entry(movement.store, movement.part, rules.Stock(movement.stock), rules.Kind.REVERSAL, quantity)
    (reversal,) = _post(
        [entry], actor=actor, reason=reason, reference=movement.reference, reversal_of=movement
    )
    return reversal


# ---------------------------------------------------------------------------------------------
# Postage and freight


@transaction.atomic
def freight_record(
    *,
    store: Store,
    handler: Employee,
    description: str,
    amount: Decimal,
    actor: AnyUser,
    carrier: str = "",
    waybill: str = "",
    requisition: Requisition | None = None,
    shipped_on: date | None = None,
) -> FreightCharge:
    """Record the postage or freight of shipped warranty parts (邮寄费/运费)."""
    _require_keeper(actor, store)
    if amount < 0:
        raise RuleError(_("不能为负数"), "amount")
    charge = FreightCharge(
        store=store,
        handler=handler,
        description=description,
        amount=amount,
        carrier=carrier,
        waybill=waybill,
        requisition=requisition,
        shipped_on=shipped_on or timezone.localdate(),
        recorded_by=cast(User, actor),
    )
    charge._history_user = actor  # type: ignore[attr-defined]
    charge.save()
    return charge


@transaction.atomic
def freight_sign(*, charge: FreightCharge, actor: AnyUser) -> FreightCharge:
    """The handler signs, then the leader; with both it is written off (R-9.4)."""
    charge = FreightCharge.objects.select_for_update().select_related("handler").get(pk=charge.pk)
    if charge.handler_signed_at is None:
        if charge.handler.user_id != actor.pk:
            raise PermissionDenied(_("须由经办人先签字"))
        charge.handler_signed_at = timezone.now()
    elif charge.leader_signed_at is None:
        if not leads(actor, charge.handler):
            raise PermissionDenied(_("须由经办人的领导签字"))
        charge.leader_signed_by = actor  # type: ignore[assignment]
        charge.leader_signed_at = timezone.now()
    else:
        raise RuleError(_("已核销"), "charge")
    charge._history_user = actor  # type: ignore[attr-defined]
    charge.save()
    return charge


# ---------------------------------------------------------------------------------------------
# Secondary claims to suppliers (二次索赔, R-9.5)

ClaimStatus = SupplierClaim.Status


@transaction.atomic
def claim_create(
    *,
    store: Store,
    supplier: Supplier,
    part: Part,
    quantity: int,
    reason: str,
    amount_claimed: Decimal,
    actor: AnyUser,
    old_part_return: OldPartReturn | None = None,
) -> SupplierClaim:
    _require_keeper(actor, store)
    if amount_claimed < 0:
        raise RuleError(_("不能为负数"), "amount_claimed")
    claim = SupplierClaim(
        store=store,
        supplier=supplier,
        part=part,
        quantity=_positive(quantity),
        reason=reason,
        amount_claimed=amount_claimed,
        old_part_return=old_part_return,
        created_by=cast(User, actor),
    )
    claim._history_user = actor  # type: ignore[attr-defined]
    claim.save()
    return claim


def _claim_step(claim: SupplierClaim, actor: AnyUser, allowed: str, **changes: Any) -> SupplierClaim:
    _require_keeper(actor, claim.store)
    claim = SupplierClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != allowed:
        raise RuleError(_("索赔当前状态为“%s”，不能办理") % claim.get_status_display(), "status")
    for name, value in changes.items():
        setattr(claim, name, value)
    claim._history_user = actor  # type: ignore[attr-defined]
    claim.save()
    return claim


@transaction.atomic
def claim_submit(*, claim: SupplierClaim, actor: AnyUser) -> SupplierClaim:
    """Send the claim to the supplier (提交索赔)."""
    return _claim_step(
        claim, actor, ClaimStatus.DRAFT, status=ClaimStatus.SUBMITTED, submitted_at=timezone.now()
    )


@transaction.atomic
def claim_decide(*, claim: SupplierClaim, accepted: bool, note: str, actor: AnyUser) -> SupplierClaim:
    """Record the supplier's answer: accepted or rejected."""
    status = ClaimStatus.ACCEPTED if accepted else ClaimStatus.REJECTED
    return _claim_step(
        claim, actor, ClaimStatus.SUBMITTED, status=status, decided_at=timezone.now(), decision_note=note
    )


@transaction.atomic
def claim_recover(*, claim: SupplierClaim, amount: Decimal, actor: AnyUser) -> SupplierClaim:
    """Record the amount the supplier paid back (收回金额)."""
    if amount < 0:
        raise RuleError(_("不能为负数"), "amount")
    return _claim_step(
        claim,
        actor,
        ClaimStatus.ACCEPTED,
        status=ClaimStatus.RECOVERED,
        amount_recovered=amount,
        recovered_at=timezone.now(),
    )


CLAIM_STEPS = ("submit", "accept", "reject", "recover")


def claim_step(
    *, claim: SupplierClaim, step: str, actor: Any, note: str = "", amount: Decimal | None = None
) -> SupplierClaim:
    """One step of a secondary claim: submit → accept / reject → recover (R-9.5)."""
    if step == "submit":
        return claim_submit(claim=claim, actor=actor)
    if step in ("accept", "reject"):
        return claim_decide(claim=claim, accepted=step == "accept", note=note, actor=actor)
    if amount is None:
        raise RuleError(_("请填写收回金额"), "amount")
    return claim_recover(claim=claim, amount=amount, actor=actor)
