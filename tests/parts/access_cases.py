"""R-1.1 access matrix of the parts pages and API (see tests/access/cases.py).

Warehouse work (receipts, issues, write-offs, stocktakes, disposals, reversals, claims) belongs to the
warehouse keeper, who is no persona: every persona is refused. Stores are seen by the head and HR;
requisitions, open items and freight by the staff of the department, each in their own scope.
"""

from __future__ import annotations

from decimal import Decimal

from tests.access.cases import STAFF_OF_DEPARTMENT, Case, World

NOBODY: frozenset[str] = frozenset()
HEAD_HR = frozenset({"head", "hr"})
REQUESTERS = frozenset({"employee", "supervisor", "head"})  # employees of a department with stores
LEADERS = frozenset({"supervisor", "head"})


def _store(world: World):
    """The central store of 售后服务部 with a part in stock (received by the keeper)."""
    from aftersales.parts.models import Store
    from tests.factories import stocked

    store = Store.objects.filter(code="central").first()
    return store or stocked(number="JC-220", name="接触器")[0]


def _part(world: World):
    from aftersales.parts.models import Part

    _store(world)
    return Part.objects.get(number="JC-220")


def _stocked(world: World) -> dict:
    """No URL arguments; the department has a store with a part, so the list pages have a row."""
    _store(world)
    return {}


def _store_kw(world: World) -> dict:
    return {"pk": _store(world).pk}


def _requisition(world: World, status: str = "proposed"):
    from aftersales.parts.models import Requisition

    return Requisition.objects.create(
        engineer=world.employees["employee"],
        store=_store(world),
        part=_part(world),
        quantity=1,
        reason="matrix",
        status=status,
    )


def _proposed_kw(world: World) -> dict:
    return {"pk": _requisition(world).pk}


def _issued_kw(world: World) -> dict:
    return {"pk": _requisition(world, "issued").pk}


def _approved_kw(world: World) -> dict:
    return {"pk": _requisition(world, "approved").pk}


def _receipt_kw(world: World) -> dict:
    from aftersales.parts.models import Receipt

    return {"pk": Receipt.objects.get(store=_store(world)).pk}


def _stocktake_kw(world: World) -> dict:
    from aftersales.parts import services

    store = _store(world)
    stocktake = services.stocktake_post(
        store=store, counts={_part(world): 4}, actor=world.employee("keeper").user
    )
    return {"pk": stocktake.pk}


def _movement_kw(world: World) -> dict:
    from aftersales.parts.models import Movement

    return {"pk": Movement.objects.get(store=_store(world), kind="receipt").pk}


def _claim_kw(world: World) -> dict:
    from aftersales.parts import services

    store, part = _store(world), _part(world)
    claim = services.claim_create(
        store=store,
        supplier=part.supplier,
        part=part,
        quantity=1,
        reason="matrix",
        amount_claimed=Decimal(100),
        actor=world.employee("keeper").user,
    )
    return {"pk": claim.pk}


def _freight_kw(world: World, handler_signed: bool = False) -> dict:
    from django.utils import timezone

    from aftersales.parts.models import FreightCharge

    charge = FreightCharge.objects.create(
        store=_store(world),
        handler=world.employees["employee"],
        description="matrix",
        amount=Decimal(10),
        recorded_by=world.users["hr"],
        handler_signed_at=timezone.now() if handler_signed else None,
    )
    return {"pk": charge.pk}


def _requisition_data(world: World) -> dict:
    return {"store": _store(world).pk, "part": _part(world).pk, "quantity": 1, "reason": "更换接触器"}


