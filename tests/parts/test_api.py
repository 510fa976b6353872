"""The parts API (/api/parts/): catalogue, balances, ledger, requisitions — same permissions as the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.parts.conftest import approved, count_queries, issued_to

pytestmark = pytest.mark.django_db


def test_r9_3_requisition_flow_through_the_api(api, stocked, part):
    body = {"store": stocked.pk, "part": part.pk, "quantity": 2, "reason": "更换"}
    created = api("engineer").post(reverse("api-parts:requisition-list"), body, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["status"] == "proposed"
    assert api("engineer").post(reverse("api-parts:requisition-approve", args=[pk])).status_code == 403
    decided = api("regional").post(reverse("api-parts:requisition-approve", args=[pk]), {"note": "同意"})
    assert decided.json()["status"] == "approved"
    issued = api("keeper").post(reverse("api-parts:requisition-issue", args=[pk]))
    assert issued.json()["status"] == "issued"
    balances = api("keeper").get(reverse("api-parts:balance-list"), {"store": stocked.pk}).json()["results"]
    assert {(b["stock"], b["quantity"]) for b in balances} == {("on_hand", 3), ("on_loan", 2)}


def test_r9_2_issue_beyond_stock_is_a_400_and_changes_nothing(api, users, stocked, part):
    requisition = approved(users, stocked, part, quantity=6)
    response = api("keeper").post(reverse("api-parts:requisition-issue", args=[requisition.pk]))
    assert response.status_code == 400
    requisition.refresh_from_db()
    assert requisition.status == "approved"


def test_r1_1_engineers_read_the_catalogue_not_the_ledger(api, stocked):
    assert api("engineer").get(reverse("api-parts:part-list")).status_code == 200
    assert api("engineer").get(reverse("api-parts:movement-list")).status_code == 403
    assert api("outsider").get(reverse("api-parts:part-list")).status_code == 403


def test_r9_2_movements_are_read_only_in_the_api(api, stocked):
    url = reverse("api-parts:movement-list")
    assert api("keeper").post(url, {}, format="json").status_code == 405
    rows = api("keeper").get(url, {"store": stocked.pk}).json()["results"]
    assert [(m["kind"], m["quantity"], m["actor"]) for m in rows] == [("receipt", 5, "keeper")]


@pytest.mark.parametrize(
    "name", ["api-parts:movement-list", "api-parts:requisition-list", "api-parts:part-list"]
)
def test_api_lists_take_a_fixed_number_of_queries(api, users, stocked, part, name):
    client = api("keeper")

    def issue(count):
        for _ in range(count):
            issued_to(users, stocked, part)

    url = reverse(name)
    issue(1)
    few = count_queries(client, url)
    issue(4)
    assert count_queries(client, url) == few
