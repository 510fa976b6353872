"""Replaying a create (double click, resubmitted page, an API client retrying) makes one record: the page
form's one-use token and the API's Idempotency-Key (aftersales.web.idempotency)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from aftersales.service.models import WorkOrder
from tests.service.conftest import HOUR

pytestmark = pytest.mark.django_db


def _order(customer):
    return {
        "received_at": (timezone.localtime() - HOUR).strftime("%Y-%m-%dT%H:%M"),
        "channel": "phone",
        "customer": customer,
        "contact_name": "王师傅",
        "unit_model": "XMQ6127",
        "unit_number": "车-2001",
        "site": "天津西站",
        "distance_km": "30",
        "fault": "body",
        "description": "雨刮失灵",
    }


def test_the_order_form_carries_a_one_use_token(client, people):
    client.force_login(people.u["dispatcher"])
    page = client.get(reverse("service:order-create")).content.decode()
    assert 'name="form_token"' in page


def test_a_replayed_order_form_creates_one_order_and_answers_as_the_first_time(client, people):
    client.force_login(people.u["dispatcher"])
    data = {**_order("重放测试客户"), "form_token": "t-1"}
    first = client.post(reverse("service:order-create"), data)
    again = client.post(reverse("service:order-create"), data)
    assert WorkOrder.objects.filter(customer="重放测试客户").count() == 1
    assert (
        (again.status_code, again["Location"])
        == (first.status_code, first["Location"])
        == (
            302,
            reverse("service:order-detail", args=[WorkOrder.objects.get(customer="重放测试客户").pk]),
        )
    )
    assert again["Idempotent-Replay"] == "true"
    client.post(reverse("service:order-create"), {**data, "form_token": "t-2"})
    assert WorkOrder.objects.filter(customer="重放测试客户").count() == 2  # a new form is a new order


def test_a_refused_form_leaves_its_token_usable(client, people):
    client.force_login(people.u["dispatcher"])
    data = {**_order("更正后提交"), "form_token": "t-3"}
    refused = client.post(reverse("service:order-create"), {**data, "customer": ""})
    assert refused.status_code == 200  # the form with its errors: nothing created
    corrected = client.post(reverse("service:order-create"), data)
    assert corrected.status_code == 302
    assert WorkOrder.objects.filter(customer="更正后提交").count() == 1


def test_the_same_token_of_another_user_is_not_their_answer(client, people):
    data = {**_order("两人同键"), "form_token": "shared"}
    client.force_login(people.u["dispatcher"])
    client.post(reverse("service:order-create"), data)
    client.force_login(people.u["head"])
    client.post(reverse("service:order-create"), data)
    assert WorkOrder.objects.filter(customer="两人同键").count() == 2


def _api_order(customer):
    return {**_order(customer), "received_at": (timezone.now() - HOUR).isoformat()}


def test_an_api_create_with_the_same_idempotency_key_answers_the_first_order(people):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=people.u['dispatcher']).key}")
    url = reverse("api-service:order-list")
    first = api.post(url, _api_order("接口重放"), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(url, _api_order("接口重放"), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert WorkOrder.objects.filter(customer="接口重放").count() == 1
    api.post(url, _api_order("接口重放"), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert WorkOrder.objects.filter(customer="接口重放").count() == 2


def test_an_idempotency_key_used_on_another_endpoint_is_refused(people):
    api = APIClient()
    api.force_login(people.u["dispatcher"])
    api.post(
        reverse("api-service:order-list"), _api_order("换端点"), format="json", HTTP_IDEMPOTENCY_KEY="k-9"
    )
    other = api.post(reverse("api-service:complaint-list"), {}, format="json", HTTP_IDEMPOTENCY_KEY="k-9")
    assert other.status_code == 422