CASES = [
    Case("parts:index", STAFF_OF_DEPARTMENT, kwargs=_stocked),
    Case("parts:catalogue", STAFF_OF_DEPARTMENT, kwargs=_stocked),
    Case("parts:catalogue", STAFF_OF_DEPARTMENT, kwargs=_stocked, query="q=JC", label="search"),
    Case("parts:part-create", NOBODY, kwargs=_stocked),
    Case(
        "parts:part-create",
        NOBODY,
        kwargs=_stocked,
        method="post",
        data=lambda w: {"number": "X-1", "name": "x", "unit": "个"},
    ),
    Case("parts:part-edit", NOBODY, kwargs=lambda w: {"pk": _part(w).pk}),
    Case("parts:stores", HEAD_HR, kwargs=_stocked),
    Case("parts:store-detail", HEAD_HR, kwargs=_store_kw),
    Case("parts:receipt-create", NOBODY, kwargs=_store_kw),
    Case("parts:receipt-create", NOBODY, kwargs=_store_kw, method="post", data=lambda w: {}),
    Case("parts:transfer-create", NOBODY, kwargs=_store_kw),
    Case("parts:stocktake-create", NOBODY, kwargs=_store_kw),
    Case("parts:disposal", NOBODY, kwargs=_store_kw),
    Case("parts:receipt-slip", HEAD_HR, kwargs=_receipt_kw),
    Case("parts:stocktake-detail", HEAD_HR, kwargs=_stocktake_kw),
    Case(
        "parts:movement-reverse", NOBODY, kwargs=_movement_kw, method="post", data=lambda w: {"reason": "x"}
    ),
    Case("parts:requisitions", STAFF_OF_DEPARTMENT, kwargs=_stocked),
    Case("parts:requisition-create", REQUESTERS, kwargs=_stocked),
    Case("parts:requisition-create", REQUESTERS, kwargs=_stocked, method="post", data=_requisition_data),
    Case("parts:requisition-detail", STAFF_OF_DEPARTMENT, kwargs=_proposed_kw),
    Case("parts:requisition-approve", LEADERS, kwargs=_proposed_kw, method="post", data=lambda w: {}),
    Case(
        "parts:requisition-reject", LEADERS, kwargs=_proposed_kw, method="post", data=lambda w: {"note": "no"}
    ),
    Case("parts:requisition-issue", NOBODY, kwargs=_approved_kw, method="post", data=lambda w: {}),
    Case(
        "parts:old-part-return", NOBODY, kwargs=_issued_kw, method="post", data=lambda w: {"old-quantity": 1}
    ),
    Case("parts:write-off", NOBODY, kwargs=_issued_kw, method="post", data=lambda w: {"wo-quantity": 1}),
    Case("parts:open-items", STAFF_OF_DEPARTMENT, kwargs=_stocked),
    Case("parts:freight", STAFF_OF_DEPARTMENT, kwargs=_stocked),
    Case("parts:freight-create", NOBODY, kwargs=_stocked),
    Case("parts:freight-sign", frozenset({"employee"}), kwargs=_freight_kw, method="post", data=lambda w: {}),
    Case(
        "parts:freight-sign",
        LEADERS,
        kwargs=lambda w: _freight_kw(w, handler_signed=True),
        method="post",
        data=lambda w: {},
        label="leader",
    ),
    Case("parts:claims", HEAD_HR, kwargs=_stocked),
    Case("parts:claim-create", NOBODY, kwargs=_stocked),
    Case("parts:claim-detail", HEAD_HR, kwargs=_claim_kw),
    Case(
        "parts:claim-step",
        NOBODY,
        kwargs=lambda w: {**_claim_kw(w), "step": "accept"},
        method="post",
        data=lambda w: {"note": "x"},
    ),
    # API
    Case("api-parts:part-list", STAFF_OF_DEPARTMENT, kwargs=_stocked),
    Case("api-parts:balance-list", HEAD_HR, kwargs=_stocked),
    Case("api-parts:movement-list", HEAD_HR, kwargs=_stocked),
    Case("api-parts:requisition-list", STAFF_OF_DEPARTMENT, kwargs=_stocked),
    Case(
        "api-parts:requisition-list",
        REQUESTERS,
        kwargs=_stocked,
        method="post",
        data=_requisition_data,
        json=True,
        label="create",
    ),
    Case("api-parts:requisition-detail", STAFF_OF_DEPARTMENT, kwargs=_proposed_kw),
    Case(
        "api-parts:requisition-approve",
        LEADERS,
        kwargs=_proposed_kw,
        method="post",
        data=lambda w: {},
        json=True,
    ),
    Case(
        "api-parts:requisition-reject",
        LEADERS,
        kwargs=_proposed_kw,
        method="post",
        data=lambda w: {"note": "无需更换"},
        json=True,
    ),
    Case(
        "api-parts:requisition-issue",
        NOBODY,
        kwargs=_approved_kw,
        method="post",
        data=lambda w: {},
        json=True,
    ),
    # API twins of the page acts (tests/api/test_twins.py): the keeper's work is refused to every persona,
    # as on the pages; the keeper's own successes are in tests/parts/test_api.py
    Case(
        "api-parts:part-create",
        NOBODY,
        kwargs=_stocked,
        method="post",
        data=lambda w: {"number": "X-1", "name": "x"},
        json=True,
    ),
    Case("api-parts:part-edit", NOBODY, kwargs=lambda w: {"pk": _part(w).pk}, method="post", json=True),
    *(
        Case(f"api-parts:{name}", NOBODY, kwargs=_store_kw, method="post", data=lambda w: {}, json=True)
        for name in ("receipt-create", "transfer-create", "stocktake-create", "disposal")
    ),
    Case(
        "api-parts:movement-reverse",
        NOBODY,
        kwargs=_movement_kw,
        method="post",
        data=lambda w: {"reason": "x"},
        json=True,
    ),
    Case(
        "api-parts:old-part-return",
        NOBODY,
        kwargs=_issued_kw,
        method="post",
        data=lambda w: {"quantity": 1},
        json=True,
    ),
    Case(
        "api-parts:write-off",
        NOBODY,
        kwargs=_issued_kw,
        method="post",
        data=lambda w: {"quantity": 1},
        json=True,
    ),
    Case("api-parts:freight-create", NOBODY, kwargs=_stocked, method="post", data=lambda w: {}, json=True),
    Case(
        "api-parts:freight-sign",
        frozenset({"employee"}),
        kwargs=_freight_kw,
        method="post",
        data=lambda w: {},
        json=True,
    ),
    Case(
        "api-parts:freight-sign",
        LEADERS,
        kwargs=lambda w: _freight_kw(w, handler_signed=True),
        method="post",
        data=lambda w: {},
        json=True,
        label="leader",
    ),
    Case("api-parts:claim-create", NOBODY, kwargs=_stocked, method="post", data=lambda w: {}, json=True),
    Case(
        "api-parts:claim-step",
        NOBODY,
        kwargs=lambda w: {**_claim_kw(w), "step": "accept"},
        method="post",
        data=lambda w: {"note": "x"},
        json=True,
    ),
]
