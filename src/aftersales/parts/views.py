"""Pages of the parts area (SPEC §9): parse, call one action or selector, render.

Warehouse keepers receive, transfer, issue, take back old parts, write off, count and dispose;
engineers propose requisitions and follow their open items (phone width); supervisors approve and
watch their team's open items. Objects outside the user's scope are 404, acts they may not take 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftersales.core.errors import RuleError
from aftersales.core.stock import REVERSIBLE, InsufficientStock
from aftersales.organisation.access import employee_of
from aftersales.parts import forms, selectors, services
from aftersales.parts.models import Movement, Part, Requisition, StockBalance, SupplierClaim
from aftersales.service.access import orders_visible_to
from aftersales.service.forms import PhotoForm
from aftersales.service.models import PhotoKind
from aftersales.service.selectors import final_reports
from aftersales.ui.exporting import Column, wants_xlsx, xlsx_response
from aftersales.ui.refusals import show_refusal

PAGE_SIZE = 50
FREIGHT_COLUMNS: list[Column] = [
    (gettext_lazy("寄出日期"), lambda c: c.shipped_on),
    (gettext_lazy("寄运内容"), lambda c: c.description),
    (gettext_lazy("领料单"), lambda c: c.requisition.number if c.requisition else ""),
    (gettext_lazy("承运方"), lambda c: c.carrier),
    (gettext_lazy("运单号"), lambda c: c.waybill),
    (gettext_lazy("金额(元)"), lambda c: c.amount),
    (gettext_lazy("经办人"), lambda c: c.handler.name),
    (gettext_lazy("经办人签字时间"), lambda c: c.handler_signed_at),
    (gettext_lazy("领导签字时间"), lambda c: c.leader_signed_at),
]
CLAIM_COLUMNS: list[Column] = [
    (gettext_lazy("单号"), lambda c: c.number),
    (gettext_lazy("供应商"), lambda c: c.supplier.name),
    (gettext_lazy("配件编号"), lambda c: c.part.number),
    (gettext_lazy("配件"), lambda c: c.part.name),
    (gettext_lazy("数量"), lambda c: c.quantity),
    (gettext_lazy("索赔金额"), lambda c: c.amount_claimed),
    (gettext_lazy("收回金额"), lambda c: c.amount_recovered),
    (gettext_lazy("状态"), lambda c: c.get_status_display()),
]
OPEN_ITEM_COLUMNS: list[Column] = [
    (gettext_lazy("工程师"), lambda i: i.requisition.engineer.name),
    (gettext_lazy("领料单"), lambda i: i.requisition.number),
    (gettext_lazy("配件编号"), lambda i: i.requisition.part.number),
    (gettext_lazy("配件"), lambda i: i.requisition.part.name),
    (gettext_lazy("未销帐"), lambda i: i.outstanding),
    (gettext_lazy("旧件未交"), lambda i: i.old_parts_missing),
    (gettext_lazy("天数"), lambda i: i.age_days),
]
PART_COLUMNS: list[Column] = [
    (gettext_lazy("配件编号"), lambda p: p.number),
    (gettext_lazy("名称"), lambda p: p.name),
    (gettext_lazy("规格型号"), lambda p: p.specification),
    (gettext_lazy("单位"), lambda p: p.unit),
    (gettext_lazy("供应商"), lambda p: p.supplier.name if p.supplier else ""),
    (gettext_lazy("启用"), lambda p: p.active),
]
MOVEMENT_COLUMNS: list[Column] = [
    (gettext_lazy("时间"), lambda m: m.at),
    (gettext_lazy("类型"), lambda m: m.get_kind_display()),
    (gettext_lazy("配件编号"), lambda m: m.part.number),
    (gettext_lazy("配件"), lambda m: m.part.name),
    (gettext_lazy("库存类别"), lambda m: m.get_stock_display()),
    (gettext_lazy("数量"), lambda m: m.quantity),
    (gettext_lazy("结存"), lambda m: m.balance_after),
    (gettext_lazy("经办人"), lambda m: m.actor.get_full_name() or m.actor.username),
    (gettext_lazy("事由"), lambda m: m.reason),
    (gettext_lazy("单据"), lambda m: m.reference),
]
REQUISITION_COLUMNS: list[Column] = [
    (gettext_lazy("单号"), lambda r: r.number),
    (gettext_lazy("工程师"), lambda r: r.engineer.name),
    (gettext_lazy("配件编号"), lambda r: r.part.number),
    (gettext_lazy("配件"), lambda r: r.part.name),
    (gettext_lazy("数量"), lambda r: r.quantity),
    (gettext_lazy("库房"), lambda r: r.store.name),
    (gettext_lazy("申请时间"), lambda r: r.proposed_at),
    (gettext_lazy("状态"), lambda r: r.get_status_display()),
    (gettext_lazy("已销帐"), lambda r: r.written_off),
    (gettext_lazy("旧件已返回"), lambda r: r.returned),
]
WAITING = [Requisition.Status.PROPOSED, Requisition.Status.APPROVED]  # not yet issued


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query(**params: str) -> str:
    """The filters of a list page, to keep on its pager links."""
    kept = {name: value for name, value in params.items() if value}
    return f"{urlencode(kept)}&" if kept else ""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _parts_user(request: HttpRequest) -> Any:
    _require(selectors.reaches_parts(request.user))
    return request.user


def _refusal(error: RuleError) -> str:
    if isinstance(error, InsufficientStock):
        return _("库存不足，未做任何变动")
    return error.message


def _attempt(request: HttpRequest, action: Callable[[], Any], done: str, form: Any = None) -> Any:
    """Run an action; its result when it went through (with ``done`` as the message), else None."""
    try:
        result = action()
    except RuleError as error:
        show_refusal(request, error, form, _refusal(error))
        return None
    messages.success(request, done)
    return result if result is not None else True


def _form_page(request: HttpRequest, title: str, form: Any, **extra: Any) -> HttpResponse:
    return render(request, "parts/form.html", {"title": title, "form": form, **extra})


# --- overview -------------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The parts desk: what waits for me — approvals, issues, my open items."""
    user = _parts_user(request)
    me = employee_of(user)
    visible = selectors.requisitions_visible_to(user)  # annotated with the progress open_items reads
    mine = visible.filter(engineer=me) if me else visible.none()
    operated = selectors.stores_operated_by(user)
    context = {
        "stores": selectors.store_list(user=user),
        "awaiting": selectors.awaiting_approval(user=user)[:20],
        "to_issue": selectors.requisitions_visible_to(user)
        .filter(store__in=operated, status=Requisition.Status.APPROVED)
        .exclude(engineer__user=user)  # another keeper issues one's own
        .order_by("decided_at")[:20],
        "my_open": selectors.open_items(requisitions=mine),
        "my_proposed": mine.filter(status__in=WAITING)[:20],
        "keeper": operated.exists(),
    }
    return render(request, "parts/index.html", context)


