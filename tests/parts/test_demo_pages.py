"""Every parts and repair page renders on the demo data for the people who work with it: the
warehouse keeper 何静, the repair lead 吴强 and technician 郑浩 (demo users `keeper`, `repairlead`,
`technician`), and the demo's parts and repairs are what the brief promised."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from aftersales.core.periods import Month
from aftersales.demo import load_demo
from aftersales.organisation.models import Employee
from aftersales.parts.models import Movement, Part, Receipt, Requisition, Stocktake, Store, SupplierClaim
from aftersales.parts.selectors import parts_open_items_for
from aftersales.repair.models import RepairJob
from aftersales.repair.selectors import repair_kpis_for

pytestmark = pytest.mark.django_db


def _login(client, name):
    client.force_login(get_user_model().objects.get(username=name))
    return client


def test_demo_parts_and_repairs(demo):
    assert Part.objects.count() >= 12
    assert set(Store.objects.values_list("kind", flat=True)) == {"central", "station"}
    statuses = set(Requisition.objects.values_list("status", flat=True))
    assert {"proposed", "closed", "issued"} <= statuses  # open, written off, old part outstanding
    (missing,) = parts_open_items_for(Employee.objects.get(user__username="engineer2"))
    assert missing.old_parts_missing == 1 and missing.overdue
    month = Month.of(timezone.localdate()).shift(-1)
    first = repair_kpis_for(Employee.objects.get(user__username="technician"), month.year, month.month)
    second = repair_kpis_for(Employee.objects.get(user__username="technician2"), month.year, month.month)
    assert first.seven_day_band.code != second.seven_day_band.code
    assert first.second_repair_band.code != second.second_repair_band.code
    assert first.returned_jobs and second.returned_jobs  # second repairs on both sides
    assert first.rank != second.rank
    counts = (Movement.objects.count(), RepairJob.objects.count(), Requisition.objects.count())
    load_demo()
    assert (Movement.objects.count(), RepairJob.objects.count(), Requisition.objects.count()) == counts


def _keeper_pages():
    central = Store.objects.get(code="central")
    store_pages = ["store-detail", "receipt-create", "transfer-create", "stocktake-create", "disposal"]
    yield from (reverse(f"parts:{name}", args=[central.pk]) for name in store_pages)
    for name in ["index", "catalogue", "part-create", "stores", "requisitions", "open-items", "freight"]:
        yield reverse(f"parts:{name}")
    yield from (reverse(f"parts:{name}") for name in ["freight-create", "claims", "claim-create"])
    yield reverse("parts:part-edit", args=[Part.objects.first().pk])
    yield reverse("parts:receipt-slip", args=[Receipt.objects.first().pk])
    yield reverse("parts:stocktake-detail", args=[Stocktake.objects.first().pk])
    yield reverse("parts:claim-detail", args=[SupplierClaim.objects.first().pk])
    yield from (reverse("parts:requisition-detail", args=[r.pk]) for r in Requisition.objects.all())


def test_every_parts_page_renders_for_the_keeper(client, demo):
    client = _login(client, "keeper")
    for url in _keeper_pages():
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("name", ["repairlead", "technician", "head"])
def test_every_repair_page_renders(client, demo, name):
    client = _login(client, name)
    urls = [reverse(f"repair:{page}") for page in ["index", "jobs", "kpis"]]
    jobs = RepairJob.objects.filter(unit_serial="FX-2401")
    if name == "technician":
        jobs = jobs.filter(technician__user__username=name)
    urls += [reverse("repair:job-detail", args=[job.pk]) for job in jobs]
    if name != "head":
        urls.append(reverse("repair:job-create"))
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_demo_kpi_page_shows_both_technicians_to_the_lead(client, demo):
    page = _login(client, "repairlead").get(reverse("repair:kpis")).content.decode()
    assert "91.67%" in page and "75.00%" in page
    assert "第 1 / 2 名" in page
