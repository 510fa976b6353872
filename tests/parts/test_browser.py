"""In the browser (R-9.2, R-9.3): a warranty part of the demo from requisition to write-off, with the
ledger checked after; the repair KPI page on a technician's phone. Runs with the browser tests
(`make test-browser`): it uses their fixtures."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser, login, page, phone_page, screenshot  # noqa: F401 — fixtures
from tests.parts.browser_steps import propose_approve_issue, return_and_write_off

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _report_not_yet_written_off():
    from aftersales.service.selectors import final_reports

    reports = final_reports().filter(engineer__user__username="engineer", part_lines__part__contains="JC-220")
    return reports.filter(part_write_offs__isnull=True).order_by("signed_at").first()


def test_warranty_part_from_requisition_to_write_off(page, phone_page, live_server, demo):  # noqa: F811
    from aftersales.parts.models import StockBalance, Store

    report = _report_not_yet_written_off()
    north = Store.objects.get(code="station-north")
    before = StockBalance.objects.get(store=north, part__number="JC-220", stock="on_hand").quantity
    url = propose_approve_issue(phone_page, page, live_server, part="JC-220", work_order=report.order.number)
    return_and_write_off(page, live_server, url, report=str(report))

    page.goto(f"{live_server.url}/parts/stores/{north.pk}/")
    row = page.locator("#holdings tr", has_text="JC-220")
    cells = row.locator("td").all_inner_texts()
    assert cells[2:5] == [str(before - 1), "1", "2"]  # on hand, on loan (孙涛's), old parts
    screenshot(page, "parts-4-ledger")


def test_technician_sees_own_kpis_on_the_phone(phone_page, live_server, demo):  # noqa: F811
    login(phone_page, live_server, "technician")
    phone_page.goto(f"{live_server.url}/repair/kpis/")
    cards = phone_page.locator(".kpi-card")
    assert cards.count() == 1
    assert "郑浩" in cards.first.inner_text()
    assert "91.67%" in cards.first.locator(".seven-day-rate").inner_text()
    phone_page.locator(".evidence summary").first.click()
    screenshot(phone_page, "repair-kpis-phone")