# --- catalogue (R-9.1) ----------------------------------------------------------------------------------


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    user = _parts_user(request)
    q = request.GET.get("q", "").strip()
    if wants_xlsx(request):
        return xlsx_response(name="parts", columns=PART_COLUMNS, rows=selectors.part_list(search=q))
    page = _page(request, selectors.part_list(search=q))
    keeper = selectors.stores_operated_by(user).exists()
    context = {"page": page, "q": q, "keeper": keeper, "query": _query(q=q)}
    return render(request, "parts/catalogue.html", context)


def _part_form(request: HttpRequest, part: Part) -> HttpResponse:
    _require(selectors.stores_operated_by(request.user).exists())
    form = forms.PartForm(request.POST or None, instance=part)
    if request.method == "POST" and form.is_valid():
        services.part_save(part=form.instance, actor=request.user)
        messages.success(request, _("配件 %s 已保存") % form.instance)
        return redirect("parts:catalogue")
    return _form_page(request, _("配件") if part.pk else _("新增配件"), form)


@login_required
def part_create(request: HttpRequest) -> HttpResponse:
    return _part_form(request, Part())


@login_required
def part_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _parts_user(request)
    return _part_form(request, get_object_or_404(Part, pk=pk))


# --- stores and ledgers (R-9.2) -------------------------------------------------------------------------


