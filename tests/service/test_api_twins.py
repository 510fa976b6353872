"""The field evidence and the service records through the API twins of the pages: arrival check-in,
photos (added by who works the record, listed and served to who sees it), the customer's link of a
signed report, the call log — the pages' forms, services and permissions."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.service import services
from aftersales.service.models import CheckIn, OrderStatus
from tests.service.test_field_evidence import jpeg

pytestmark = pytest.mark.django_db


def _upload(data: bytes, name: str = "a.jpg") -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def test_r8_2_the_check_in_through_the_api(client, flow, people):
    order = flow.dispatched()
    url = reverse("api-service:order-check-in", args=[order.pk])
    client.force_login(people.u["regional"])  # sees the order, was not sent: the page's rule
    assert client.post(url, {"position": "refused"}, content_type="application/json").status_code == 403
    client.force_login(people.u["engineer3"])  # does not see it
    assert client.post(url, {"position": "refused"}, content_type="application/json").status_code == 404
    client.force_login(people.u["engineer"])
    answer = client.post(url, {"position": "refused"}, content_type="application/json")
    assert answer.status_code == 201
    check_in = CheckIn.objects.get(pk=answer.json()["id"])
    order.refresh_from_db()
    assert check_in.order_id == order.pk and order.status == OrderStatus.ON_SITE


def test_photos_are_added_listed_and_served_through_the_api(client, flow, people):
    order = flow.on_site()
    url = reverse("api-service:order-photos", args=[order.pk])
    client.force_login(people.u["engineer"])
    added = client.post(url, {"kind": "fault", "photos": [_upload(jpeg())]})
    assert added.status_code == 201
    (photo,) = added.json()
    assert photo["content_type"] == "image/jpeg" and photo["taken_at"]
    client.force_login(people.u["regional"])  # sees the order, does not work it
    assert [p["id"] for p in client.get(url).json()] == [photo["id"]]
    assert client.post(url, {"kind": "fault", "photos": [_upload(jpeg())]}).status_code == 403
    served = client.get(photo["url"] + "?download=1")
    assert served.status_code == 200 and served["Content-Disposition"].startswith("attachment")
    assert b"".join(served.streaming_content) == jpeg()
    client.force_login(people.u["outsider"])
    assert client.get(url).status_code == 404 and client.get(photo["url"]).status_code == 404


def test_a_file_that_is_no_image_is_refused_with_the_one_shape(client, flow, people):
    order = flow.on_site()
    client.force_login(people.u["engineer"])
    url = reverse("api-service:order-photos", args=[order.pk])
    refused = client.post(url, {"kind": "fault", "photos": [_upload(b"<html></html>", "a.html")]})
    assert refused.status_code == 400 and set(refused.json()) == {"detail", "field"}


def test_the_photo_list_takes_a_fixed_number_of_queries(client, flow, people):
    order = flow.on_site()
    url = reverse("api-service:order-photos", args=[order.pk])
    client.force_login(people.u["engineer"])

    def add(count: int) -> int:
        for _ in range(count):
            services.photos_add(
                actor=people.u["engineer"],
                kind="fault",
                uploads=[services.Upload("a.jpg", "", jpeg())],
                target=services.PhotoTarget(order=order),
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    # the session and user, the order through its access helper, the photos: one query, whatever their number
    assert add(1) == add(4)


def test_r8_6_the_customers_link_of_a_signed_report(client, flow, people):
    report = flow.signed()
    url = reverse("api-service:report-confirmation", args=[report.pk])
    client.force_login(people.u["engineer"])
    link = client.get(url).json()["url"]
    assert link.startswith("http://testserver/c/")
    client.logout()
    assert client.get(link).status_code == 200  # the customer's own page


def test_the_call_log_through_the_api(client, people):
    client.force_login(people.u["dispatcher"])
    body = {
        "received_at": "2026-11-02T09:00",
        "channel": "phone",
        "caller": "天津公交集团",
        "content": "询问保养周期",
        "handler": people.e["dispatcher"].pk,
    }
    made = client.post(reverse("api-service:call-create"), body, content_type="application/json")
    assert made.status_code == 201
    pk = made.json()["id"]
    answered = client.post(
        reverse("api-service:call-answer", args=[pk]), {"answer": "半年一次"}, content_type="application/json"
    )
    assert answered.status_code == 200
    assert client.post(reverse("api-service:call-file", args=[pk])).status_code == 200
