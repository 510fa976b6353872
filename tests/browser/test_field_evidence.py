"""Field evidence on a phone (390×844), R-8.2, R-8.4, R-8.6: the dispatcher 林芳 dispatches an order with the
site's coordinates; 赵磊 checks in on his phone (geolocation granted, position near the site), adds two
photos from the camera (scaled down on the phone, their EXIF time and GPS kept), resolves the order and
completes the report; the customer draws a signature on the canvas; the report is locked. The customer
opens the link in a browser of their own, without login, rates 4/5 with a comment — and the
satisfaction KPI of the month changes. Screenshots zh and en (docs/screenshots).
"""

from __future__ import annotations

import io
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

CUSTOMER = "天津公交集团(现场凭证)"
SITE = {"latitude": 39.1422, "longitude": 117.1767}  # 天津西站
NEAR = {"latitude": 39.1430, "longitude": 117.1775, "accuracy": 20}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _wait_for_images(page, seconds: float = 15) -> None:
    """Every image of the page has loaded (polled from Python: the CSP forbids the eval that
    ``wait_for_function`` uses in the page)."""
    deadline = time.monotonic() + seconds
    script = "() => [...document.images].every((image) => image.complete && image.naturalWidth > 0)"
    while not page.evaluate(script):
        assert time.monotonic() < deadline, "the page's images did not load"
        page.wait_for_timeout(100)


