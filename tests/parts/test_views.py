"""The parts pages as the keeper, an engineer and their supervisor use them (SPEC §9), and their
query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.parts import services
from aftersales.parts.models import (
    FreightCharge,
    Movement,
    Part,
    Receipt,
    Requisition,
    StockBalance,
    SupplierClaim,
)
from tests.parts.conftest import approved, count_queries, issued_to, make_report

pytestmark = pytest.mark.django_db


def on_hand(store, part):
    return StockBalance.objects.get(store=store, part=part, stock="on_hand").quantity


def lines(*rows):
    data = {"lines-TOTAL_FORMS": "5", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0"}
    data["lines-MAX_NUM_FORMS"] = "50"
    for index, (part, quantity) in enumerate(rows):
        data[f"lines-{index}-part"] = str(part.pk)
        data[f"lines-{index}-quantity"] = str(quantity)
    return data


def test_r9_2_keeper_receives_and_prints_the_slip_in_two_copies(as_user, stores, part):
    client = as_user("keeper")
    url = reverse("parts:receipt-create", args=[stores[0].pk])
    response = client.post(url, {"delivered_by": "周师傅", "note": "到货", **lines((part, 4))})
    receipt = Receipt.objects.get(store=stores[0])
    assert response.status_code == 302
    assert response.url == reverse("parts:receipt-slip", args=[receipt.pk])
    slip = client.get(response.url).content.decode()
    assert slip.count("备用件接收单一式二份") == 2
    assert "第一联" in slip and "第二联" in slip
    assert on_hand(stores[0], part) == 4


def test_r9_2_receipt_without_lines_is_refused_on_the_form(as_user, stores):
    response = as_user("keeper").post(reverse("parts:receipt-create", args=[stores[0].pk]), lines())
    assert response.status_code == 200
    assert "至少需要一种配件" in response.content.decode()
    assert not Movement.objects.filter(store=stores[0]).exists()


def test_r9_3_engineer_proposes_supervisor_approves_keeper_issues(as_user, stocked, part):
    data = {"store": stocked.pk, "part": part.pk, "quantity": 2, "reason": "车门接触器烧毁"}
    response = as_user("engineer").post(reverse("parts:requisition-create"), data)
    requisition = Requisition.objects.get(part=part)
    assert response.url == reverse("parts:requisition-detail", args=[requisition.pk])
    as_user("regional").post(reverse("parts:requisition-approve", args=[requisition.pk]), {"note": "同意"})
    response = as_user("keeper").post(reverse("parts:requisition-issue", args=[requisition.pk]))
    assert response.status_code == 302
    requisition.refresh_from_db()
    assert requisition.status == "issued"
    assert on_hand(stocked, part) == 3


def test_r9_2_issue_beyond_stock_shows_the_refusal(as_user, users, stocked, part):
    requisition = approved(users, stocked, part, quantity=9)
    client = as_user("keeper")
    response = client.post(reverse("parts:requisition-issue", args=[requisition.pk]), follow=True)
    assert "库存不足" in response.content.decode()
    assert on_hand(stocked, part) == 5


def test_r9_2_keeper_takes_back_the_old_part_and_writes_off_on_the_page(as_user, users, stocked, part):
    requisition = issued_to(users, stocked, part)
    report = make_report(users["engineer"].employee, part, approver=users["regional"])
    client = as_user("keeper")
    detail = client.get(reverse("parts:requisition-detail", args=[requisition.pk])).content.decode()
    assert str(report) in detail  # the signed, approved report is offered
    write_off = reverse("parts:write-off", args=[requisition.pk])
    refused = client.post(write_off, {"wo-service_report": report.pk, "wo-quantity": 1}, follow=True)
    assert "旧件尚未交回" in refused.content.decode()
    client.post(
        reverse("parts:old-part-return", args=[requisition.pk]), {"old-quantity": 1, "old-note": "完好"}
    )
    client.post(write_off, {"wo-service_report": report.pk, "wo-quantity": 1})
    requisition.refresh_from_db()
    assert requisition.status == "closed"


def test_r9_2_stocktake_page_posts_differences_and_shows_book_vs_counted(as_user, stocked, part):
    client = as_user("keeper")
    response = client.post(reverse("parts:stocktake-create", args=[stocked.pk]), {f"count_{part.pk}": 4})
    page = client.get(response.url).content.decode()
    assert "账物一致" in page and "不符，已调整" in page
    assert on_hand(stocked, part) == 4


def test_r9_2_keeper_reverses_a_receipt_on_the_ledger_page(as_user, stocked, part):
    movement = Movement.objects.get(store=stocked)
    as_user("keeper").post(reverse("parts:movement-reverse", args=[movement.pk]), {"reason": "重复录入"})
    assert on_hand(stocked, part) == 0
    assert Movement.objects.filter(reversal_of=movement).exists()


def test_r9_2_keeper_disposes_old_parts_of_the_month(as_user, users, stocked, part):
    requisition = issued_to(users, stocked, part)
    services.old_part_return(requisition=requisition, quantity=1, actor=users["keeper"])
    from django.utils import timezone

    month = timezone.localdate().strftime("%Y-%m")
    as_user("keeper").post(reverse("parts:disposal", args=[stocked.pk]), {"month": month, "note": "报废"})
    assert StockBalance.objects.get(store=stocked, part=part, stock="old").quantity == 0


def test_r1_1_engineers_do_not_see_the_store_ledgers(as_user, stocked):
    assert as_user("engineer").get(reverse("parts:store-detail", args=[stocked.pk])).status_code == 404
    assert as_user("engineer").get(reverse("parts:stores")).status_code == 403


def test_r9_3_supervisor_sees_the_teams_open_items_and_not_others(as_user, users, stocked, part):
    for name in ["engineer", "technician"]:
        issued_to(users, stocked, part, engineer=name)
    page = as_user("regional").get(reverse("parts:open-items")).content.decode()
    assert users["engineer"].employee.name in page
    assert users["technician"].employee.name not in page


# --- query counts: a list costs the same with 2 rows as with 8 ---------------------------------------------


LISTS = [
    ("keeper", "parts:index", False),
    ("keeper", "parts:catalogue", False),
    ("keeper", "parts:stores", False),
    ("keeper", "parts:store-detail", True),
    ("keeper", "parts:requisitions", False),
    ("regional", "parts:open-items", False),
    ("engineer", "parts:freight", False),
    ("keeper", "parts:claims", False),
]


@pytest.mark.parametrize(("who", "name", "by_store"), LISTS)
def test_list_pages_take_a_fixed_number_of_queries(as_user, users, stocked, part, who, name, by_store):
    """Sessions, user, roles, employee and scope, then one query per list (rows, count)."""
    client = as_user(who)
    url = reverse(name, args=[stocked.pk] if by_store else [])

    def grow(count):
        for _ in range(count):
            issued_to(users, stocked, part)
        for index in range(count):
            Part.objects.create(number=f"Q-{Part.objects.count()}-{index}", name="件")
            services.freight_record(
                store=stocked,
                handler=users["engineer"].employee,
                description="x",
                amount=1,
                actor=users["keeper"],
            )
            services.claim_create(
                store=stocked,
                supplier=part.supplier,
                part=part,
                quantity=1,
                reason="x",
                amount_claimed=1,
                actor=users["keeper"],
            )

    grow(1)
    few = count_queries(client, url)
    grow(3)
    assert count_queries(client, url) == few


def test_r9_4_freight_recorded_by_the_keeper_signed_by_handler_then_leader(as_user, users, stocked):
    engineer = users["engineer"].employee
    data = {"store": stocked.pk, "handler": engineer.pk, "description": "快递", "amount": "12.50"}
    response = as_user("keeper").post(reverse("parts:freight-create"), {**data, "shipped_on": "2026-11-02"})
    assert response.status_code == 302
    charge = FreightCharge.objects.get(store=stocked)
    as_user("engineer").post(reverse("parts:freight-sign", args=[charge.pk]))
    as_user("regional").post(reverse("parts:freight-sign", args=[charge.pk]))
    charge.refresh_from_db()
    assert charge.written_off
    assert "已核销" in as_user("engineer").get(reverse("parts:freight")).content.decode()


def test_r9_5_claim_from_registration_to_recovery_on_the_pages(as_user, stocked, part):
    client = as_user("keeper")
    data = {"store": stocked.pk, "supplier": part.supplier.pk, "part": part.pk, "quantity": 2}
    response = client.post(
        reverse("parts:claim-create"), {**data, "reason": "批量烧毁", "amount_claimed": "300"}
    )
    claim = SupplierClaim.objects.get(store=stocked)
    assert response.url == reverse("parts:claim-detail", args=[claim.pk])
    for step, body in [("submit", {}), ("accept", {"note": "同意"}), ("recover", {"amount": "280"})]:
        client.post(reverse("parts:claim-step", args=[claim.pk, step]), body)
    claim.refresh_from_db()
    assert (claim.status, str(claim.amount_recovered)) == ("recovered", "280.00")


def test_the_admin_without_an_employee_record_opens_the_parts_desk(client, org):
    """The system administrator has no employee record: the desk lists nothing of their own (it was a
    500: the empty list lacked the progress columns the open-items list reads)."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get(reverse("parts:index"))
    assert response.status_code == 200
    assert response.context["my_open"] == []