@login_required
def stores(request: HttpRequest) -> HttpResponse:
    user = _parts_user(request)
    _require(selectors.reads_ledgers(user))
    return render(request, "parts/stores.html", {"stores": selectors.store_list(user=user)})


@login_required
def store_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A store's balances per part and its ledger (newest first, filterable by part)."""
    store = selectors.get_store_for_user(request.user, pk)
    movements = selectors.movement_list(stores=type(store).objects.filter(pk=store.pk))
    part_id = request.GET.get("part", "")
    if part_id.isdigit():
        movements = movements.filter(part_id=int(part_id))
    if wants_xlsx(request):
        return xlsx_response(name=f"ledger-{store.pk}", columns=MOVEMENT_COLUMNS, rows=movements)
    return _store_page(request, store, movements, part_id)


def _store_page(
    request: HttpRequest, store: Any, movements: Any, part_id: str = "", refusal: str = ""
) -> HttpResponse:
    """The store's page; ``refusal``: why a reversal was refused, above the ledger (400)."""
    context = {
        "store": store,
        "holdings": selectors.holdings(store=store),
        "page": _page(request, movements),
        "keeper": selectors.stores_operated_by(request.user).filter(pk=store.pk).exists(),
        "reversible": {kind.value for kind in REVERSIBLE},
        "part_id": part_id,
        "query": _query(part=part_id),
        "refusal": refusal,
    }
    return render(request, "parts/store_detail.html", context, status=400 if refusal else 200)


@login_required
def receipt_create(request: HttpRequest, pk: int) -> HttpResponse:
    """备用件接收单: the received parts go into the store; the slip is then printed in two copies."""
    store = selectors.get_store_operated_by(request.user, pk)
    form = forms.ReceiptForm(request.POST or None)
    lines = forms.LineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():

        def receive() -> Any:
            return services.receipt_create(
                store=store, lines=forms.filled_lines(lines), actor=request.user, **form.cleaned_data
            )

        receipt = _attempt(request, receive, _("已入库"), form)
        if receipt:
            return redirect("parts:receipt-slip", pk=receipt.pk)
    context = {"title": _("备用件接收"), "store": store, "form": form, "lines": lines}
    return render(request, "parts/lines_form.html", context)


@login_required
def receipt_slip(request: HttpRequest, pk: int) -> HttpResponse:
    """The receiving slip, one page per copy (备用件接收单一式二份)."""
    receipt = selectors.get_receipt_for_user(request.user, pk)
    copies = [_("第一联 库房留存"), _("第二联 交送货方/财务")]
    return render(request, "parts/receipt_slip.html", {"receipt": receipt, "copies": copies})


@login_required
def transfer_create(request: HttpRequest, pk: int) -> HttpResponse:
    """发往服务站: parts leave this store's ledger and enter the station's own."""
    store = selectors.get_store_operated_by(request.user, pk)
    form = forms.TransferForm(request.POST or None, from_store=store)
    lines = forms.LineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():

        def send() -> Any:
            return services.transfer_create(
                from_store=store, lines=forms.filled_lines(lines), actor=request.user, **form.cleaned_data
            )

        if _attempt(request, send, _("已调拨"), form):
            return redirect("parts:store-detail", pk=store.pk)
    context = {"title": _("调拨"), "store": store, "form": form, "lines": lines}
    return render(request, "parts/lines_form.html", context)


