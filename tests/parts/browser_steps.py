"""Browser steps of the warranty-part flow (R-9.3), called by the work-order browser test
(tests/browser/test_service_flow.py) while the engineer is on site and after the report is approved.

``propose_approve_issue``: 赵磊 proposes a requisition on his phone, 陈刚 approves it, 何静 issues it.
``return_and_write_off``: 何静 takes back the old part and writes the part off against the approved
report; the store's ledger then shows the part gone from the shelf and from the loans.
"""

from __future__ import annotations

from tests.browser.conftest import login, screenshot


def propose_approve_issue(phone, page, live_server, *, part: str, work_order: str, store: str = "华北服务站"):
    """Returns the requisition's URL. ``part`` and ``work_order`` are the labels' leading text
    (part number, work-order number)."""
    login(phone, live_server, "engineer")
    phone.goto(f"{live_server.url}/parts/")
    phone.click("#new-requisition")
    phone.select_option("#id_store", label=store)
    _select_starting(phone, "#id_part", part)
    _select_starting(phone, "#id_work_order", work_order)
    phone.fill("#id_quantity", "1")
    phone.fill("#id_reason", "现场更换三包件")
    screenshot(phone, "parts-1-propose-phone")
    phone.click("#submit")
    phone.wait_for_load_state("networkidle")
    assert phone.locator("#status").inner_text() == "待审批"
    url = phone.url

    login(page, live_server, "regional")
    page.goto(url)
    page.click("#approve")
    page.wait_for_load_state("networkidle")
    assert page.locator("#status").inner_text() == "已批准"
    page.context.clear_cookies()

    login(page, live_server, "keeper")
    page.goto(url)
    page.click("#issue")
    page.wait_for_load_state("networkidle")
    assert page.locator("#status").inner_text() == "已发料"
    screenshot(page, "parts-2-issued")
    page.context.clear_cookies()
    return url


def return_and_write_off(page, live_server, requisition_url: str, *, report: str):
    """The old part comes back, then the write-off against the report (label text ``report``)."""
    login(page, live_server, "keeper")
    page.goto(requisition_url)
    _select_starting(page, "#id_wo-service_report", report)
    page.click("#write-off")  # refused: the old part is not back yet
    page.wait_for_load_state("networkidle")
    # refused on the form, next to the quantity it is about (the refusal names its field)
    assert "旧件尚未交回" in page.locator("main").inner_text()
    page.fill("#id_old-note", "外观完好")
    page.click("#return-old-part")
    page.wait_for_load_state("networkidle")
    _select_starting(page, "#id_wo-service_report", report)
    page.click("#write-off")
    page.wait_for_load_state("networkidle")
    assert page.locator("#status").inner_text() == "已销帐"
    screenshot(page, "parts-3-written-off")


def _select_starting(page, selector: str, text: str) -> None:
    """Choose the option whose label starts with ``text``."""
    value = page.eval_on_selector(
        selector,
        "(el, text) => [...el.options].find(o => o.textContent.trim().startsWith(text)).value",
        text,
    )
    page.select_option(selector, value)
