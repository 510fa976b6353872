"""A work order from receipt to a signed, approved report, with a warranty part issued and written off
(R-8.2, R-8.3, R-8.4, R-9.2, R-9.3).

The dispatcher 林芳 receives the request and dispatches 赵磊; 赵磊, on his phone, records his arrival
(the deadline verdict turns "按时") and asks for a warranty part, which 陈刚 approves and 何静 issues
(the parts area's steps, tests/parts/browser_steps.py); 赵磊 fits it, resolves the order, fills in the service
report — the customer's signature is refused while it is unfinished — and takes the signature; 陈刚
approves the report and the order closes; 何静 takes the old part back and writes the new one off
against the approved report: the service station's ledger has one part fewer on hand.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import login, screenshot
from tests.browser.test_field_evidence import draw_signature
from tests.parts.browser_steps import propose_approve_issue, return_and_write_off

pytestmark = pytest.mark.django_db(transaction=True)

CUSTOMER = "天津公交集团(浏览器测试)"
PART = "JC-220"  # a warranty part of the parts demo, in stock at 华北服务站


def fill(page, **fields):
    """Type into the form's fields by name (Django's ids are ``id_<name>``)."""
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)


def receive(page, live_server):
    """林芳 takes down a body fault 60 km away: on site within 24 h of receipt (R-8.2)."""
    login(page, live_server, "dispatcher")
    page.goto(f"{live_server.url}/service/")
    # the demo's order whose on-site deadline passed 6 h ago waits in the overdue list
    assert page.locator("#overdue [data-state=overdue]").count() >= 1
    screenshot(page, "service-0-desk")
    page.click("#new-order")
    received = timezone.localtime() - timedelta(hours=1)
    page.fill("#id_received_at", received.strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_channel", "phone")
    page.select_option("#id_fault", "body")
    fill(
        page,
        customer=CUSTOMER,
        contact_name="王师傅",
        contact_phone="13800001111",
        unit_model="XMQ6127",
        unit_number="车-2001",
        site="天津西站",
        distance_km="60",
        description="前门无法关闭",
    )
    screenshot(page, "service-1-receive")
    page.click("#submit")
    page.wait_for_load_state("networkidle")
    assert page.locator("#required-milestone").inner_text() == "到达现场"
    due = (received + timedelta(hours=24)).strftime("%Y-%m-%d %H:%M")
    assert page.locator("#deadline").inner_text() == due
    assert page.locator(".deadline-badge").first.get_attribute("data-state") == "open"
    return page.url


def dispatch(page):
    page.click("#dispatch")
    page.select_option("#id_engineers", label="E006 赵磊")
    page.fill("#id_travel_advance", "800")
    page.click("#submit")
    page.wait_for_load_state("networkidle")
    assert "赵磊" in page.locator("#engineers").inner_text()
    assert page.locator("[data-status]").first.get_attribute("data-status") == "dispatched"
    screenshot(page, "service-2-dispatched")


def on_site(phone, live_server):
    """赵磊 finds the order on his phone and records his arrival: in time."""
    login(phone, live_server, "engineer")
    phone.goto(f"{live_server.url}/service/")
    phone.click(f"[data-order] >> text={CUSTOMER}")
    phone.select_option("#id_milestone", "on_site")
    phone.click("#record-milestone")  # htmx: the status panel is replaced
    phone.wait_for_selector("[data-status=on_site]")
    assert phone.locator("#order-status .deadline-badge").get_attribute("data-state") == "met"
    assert phone.locator("#on-site-at").inner_text() != "—"
    screenshot(phone, "service-3-on-site-phone")


def fill_report(phone, order_url):
    """The part fitted, 赵磊 resolves the order. The customer may not sign an unfinished report;
    then 赵磊 completes it."""
    phone.goto(order_url)
    phone.click("#resolve")
    phone.wait_for_selector("[data-status=resolved]")
    phone.click("#new-report")
    phone.wait_for_load_state("networkidle")
    report_url = phone.url.replace("edit/", "")
    phone.goto(report_url + "sign/")
    assert "报告未填写完整" in phone.locator("#missing").inner_text()
    phone.fill("#id_signed_by", "王师傅")
    draw_signature(phone)
    phone.click("#confirm-sign")
    phone.wait_for_load_state("networkidle")
    assert "不能请用户签字" in phone.locator(".form-errors").inner_text()
    screenshot(phone, "service-4-sign-refused-phone")

    phone.goto(report_url + "edit/")
    phone.select_option("#id_warranty_eligible", "true")
    phone.select_option("#id_dismantled_before", "false")
    phone.select_option("#id_responsibility", "product")
    fill(
        phone,
        running_time="3100",
        mileage="118000",
        fault_reported="前门无法关闭",
        cause_found="接触器触点烧蚀,前门无法关闭",
        handling="更换接触器,试车正常",
        old_parts_to_return="旧接触器1个",
        **{"parts-0-part": f"{PART} 接触器", "parts-0-reason": "触点烧蚀"},
    )
    screenshot(phone, "service-5-report-form-phone")
    phone.click("#save-report")
    phone.wait_for_load_state("networkidle")
    assert PART in phone.locator("#part-lines").inner_text()
    return report_url


def sign(phone):
    phone.click("#sign-report")
    phone.fill("#id_signed_by", "王师傅")
    phone.check("#id_stamped")
    draw_signature(phone)
    phone.click("#confirm-sign")
    phone.wait_for_load_state("networkidle")
    assert "用户已签字" in phone.locator("#report-state").inner_text()
    assert "王师傅" in phone.locator("#signature").inner_text()
    assert phone.locator("#edit-report").count() == 0  # locked
    screenshot(phone, "service-6-signed-phone")


def approve(page, live_server, order_url):
    """陈刚 finds the report waiting for him, approves it; the order closes, its deadline met."""
    login(page, live_server, "regional")
    page.goto(f"{live_server.url}/service/reports/")
    page.click(f"#awaiting >> text={CUSTOMER}")
    page.click("#approve-report")
    page.wait_for_load_state("networkidle")
    assert "已审批归档" in page.locator("#report-state").inner_text()
    assert "陈刚" in page.locator("#approval").inner_text()
    screenshot(page, "service-7-approved")
    report_label = page.locator("h1").inner_text().removeprefix("服务报告 ")
    page.goto(order_url)
    assert page.locator("[data-status]").first.get_attribute("data-status") == "closed"
    assert page.locator("#order-status .deadline-badge").get_attribute("data-state") == "met"
    assert page.locator("#order-status .deadline-badge").inner_text() == "按时"
    screenshot(page, "service-8-closed")
    page.goto(f"{live_server.url}/service/kpis/")
    assert "赵磊" in page.locator("#kpi-table").inner_text()
    screenshot(page, "service-9-kpis")
    page.context.clear_cookies()
    return report_label


def _on_hand() -> int:
    from aftersales.parts.models import StockBalance

    return StockBalance.objects.get(store__code="station-north", part__number=PART, stock="on_hand").quantity


def test_work_order_from_receipt_to_an_approved_report(page, phone_page, live_server, demo):
    on_hand = _on_hand()
    order_url = receive(page, live_server)
    number = page.locator("h1").inner_text().split(" · ")[0]
    dispatch(page)
    page.context.clear_cookies()
    on_site(phone_page, live_server)
    requisition = propose_approve_issue(phone_page, page, live_server, part=PART, work_order=number)
    fill_report(phone_page, order_url)
    sign(phone_page)
    report = approve(page, live_server, order_url)
    return_and_write_off(page, live_server, requisition, report=report)
    assert _on_hand() == on_hand - 1  # issued from the station's shelf, written off, not put back