def test_r9_2_the_ledger_lists_newest_first_by_time_then_entry(as_user, users, stocked, part):
    """A receipt booked late with an earlier time (a slip entered the next morning) sits at its time,
    not at the top; two movements of the same time keep their entry order, the later one first."""
    import re
    from datetime import timedelta

    from django.utils import timezone

    from aftersales.parts.models import Movement

    keeper, hour_ago = users["keeper"], timezone.now() - timedelta(hours=1)
    first = Movement.objects.get(store=stocked)  # the fixture's receipt, now
    for note, at in (
        ("第二批", hour_ago),
        ("第三批", hour_ago),
        ("补录昨日到货", hour_ago - timedelta(days=1)),
    ):
        services.receipt_create(store=stocked, lines=[(part, 2)], actor=keeper, note=note, at=at)
    second, third, late = Movement.objects.filter(store=stocked).exclude(pk=first.pk).order_by("id")
    html = as_user("keeper").get(reverse("parts:store-detail", args=[stocked.pk])).content.decode()
    listed = [int(pk) for pk in re.findall(r"/parts/movements/(\d+)/reverse/", html)]
    assert listed == [first.pk, third.pk, second.pk, late.pk]


def test_refused_steps_answer_in_place_with_the_reason(as_user, users, stocked, part):
    """Issue 11: a refused issue, approval or reversal answers on its page (400) with why, no redirect."""
    requisition = approved(users, stocked, part, quantity=9)
    response = as_user("keeper").post(reverse("parts:requisition-issue", args=[requisition.pk]))
    assert response.status_code == 400 and 'id="refusal"' in response.content.decode()
    assert "库存不足" in response.content.decode() and on_hand(stocked, part) == 5
    response = as_user("regional").post(
        reverse("parts:requisition-approve", args=[requisition.pk]), {"note": "再批一次"}
    )
    assert response.status_code == 400 and 'id="refusal"' in response.content.decode()
    assert response.context["decision_form"]["note"].value() == "再批一次"  # kept as typed
    movement = Movement.objects.filter(store=stocked).first()
    response = as_user("keeper").post(reverse("parts:movement-reverse", args=[movement.pk]), {"reason": ""})
    assert response.status_code == 400 and "请填写冲销原因" in response.content.decode()
    assert not Movement.objects.filter(reversal_of=movement).exists()