@login_required
def stocktake_create(request: HttpRequest, pk: int) -> HttpResponse:
    """盘点: count what is on the shelf; the differences are posted as adjustments."""
    store = selectors.get_store_operated_by(request.user, pk)
    extra = request.GET.get("part") or request.POST.get("extra_part")
    parts = [row["part"] for row in selectors.holdings(store=store)]
    if extra and extra.isdigit() and all(p.pk != int(extra) for p in parts):
        parts.append(get_object_or_404(Part, pk=int(extra)))
    form = forms.StocktakeForm(request.POST or None, parts=parts)
    if request.method == "POST" and form.is_valid():

        def count() -> Any:
            note = form.cleaned_data["note"]
            return services.stocktake_post(store=store, counts=form.counts(), actor=request.user, note=note)

        stocktake = _attempt(request, count, _("盘点已登记"), form)
        if stocktake:
            return redirect("parts:stocktake-detail", pk=stocktake.pk)
    book = {
        b.part_id: b.quantity for b in StockBalance.objects.filter(store=store, stock=Movement.Stock.ON_HAND)
    }
    rows = [(form[f"count_{p.pk}"], p, book.get(p.pk, 0)) for p in parts]
    catalogue = Part.objects.filter(active=True).exclude(pk__in=[p.pk for p in parts])
    return render(
        request,
        "parts/stocktake_form.html",
        {"store": store, "form": form, "rows": rows, "catalogue": catalogue},
    )


@login_required
def stocktake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The stocktake report: book vs counted per part (账物一致)."""
    stocktake = selectors.get_stocktake_for_user(request.user, pk)
    return render(request, "parts/stocktake_detail.html", {"stocktake": stocktake})


@login_required
def disposal(request: HttpRequest, pk: int) -> HttpResponse:
    """The month's old parts (旧件) disposed of."""
    store = selectors.get_store_operated_by(request.user, pk)
    form = forms.DisposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            lambda: services.old_parts_dispose(store=store, actor=request.user, **form.cleaned_data),
            _("旧件已处理"),
            form,
        )
        if done:
            return redirect("parts:store-detail", pk=store.pk)
    held = StockBalance.objects.filter(store=store, stock=Movement.Stock.OLD, quantity__gt=0).select_related(
        "part"
    )
    return render(request, "parts/disposal.html", {"store": store, "form": form, "held": held})


@login_required
@require_POST
def movement_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """冲销: a correcting entry, the negative of a typed-in one."""
    movement = selectors.get_movement_operated_by(request.user, pk)
    form = forms.ReverseForm(request.POST)
    if not form.is_valid():
        refusal = _("请填写冲销原因")
    else:
        try:
            services.movement_reverse(
                movement=movement, reason=form.cleaned_data["reason"], actor=request.user
            )
        except RuleError as error:
            refusal = _refusal(error)
        else:
            messages.success(request, _("已冲销"))
            return redirect("parts:store-detail", pk=movement.store_id)
    ledger = selectors.movement_list(stores=type(movement.store).objects.filter(pk=movement.store_id))
    return _store_page(request, movement.store, ledger, refusal=refusal)


# --- requisitions (R-9.3) -------------------------------------------------------------------------------


@login_required
def requisitions(request: HttpRequest) -> HttpResponse:
    user = _parts_user(request)
    status = request.GET.get("status", "")
    queryset = selectors.requisition_list(
        user=user, status=status if status in Requisition.Status.values else ""
    )
    if wants_xlsx(request):
        return xlsx_response(name="requisitions", columns=REQUISITION_COLUMNS, rows=queryset)
    context = {
        "page": _page(request, queryset),
        "status": status,
        "statuses": Requisition.Status.choices,
        "query": _query(status=status),
    }
    return render(request, "parts/requisitions.html", context)


@login_required
def requisition_create(request: HttpRequest) -> HttpResponse:
    """An engineer proposes a requisition (领料申请), on a phone as well."""
    _require(selectors.may_request_parts(request.user))
    stores = selectors.stores_for_requisition(request.user)
    orders = orders_visible_to(request.user).order_by("-received_at")
    form = forms.RequisitionForm(request.POST or None, stores=stores, orders=orders)
    if request.method == "POST" and form.is_valid():
        requisition = _attempt(
            request,
            lambda: services.requisition_propose(actor=request.user, **form.cleaned_data),
            _("领料申请已提交，等待审批"),
            form,
        )
        if requisition:
            return redirect("parts:requisition-detail", pk=requisition.pk)
    return _form_page(request, _("领料申请"), form)


@login_required
def requisition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _requisition_page(request, selectors.get_requisition_for_user(request.user, pk))


