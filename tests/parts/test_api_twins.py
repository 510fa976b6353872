"""The keeper's acts through the API twins of the parts pages (R-9.2–R-9.5): the pages' forms parse,
the pages' services act, refusals answer the one shape {"detail", "field"} (aftersales.ui.api_errors)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.parts.models import Movement, StockBalance
from tests.parts.conftest import issued_to, make_report

pytestmark = pytest.mark.django_db


def _on_hand(store, part) -> int:
    balance = StockBalance.objects.filter(store=store, part=part, stock=Movement.Stock.ON_HAND).first()
    return balance.quantity if balance else 0


def test_r9_2_receipt_and_stocktake_through_the_api(api, stocked, part):
    keeper = api("keeper")
    url = reverse("api-parts:receipt-create", args=[stocked.pk])
    received = keeper.post(
        url, {"delivered_by": "厂家", "lines": [{"part": part.pk, "quantity": 3}]}, format="json"
    )
    assert received.status_code == 201 and received.json()["id"]
    assert _on_hand(stocked, part) == 8
    url = reverse("api-parts:stocktake-create", args=[stocked.pk])
    counted = keeper.post(url, {"note": "月末", "counts": [{"part": part.pk, "counted": 7}]}, format="json")
    assert counted.status_code == 201
    assert _on_hand(stocked, part) == 7  # the difference posted as an adjustment


def test_r9_2_a_bad_line_is_the_forms_error_and_changes_nothing(api, stocked, part):
    url = reverse("api-parts:receipt-create", args=[stocked.pk])
    refused = api("keeper").post(url, {"lines": [{"part": part.pk}]}, format="json")
    assert refused.status_code == 400 and "lines" in refused.json()
    assert _on_hand(stocked, part) == 5


def test_r9_3_old_part_return_and_write_off_through_the_api(api, users, stocked, part):
    requisition = issued_to(users, stocked, part)
    report = make_report(users["engineer"].employee, part)
    keeper = api("keeper")
    returned = keeper.post(reverse("api-parts:old-part-return", args=[requisition.pk]), {"quantity": 1})
    assert returned.status_code == 201
    url = reverse("api-parts:write-off", args=[requisition.pk])
    written = keeper.post(url, {"service_report": report.pk, "quantity": 1}, format="json")
    assert written.status_code == 201
    assert api("engineer").post(url, {"service_report": report.pk, "quantity": 1}).status_code == 403


def test_a_refusal_names_its_field(api, users, stocked, part):
    """R-9.5's recovery needs an amount: the service's refusal is {"detail", "field"}, 400."""
    from aftersales.parts import services
    from aftersales.parts.models import SupplierClaim

    claim = services.claim_create(
        actor=users["keeper"],
        store=stocked,
        supplier=part.supplier,
        part=part,
        quantity=1,
        reason="质量问题",
        amount_claimed=100,
    )
    assert isinstance(claim, SupplierClaim)
    url = reverse("api-parts:claim-step", args=[claim.pk, "recover"])
    refused = api("keeper").post(url, {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["field"] == "amount" and refused.json()["detail"]


def test_r9_2_an_entry_is_reversed_once(api, stocked):
    movement = Movement.objects.get(store=stocked, kind="receipt")
    url = reverse("api-parts:movement-reverse", args=[movement.pk])
    assert api("keeper").post(url, {"reason": "录错"}).status_code == 201
    again = api("keeper").post(url, {"reason": "录错"})
    assert again.status_code == 400 and again.json()["field"] == "movement"
