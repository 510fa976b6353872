"""The repair API (/api/repair/): jobs and the month's KPIs with the same access as the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.repair.models import RepairJob

pytestmark = pytest.mark.django_db


def test_r10_2_kpis_with_bands_rank_and_evidence(api, techs, june):
    response = api("repairlead").get(reverse("api-repair:kpis"), {"month": "2025-06"})
    rows = {row["name"]: row for row in response.json()}
    assert rows["郑浩"]["seven_day_rate"] == "50.00"
    assert rows["郑浩"]["seven_day_band"]["code"] == "complete_below_70"
    assert rows["郑浩"]["returned_jobs"] == [june["a0"].pk]
    assert (rows["冯军"]["second_repair_rate"], rows["冯军"]["rank"]) == ("0.00", 1)


def test_r1_1_a_technician_gets_their_own_kpis_only(api, june):
    response = api("technician").get(reverse("api-repair:kpis"), {"month": "2025-06"})
    assert [row["name"] for row in response.json()] == ["郑浩"]


def test_bad_month_is_a_400(api, june):
    assert api("repairlead").get(reverse("api-repair:kpis"), {"month": "June"}).status_code == 400


def test_r10_1_lead_creates_and_completes_a_job(api, techs):
    client = api("repairlead")
    received = (timezone.now() - timezone.timedelta(hours=2)).isoformat()
    body = {"technician": techs[1].pk, "unit_serial": "SN-A", "product": "门控器", "received_at": received}
    created = client.post(reverse("api-repair:job-list"), body, format="json")
    assert created.status_code == 201
    job_url = reverse("api-repair:job-complete", args=[created.json()["id"]])
    early = client.post(job_url, {"completed_at": "2020-01-01T00:00:00+08:00", "result": "x"}, format="json")
    assert early.status_code == 400
    done = client.post(job_url, {"completed_at": timezone.now().isoformat(), "result": "ok"}, format="json")
    assert done.status_code == 200
    assert RepairJob.objects.get(unit_serial="SN-A").completed_at is not None


def test_r1_1_a_technician_cannot_create_a_job_for_a_colleague(api, techs):
    body = {
        "technician": techs[1].pk,
        "unit_serial": "SN",
        "product": "p",
        "received_at": timezone.now().isoformat(),
    }
    assert api("technician").post(reverse("api-repair:job-list"), body, format="json").status_code == 403


def test_job_list_is_paginated_with_fixed_queries(api, june, django_assert_max_num_queries):
    client = api("repairlead")
    # user's roles, employee, headed departments ×2, count, rows
    with django_assert_max_num_queries(8):
        response = client.get(reverse("api-repair:job-list"), {"unit": "SN-"})
    assert response.json()["count"] == len(june)