def camera_jpeg(path, shade: int) -> None:
    """A 3000×2000 photo as a phone camera writes it: EXIF DateTimeOriginal and GPS."""
    image = Image.new("RGB", (3000, 2000), (shade, 120, 200 - shade))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2026:11:30 09:15:00"
    exif.get_ifd(0x8825).update({1: "N", 2: (39.0, 8.0, 31.92), 3: "E", 4: (117.0, 10.0, 36.12)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=92)
    path.write_bytes(buffer.getvalue())


def satisfaction(page, live_server) -> str:
    page.goto(f"{live_server.url}/service/kpis/")
    cell = page.locator("#kpi-table tbody tr").first.locator("td").nth(1)
    return cell.inner_text()


def receive_and_dispatch(page, live_server) -> str:
    login(page, live_server, "dispatcher")
    page.goto(f"{live_server.url}/service/orders/new/")
    received = timezone.localtime() - timedelta(hours=1)
    page.fill("#id_received_at", received.strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_channel", "phone")
    page.select_option("#id_fault", "body")
    for name, value in {
        "customer": CUSTOMER,
        "contact_name": "王师傅",
        "unit_model": "XMQ6127",
        "unit_number": "车-2002",
        "site": "天津西站",
        "distance_km": "60",
        "site_latitude": str(SITE["latitude"]),
        "site_longitude": str(SITE["longitude"]),
        "description": "前门无法关闭",
    }.items():
        page.fill(f"#id_{name}", value)
    page.click("#submit")
    page.wait_for_load_state("networkidle")
    order_url = page.url
    page.click("#dispatch")
    page.select_option("#id_engineers", label="E006 赵磊")
    page.click("#submit")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-status]").first.get_attribute("data-status") == "dispatched"
    page.context.clear_cookies()
    return order_url


def check_in_and_photos(phone, order_url, tmp_path) -> None:
    phone.goto(order_url)
    phone.click("#check-in")  # field.js asks for the position (granted in this context), then posts
    phone.wait_for_selector("#on-site-source")
    assert phone.locator("#on-site-source").inner_text() == "现场签到"
    assert phone.locator("[data-status]").first.get_attribute("data-status") == "on_site"
    check_in = phone.locator("#check-ins li").first
    assert check_in.get_attribute("data-flag") == "" and "39.14" in check_in.inner_text()
    screenshot(phone, "field-check-in-zh-phone")

    files = [tmp_path / "fault.jpg", tmp_path / "nameplate.jpg"]
    for shade, path in enumerate(files):
        camera_jpeg(path, 60 + 80 * shade)
    form = phone.locator("#order-photos form")
    form.locator("select[name=kind]").select_option("fault")
    form.locator("input[type=file]").set_input_files([str(p) for p in files])
    expect(phone.locator("#order-photos form")).to_have_attribute("data-photos-ready", "1")
    form.locator("button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    assert phone.locator("#order-photos [data-photo]").count() == 2
    _wait_for_images(phone)
    screenshot(phone, "field-photos-zh-phone")


def complete_report(phone, order_url) -> str:
    phone.goto(order_url)
    phone.click("#resolve")
    phone.wait_for_selector("[data-status=resolved]")
    phone.click("#new-report")
    phone.wait_for_load_state("networkidle")
    report_url = phone.url.replace("edit/", "")
    phone.select_option("#id_warranty_eligible", "true")
    phone.select_option("#id_dismantled_before", "false")
    phone.select_option("#id_responsibility", "product")
    for name, value in {
        "fault_reported": "前门无法关闭",
        "cause_found": "门泵电磁阀卡滞",
        "handling": "更换电磁阀,试车正常",
    }.items():
        phone.fill(f"#id_{name}", value)
    phone.click("#save-report")
    phone.wait_for_load_state("networkidle")
    return report_url


def draw_signature(phone) -> None:
    """The customer signs with a finger: strokes on the canvas (pointer events from the mouse)."""
    pad = phone.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    phone.mouse.move(x + 0.1 * w, y + 0.6 * h)
    phone.mouse.down()
    for step in range(1, 25):
        phone.mouse.move(x + (0.1 + 0.033 * step) * w, y + (0.6 - 0.3 * ((step % 6) / 5)) * h, steps=2)
    phone.mouse.up()
    phone.mouse.move(x + 0.3 * w, y + 0.8 * h)
    phone.mouse.down()
    phone.mouse.move(x + 0.8 * w, y + 0.75 * h, steps=8)
    phone.mouse.up()


def sign(phone, report_url) -> str:
    phone.goto(report_url)
    phone.click("#sign-report")
    phone.fill("#id_signed_by", "王师傅")
    phone.click("#confirm-sign")  # nothing drawn: the page says so and does not post
    assert phone.locator("[data-signature-empty]").is_visible()
    draw_signature(phone)
    screenshot(phone, "field-signature-zh-phone")
    phone.click("#confirm-sign")
    phone.wait_for_load_state("networkidle")
    assert "用户已签字" in phone.locator("#report-state").inner_text()
    assert phone.locator("#signature img.signature-image").count() == 1
    assert phone.locator("#hash-matches").count() == 1
    assert phone.locator("#edit-report").count() == 0 and phone.locator("#sign-report").count() == 0  # locked
    assert phone.evaluate("document.querySelector('#signature img').naturalWidth") > 0
    screenshot(phone, "field-signed-zh-phone")
    return phone.locator("#customer-url").input_value()


def customer_answers(browser, link) -> None:
    english = browser.new_context(locale="en-US", **PHONE)
    page = english.new_page()
    page.goto(link)
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "field-customer-en-phone")
    english.close()

    context = browser.new_context(locale="zh-CN", **PHONE)  # the customer's own phone: no login
    page = context.new_page()
    page.goto(link)
    assert "王师傅" in page.locator("#customer-report").inner_text()
    page.check("#id_confirmed_0")
    page.click("label[for=id_score_1]")  # 4 · 满意
    page.fill("#id_comment", "来得很快,修得很好")
    screenshot(page, "field-customer-zh-phone")
    page.click("#customer-submit")
    page.wait_for_selector("#customer-thanks")
    screenshot(page, "field-customer-thanks-zh-phone")
    page.goto(link)  # one use
    assert page.locator("#customer-refused").get_attribute("data-reason") == "used"
    context.close()


def test_field_evidence_from_check_in_to_the_customers_rating(browser, page, live_server, demo, tmp_path):
    from aftersales.service.models import Photo, SatisfactionSurvey

    login(page, live_server, "head")
    before = satisfaction(page, live_server)
    page.context.clear_cookies()
    order_url = receive_and_dispatch(page, live_server)

    engineer = browser.new_context(locale="zh-CN", permissions=["geolocation"], geolocation=NEAR, **PHONE)
    phone = engineer.new_page()
    phone.set_default_timeout(15000)
    login(phone, live_server, "engineer")
    check_in_and_photos(phone, order_url, tmp_path)
    photos = list(Photo.objects.filter(order__customer=CUSTOMER))
    assert len(photos) == 2
    for photo in photos:  # scaled down on the phone, the camera's EXIF kept as evidence
        assert max(photo.width, photo.height) == 1600 and photo.taken_at is not None
        assert (round(photo.latitude, 3), round(photo.longitude, 3)) == (
            Decimal("39.142"),
            Decimal("117.177"),
        )
    report_url = complete_report(phone, order_url)
    link = sign(phone, report_url)
    assert "/c/" in link

    engineer.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    phone.goto(report_url)
    screenshot(phone, "field-signed-en-phone")
    phone.goto(order_url)
    _wait_for_images(phone)
    screenshot(phone, "field-order-en-phone")
    engineer.close()

    customer_answers(browser, link)
    survey = SatisfactionSurvey.objects.get(order__customer=CUSTOMER)
    assert (survey.score, survey.source, survey.comments) == (4, "customer", "来得很快,修得很好")

    login(page, live_server, "head")
    after = satisfaction(page, live_server)
    assert after != before, (before, after)
    screenshot(page, "field-kpis-zh-desktop")
