"""At phone width (390 px) wide tables and charts stay readable (issue 13): the store ledger turns each
row into a card instead of squeezing Chinese text to one character per line; the pay charts turn,
thin out and never overlap their axis labels."""

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_store_ledger_reads_as_cards_on_a_phone(phone_page, live_server, demo):
    from aftersales.parts.models import Movement

    store = Movement.objects.order_by("pk").first().store
    login(phone_page, live_server, "keeper")
    phone_page.goto(f"{live_server.url}/parts/stores/{store.pk}/")
    reason = phone_page.locator('#ledger-table td[data-label="事由"]').first
    assert reason.bounding_box()["width"] > 300  # the whole card's width, not one character's
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows the page
    screenshot(phone_page, "parts-ledger-phone")


def test_pay_chart_labels_do_not_overlap_on_a_phone(phone_page, live_server, demo):
    from aftersales.payroll.models import CloseVersion

    version = CloseVersion.objects.order_by("pk").first()
    login(phone_page, live_server, "hr")
    phone_page.goto(f"{live_server.url}/payroll/closes/{version.pk}/")
    phone_page.wait_for_selector(".payroll-chart[data-rendered=true]")
    labels = phone_page.evaluate(
        """Array.from(document.querySelectorAll('.payroll-chart')).map(function (el) {
             return echarts.getInstanceByDom(el).getOption().xAxis[0].axisLabel; })"""
    )
    assert labels and all(label["hideOverlap"] and label["interval"] == "auto" for label in labels)
    assert phone_page.locator('.payroll-chart[data-narrow="true"]').count() == len(labels)
    screenshot(phone_page, "payroll-charts-phone")
