"""The service API (/api/service/): the same actions and refusals as the pages, paginated lists."""

import base64

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.service.demo import signature_png
from tests.service.conftest import HOUR

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_an_order_through_the_api(client, people):
    client.force_login(people.u["dispatcher"])
    received = timezone.now() - 3 * HOUR
    created = _post(
        client,
        reverse("api-service:order-list"),
        {
            "received_at": received.isoformat(),
            "channel": "email",
            "customer": "广州公交集团",
            "contact_name": "陈主任",
            "unit_model": "ZK6105",
            "unit_number": "车-3001",
            "site": "广州芳村车场",
            "fault": "chassis_engine",
            "description": "发动机异响",
        },
    )
    assert created.status_code == 201, created.content
    order = created.json()
    assert (order["required_milestone"], order["deadline_state"]) == ("written_contact", "open")
    pk = order["id"]
    dispatched = _post(
        client,
        reverse("api-service:order-action", args=[pk, "dispatch"]),
        {"engineers": [people.e["engineer"].pk, people.e["engineer2"].pk]},
    )
    assert dispatched.status_code == 400  # two engineers, nobody in charge
    dispatched = _post(
        client,
        reverse("api-service:order-action", args=[pk, "dispatch"]),
        {
            "engineers": [people.e["engineer"].pk, people.e["engineer2"].pk],
            "in_charge": people.e["engineer"].pk,
        },
    )
    assert [e["in_charge"] for e in dispatched.json()["engineers"]] == [True, False]
    client.force_login(people.u["engineer"])
    contacted = _post(
        client, reverse("api-service:order-action", args=[pk, "milestone"]), {"milestone": "written_contact"}
    )
    assert (contacted.json()["status"], contacted.json()["deadline_state"]) == ("replied", "met")
    assert _post(client, reverse("api-service:order-action", args=[pk, "fly"]), {}).status_code == 404


def test_the_api_refuses_to_sign_an_unfinished_report(client, flow, people):
    report = flow.report(flow.resolved(), complete=False)
    client.force_login(people.u["engineer"])
    url = reverse("api-service:report-action", args=[report.pk, "sign"])
    drawn = "data:image/png;base64," + base64.b64encode(signature_png()).decode()
    unsigned = _post(client, url, {"signed_by": "刘工"})
    assert unsigned.status_code == 400 and "signature" in unsigned.json()
    refused = _post(client, url, {"signed_by": "刘工", "signature": drawn})
    assert refused.status_code == 400 and "不能请用户签字" in refused.json()["detail"]
    updated = _post(
        client,
        reverse("api-service:report-action", args=[report.pk, "update"]),
        {
            "fault_reported": "车门无法关闭",
            "warranty_eligible": True,
            "dismantled_before": False,
            "cause_found": "电磁阀卡滞",
            "handling": "更换电磁阀",
            "responsibility": "product",
            "part_lines": [{"part": "DC-12 电磁阀", "quantity": 1, "reason": "卡滞"}],
        },
    )
    assert updated.status_code == 200 and updated.json()["part_lines"][0]["part"] == "DC-12 电磁阀"
    signed = _post(client, url, {"signed_by": "刘工", "stamped": True, "signature": drawn})
    assert signed.json()["is_signed"] is True


def test_lists_are_paginated_and_scoped(client, flow, people):
    mine = flow.dispatched("engineer")
    colleague = flow.dispatched("engineer3")
    client.force_login(people.u["engineer"])
    body = client.get(reverse("api-service:order-list")).json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] <= 50  # one page
    ids = {order["id"] for order in body["results"]}
    assert mine.pk in ids and colleague.pk not in ids
    client.force_login(people.u["outsider"])
    assert client.get(reverse("api-service:order-list")).json()["count"] == 0


def test_kpis_by_month(client, people):
    client.force_login(people.u["head"])
    body = client.get(reverse("api-service:kpis"), {"month": "2024-05"}).json()
    assert body["month"] == "2024-05" and body["total"]["timeliness"] is None
    assert client.get(reverse("api-service:kpis"), {"month": "2024-13"}).status_code == 400
