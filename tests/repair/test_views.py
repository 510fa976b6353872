"""The repair pages as the repair lead and the technicians use them (R-10.1, R-10.2, R-10.3, R-3.4)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.repair.models import RepairJob
from tests.parts.conftest import count_queries
from tests.repair.conftest import at

pytestmark = pytest.mark.django_db

KPIS = reverse("repair:kpis") + "?month=2025-06"


def test_r10_1_lead_registers_a_job_and_the_technician_completes_it(as_user, techs):
    received = timezone.localtime() - timezone.timedelta(hours=3)
    data = {
        "technician": techs[0].pk,
        "unit_serial": "SN-77",
        "product": "门控器",
        "fault": "无输出",
        "received_at": received.strftime("%Y-%m-%dT%H:%M"),
    }
    response = as_user("repairlead").post(reverse("repair:job-create"), data)
    job = RepairJob.objects.get(unit_serial="SN-77")
    assert response.url == reverse("repair:job-detail", args=[job.pk])
    done = {"completed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "result": "更换电容"}
    as_user("technician").post(reverse("repair:job-complete", args=[job.pk]), done)
    job.refresh_from_db()
    assert (job.is_open, job.result) == (False, "更换电容")


def test_r10_1_a_technician_cannot_register_for_a_colleague(as_user, techs):
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data = {"technician": techs[1].pk, "unit_serial": "SN-1", "product": "p", "received_at": now}
    response = as_user("technician").post(reverse("repair:job-create"), data)
    assert response.status_code == 200  # the colleague is not a choice
    assert not RepairJob.objects.filter(unit_serial="SN-1").exists()


def test_r10_2_r3_4_kpi_page_shows_rates_bands_ranking_and_evidence(as_user, june):
    page = as_user("repairlead").get(KPIS).content.decode()
    assert "郑浩" in page and "冯军" in page
    assert "50.00%" in page and "100.00%" in page
    assert "完成60%及以下" in page and "返修率50%及以上" in page  # the bands of form 4.3
    assert "第 1 / 2 名" in page and "第 2 / 2 名" in page
    assert june["a2"].number in page and "超期" in page  # the late job behind 郑浩's rate
    assert june["a0"].number in page  # his repair whose unit came back


def test_r10_2_a_technician_sees_their_own_figures_and_evidence_only(as_user, june):
    page = as_user("technician").get(KPIS).content.decode()
    assert "郑浩" in page and "冯军" not in page
    assert june["a1"].number in page
    assert june["b2"].number not in page
    assert as_user("technician").get(reverse("repair:job-detail", args=[june["a0"].pk])).status_code == 200


def test_r1_1_engineers_and_outsiders_are_kept_out(as_user):
    for name in ["engineer", "regional", "outsider"]:
        assert as_user(name).get(reverse("repair:kpis")).status_code == 403


@pytest.mark.parametrize("url", [reverse("repair:jobs"), reverse("repair:index"), KPIS])
def test_lists_take_a_fixed_number_of_queries(as_user, users, techs, url):
    client = as_user("repairlead")

    def add(count, day):
        for index in range(count):
            RepairJob.objects.create(
                technician=techs[index % 2],
                unit_serial=f"Q-{day}-{index}",
                product="p",
                received_at=at(6, day),
                completed_at=at(6, day + 2) if index % 3 else None,
                created_by=users["repairlead"],
            )

    add(2, 3)
    few = count_queries(client, url)
    add(6, 10)
    assert count_queries(client, url) == few
