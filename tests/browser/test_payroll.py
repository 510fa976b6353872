"""HR closes a demo month, opens the pay sheet, overrides one grade with a reason and re-closes;
the history shows both versions (issue 4, "Done when")."""

import pytest

from tests.browser.conftest import login, screenshot
from tests.payroll.helpers import archive_demo_month

pytestmark = pytest.mark.django_db(transaction=True)


def test_hr_closes_a_month_overrides_a_grade_and_re_closes(page, live_server, demo):
    period = archive_demo_month()
    login(page, live_server, "hr")
    page.click("#perf-menu")  # the 绩效 menu of the navigation bar
    page.click('nav .dropdown-item:has-text("绩效薪资")')
    page.click("#close-run")
    page.select_option("#id_department", label="售后服务部")
    page.fill("#id_year", str(period.year))
    page.fill("#id_month", str(period.month))
    page.click("#close-submit")
    page.wait_for_load_state("networkidle")
    assert "绩效薪资表" in page.locator("h1").inner_text()
    assert page.locator("#pay-sheet tbody tr").count() == 13  # 12 appraised + the head (d × S, R-5.5)
    assert page.locator(".payroll-chart[data-rendered=true]").count() == 2  # ECharts served locally
    screenshot(page, "payroll-pay-sheet")

    page.click("#line-E006 .override-link")  # 赵磊, field service: forced distribution
    page.select_option("#id_grade", "A")
    page.fill("#id_reason", "驻站期间故障处理及时彻底，用户来函表扬")
    page.click("#override-submit")
    page.wait_for_load_state("networkidle")
    assert "赵磊" in page.locator("#pending-overrides").inner_text()

    page.fill("#rerun-reason", "人力资源部改判赵磊等级")
    page.click("#rerun-submit")
    page.wait_for_load_state("networkidle")
    assert "v2" in page.locator("#version-summary").inner_text()
    assert page.locator("#line-E006 .badge").first.inner_text() == "A"
    history = page.locator("#history .history-row")
    assert history.count() == 2
    assert "人力资源部改判赵磊等级" in history.nth(0).inner_text() and "v1" in history.nth(1).inner_text()
    screenshot(page, "payroll-re-closed")

    page.click("#simulate")  # what-if: the §5.1 quotas, side by side (htmx swaps the result in)
    page.fill("#id_quota_c", "20")
    page.fill("#id_quota_d", "60")
    page.click("#simulate-submit")
    page.wait_for_selector("#simulation tr.simulated.table-warning")
    assert "quota_c=20" in page.url
    screenshot(page, "payroll-simulator")
    page.click("#back-to-sheet")
    page.wait_for_load_state("networkidle")

    page.click("#history .history-row >> nth=1 >> a")  # the first version is kept as it was
    page.wait_for_load_state("networkidle")
    assert "历史版本" in page.locator("#version-summary").inner_text()
    assert page.locator("#line-E006 .badge").first.inner_text() != "A"


def test_an_engineer_sees_their_pay_on_a_phone(phone_page, live_server, demo):
    from django.contrib.auth import get_user_model

    from aftersales.payroll.services import close_run

    period = archive_demo_month()
    close_run(
        department=period.department,
        year=period.year,
        month=period.month,
        actor=get_user_model().objects.get(username="hr"),
    )
    login(phone_page, live_server, "engineer")
    phone_page.goto(f"{live_server.url}/payroll/")
    rows = phone_page.locator("#my-pay tbody tr", has_text=period.label)  # the demo closed a month too
    assert rows.count() == 1
    rows.first.locator("a").click()
    phone_page.wait_for_load_state("networkidle")
    assert "强制分布" in phone_page.locator("#explanation").inner_text()
    screenshot(phone_page, "payroll-line-phone")


def test_the_head_pays_an_adjustment_reward_and_hr_sees_the_overview(page, live_server, demo):
    from django.contrib.auth import get_user_model

    from aftersales.payroll.services import close_run

    period = archive_demo_month()
    hr = get_user_model().objects.get(username="hr")
    close_run(department=period.department, year=period.year, month=period.month, actor=hr)
    login(page, live_server, "head")
    page.goto(f"{live_server.url}/payroll/departments/{period.department_id}/fund/")
    assert "953" in page.locator(".fund-quarter").first.inner_text()  # B − P at d = 0.95 (demo)
    page.click("summary")
    page.select_option("#id_employee", label="E006 赵磊")
    page.fill("#id_amount", "300")
    page.fill("#id_reason", "季度调节奖励：驻站服务用户表扬")
    page.click("#payout-submit")
    page.wait_for_load_state("networkidle")
    assert "赵磊 300" in page.locator(".fund-quarter").first.inner_text()
    screenshot(page, "payroll-fund")

    page.click("#logout")
    login(page, live_server, "hr")
    page.goto(f"{live_server.url}/payroll/overview/?year={period.year}")
    assert page.locator(".payroll-chart[data-rendered=true]").count() == 1
    assert "售后服务部" in page.locator("#overview").inner_text()
    screenshot(page, "payroll-overview")


def test_the_demo_pay_sheet_reads_in_english_charts_included(page, live_server, demo):
    """A fresh install shows a closed month (the demo's month before last); in English the chart
    legends are English too (ECharts draws on a canvas, so its options are read back)."""
    from aftersales.payroll.models import CloseVersion

    version = CloseVersion.objects.get(is_current=True, period__department__code="as")
    login(page, live_server, "hr")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/payroll/closes/{version.pk}/")
    assert "Performance pay sheet" in page.locator("h1").inner_text()
    page.wait_for_selector('.payroll-chart[data-chart="pay"][data-rendered=true]')
    names = page.evaluate(
        """() => echarts.getInstanceByDom(document.querySelector('.payroll-chart[data-chart="pay"]'))
                 .getOption().series.map(s => s.name)"""
    )
    assert names == ["Standard performance pay", "Actual performance pay"]
    assert "," in page.locator("#pay-total").inner_text()  # 21,315.00: grouped like the rows