def _requisition_page(request: HttpRequest, requisition: Requisition, **refused: Any) -> HttpResponse:
    """The requisition; ``refused``: the old-part return or write-off form shown again as typed (400)."""
    reports = final_reports().filter(engineer=requisition.engineer_id).order_by("-signed_at")
    context = {
        "requisition": requisition,
        "keeper": services.may_keep_books_of(request.user, requisition),
        "leader": services.may_decide(request.user, requisition),
        "movements": requisition.movements.select_related("actor").order_by("id"),
        "returns": requisition.old_part_returns.select_related("received_by").prefetch_related("photos"),
        "old_part_photo_form": PhotoForm(kinds=(PhotoKind.OLD_PART,)),
        "write_offs": requisition.write_offs.select_related("service_report__order", "written_off_by"),
        "decision_form": forms.NoteForm(),
        "return_form": forms.OldPartReturnForm(prefix="old"),
        "write_off_form": forms.WriteOffForm(reports=reports, prefix="wo"),
    } | refused
    return render(request, "parts/requisition_detail.html", context, status=400 if refused else 200)


def _requisition_form(
    request: HttpRequest, requisition: Requisition, form: Any, name: str, act: Callable[[], Any], done: str
) -> HttpResponse:
    """Run a requisition step from a form on its page; invalid or refused: the page with the form as typed."""
    if form.is_valid() and _attempt(request, act, done, form):
        return redirect("parts:requisition-detail", pk=requisition.pk)
    return _requisition_page(request, requisition, **{name: form})


def _requisition_action(
    request: HttpRequest, pk: int, act: Callable[[Requisition], Any], done: str, form: Any = None
) -> HttpResponse:
    """A step without a form of its own (approve, reject, issue); refused: the page with why (400), the
    note shown again as typed."""
    requisition = selectors.get_requisition_for_user(request.user, pk)
    try:
        act(requisition)
    except RuleError as error:
        typed = {"decision_form": form} if form is not None else {}
        return _requisition_page(request, requisition, refusal=_refusal(error), **typed)
    messages.success(request, done)
    return redirect("parts:requisition-detail", pk=requisition.pk)


@login_required
@require_POST
def requisition_approve(request: HttpRequest, pk: int) -> HttpResponse:
    note = request.POST.get("note", "")
    return _requisition_action(
        request,
        pk,
        lambda r: services.requisition_approve(requisition=r, actor=request.user, note=note),
        _("已批准"),
        forms.NoteForm(request.POST),
    )


@login_required
@require_POST
def requisition_reject(request: HttpRequest, pk: int) -> HttpResponse:
    note = request.POST.get("note", "")
    return _requisition_action(
        request,
        pk,
        lambda r: services.requisition_reject(requisition=r, actor=request.user, note=note),
        _("已驳回"),
        forms.NoteForm(request.POST),
    )


@login_required
@require_POST
def requisition_issue(request: HttpRequest, pk: int) -> HttpResponse:
    return _requisition_action(
        request, pk, lambda r: services.requisition_issue(requisition=r, actor=request.user), _("已发料")
    )


def _require_keeper_of(request: HttpRequest, requisition: Requisition) -> None:
    _require(services.may_keep_books_of(request.user, requisition))


@login_required
@require_POST
def old_part_return(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = selectors.get_requisition_for_user(request.user, pk)
    _require_keeper_of(request, requisition)
    form = forms.OldPartReturnForm(request.POST, prefix="old")
    return _requisition_form(
        request,
        requisition,
        form,
        "return_form",
        lambda: services.old_part_return(requisition=requisition, actor=request.user, **form.cleaned_data),
        _("旧件已接收"),
    )


@login_required
@require_POST
def write_off(request: HttpRequest, pk: int) -> HttpResponse:
    """销帐 against the signed, approved report and the returned old part."""
    requisition = selectors.get_requisition_for_user(request.user, pk)
    _require_keeper_of(request, requisition)
    reports = final_reports().filter(engineer=requisition.engineer_id)
    form = forms.WriteOffForm(request.POST, reports=reports, prefix="wo")
    return _requisition_form(
        request,
        requisition,
        form,
        "write_off_form",
        lambda: services.requisition_write_off(
            requisition=requisition, actor=request.user, **form.cleaned_data
        ),
        _("已销帐"),
    )


@login_required
def open_items(request: HttpRequest) -> HttpResponse:
    """Per engineer: parts issued and not written off, old parts not returned, with their age (R-9.3)."""
    user = _parts_user(request)
    items = selectors.open_items(requisitions=selectors.requisitions_visible_to(user))
    if wants_xlsx(request):
        return xlsx_response(name="open-items", columns=OPEN_ITEM_COLUMNS, rows=items)
    return render(
        request, "parts/open_items.html", {"items": items, "deadline": selectors.OLD_PART_RETURN_DAYS}
    )


# --- freight and claims (R-9.5) -----------------------------------------------------------------


@login_required
def freight(request: HttpRequest) -> HttpResponse:
    user = _parts_user(request)
    charges = selectors.freight_visible_to(user)
    if wants_xlsx(request):
        return xlsx_response(name="freight", columns=FREIGHT_COLUMNS, rows=charges)
    keeper = selectors.stores_operated_by(user).exists()
    return render(request, "parts/freight.html", {"page": _page(request, charges), "keeper": keeper})


@login_required
def freight_create(request: HttpRequest) -> HttpResponse:
    stores = selectors.stores_operated_by(request.user)
    _require(stores.exists())
    handlers = selectors.staff_of(stores)
    form = forms.FreightForm(request.POST or None, stores=stores, handlers=handlers)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            lambda: services.freight_record(actor=request.user, **form.cleaned_data),
            _("已登记，待经办人和领导签字"),
            form,
        )
        if done:
            return redirect("parts:freight")
    return _form_page(request, _("邮寄运费登记"), form)


@login_required
@require_POST
def freight_sign(request: HttpRequest, pk: int) -> HttpResponse:
    charge = selectors.get_freight_for_user(request.user, pk)
    _attempt(request, lambda: services.freight_sign(charge=charge, actor=request.user), _("已签字"))
    return redirect("parts:freight")


@login_required
def claims(request: HttpRequest) -> HttpResponse:
    user = _parts_user(request)
    _require(selectors.reads_ledgers(user))
    if wants_xlsx(request):
        return xlsx_response(name="claims", columns=CLAIM_COLUMNS, rows=selectors.claims_visible_to(user))
    context = {
        "page": _page(request, selectors.claims_visible_to(user)),
        "keeper": selectors.stores_operated_by(user).exists(),
    }
    return render(request, "parts/claims.html", context)


@login_required
def claim_create(request: HttpRequest) -> HttpResponse:
    stores = selectors.stores_operated_by(request.user)
    _require(stores.exists())
    form = forms.ClaimForm(request.POST or None, stores=stores)
    if request.method == "POST" and form.is_valid():
        claim = _attempt(
            request,
            lambda: services.claim_create(actor=request.user, **form.cleaned_data),
            _("索赔已登记"),
            form,
        )
        if claim:
            return redirect("parts:claim-detail", pk=claim.pk)
    return _form_page(request, _("二次索赔登记"), form)


@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _claim_page(request, selectors.get_claim_for_user(request.user, pk))


def _claim_page(request: HttpRequest, claim: SupplierClaim, form: Any = None) -> HttpResponse:
    """The claim; ``form``: a refused step shown again as typed (400)."""
    keeper = selectors.stores_operated_by(request.user).filter(pk=claim.store_id).exists()
    context = {"claim": claim, "keeper": keeper, "form": form or forms.ClaimStepForm()}
    return render(request, "parts/claim_detail.html", context, status=400 if form else 200)


@login_required
@require_POST
def claim_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """submit → accept / reject → recover (R-9.5)."""
    if step not in services.CLAIM_STEPS:
        raise Http404
    claim = selectors.get_claim_for_user(request.user, pk)
    _require(selectors.stores_operated_by(request.user).filter(pk=claim.store_id).exists())
    form = forms.ClaimStepForm(request.POST)
    if form.is_valid() and _attempt(
        request,
        lambda: services.claim_step(claim=claim, step=step, actor=request.user, **form.cleaned_data),
        _("已登记"),
        form,
    ):
        return redirect("parts:claim-detail", pk=claim.pk)
    return _claim_page(request, claim, form)
