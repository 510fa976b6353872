"""A company starts on its own (issue 10): from an empty database with only a superuser, the set-up
wizard, the organisation workbook (2 departments, 25 employees, logins and roles), and the new HR,
supervisor, head and an engineer signing in with their initial passwords, which they must change
first; then the first appraisal month of 质量部 walked by its people (self-reports, scoring,
review, confirmation, archive) and closed by the new HR to the pay sheet — never opening /admin/.
Screenshots of the set-up steps in Chinese and English, desktop and phone."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from aftersales.appraisal.models import Appraisal
from aftersales.core.periods import Month
from aftersales.organisation.models import Company, Department, Employee
from aftersales.payroll.models import CloseLine
from aftersales.web.setup import STEPS
from tests.browser.conftest import login, screenshot
from tests.organisation.workbooks import company, organisation_workbook

pytestmark = pytest.mark.django_db(transaction=True)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def empty_installation(db):
    """What `migrate` + `createsuperuser` leave: no organisation, one superuser."""
    call_command("flush", interactive=False, verbosity=0)
    get_user_model().objects.create_superuser("root", "root@example.com", "Root-2026-pass")


def _sign_out(page):
    page.click("#logout")
    page.wait_for_load_state("networkidle")


def _first_sign_in(page, live_server, username, initial, new):
    login(page, live_server, username, initial)
    expect(page).to_have_url(f"{live_server.url}/password/")
    expect(page.locator("#must-change")).to_be_visible()
    page.goto(f"{live_server.url}/organisation/")  # nothing else opens before the password is changed
    expect(page).to_have_url(f"{live_server.url}/password/")
    page.fill("#id_old_password", initial)
    page.fill("#id_new_password1", new)
    page.fill("#id_new_password2", new)
    page.click("#password-submit")
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(f"{live_server.url}/")


def _form(page, live_server, number):
    appraisal = Appraisal.objects.get(employee__number=number, is_current=True)
    page.goto(f"{live_server.url}/appraisal/{appraisal.pk}/")


def _step(page, button, state):
    page.click(button)
    page.wait_for_load_state("networkidle")
    expect(page.locator("#state")).to_have_attribute("data-state", state)


def _first_month(page, live_server, passwords):
    """质量部's first month: HR opens it, the people whose step it is walk every form to archived,
    HR closes the month (R-4.1 steps, R-5 pay)."""
    month = Month.of(timezone.localdate()).shift(-1)
    login(page, live_server, "h01", passwords["h01"])
    page.goto(f"{live_server.url}/appraisal/periods/")
    page.click("#open-period")
    page.select_option("#id_department", label="质量部")
    page.fill("#id_year", str(month.year))
    page.fill("#id_month", str(month.month))
    page.click("#period-open-submit")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#appraisal-list tbody tr")).to_have_count(3)  # 王主管 and two inspectors
    _sign_out(page)

    for number in ("q02", "q03", "q04"):  # each signs in for the first time and reports on the month
        new = f"Zhijian-{number}-2026"
        _first_sign_in(page, live_server, number, f"Start-2026-{number}", new)
        passwords[number] = new
        expect(page.locator("#box-self-report .box-count")).to_have_text("1")
        page.click("#box-self-report a")
        page.fill("#summary", "本月完成进厂检验与现场质量跟踪。")
        _step(page, "#self-report-submit", "self_reported")
        _sign_out(page)

    login(page, live_server, "q02", passwords["q02"])  # the supervisor scores his two inspectors
    for number in ("Q03", "Q04"):
        _form(page, live_server, number)
        _step(page, "#score-submit", "scored")
    _sign_out(page)
    _first_sign_in(page, live_server, "q01", "Start-2026-q01", "Zheng-buzhang-2026")
    _form(page, live_server, "Q02")  # the head is 王主管's direct supervisor
    _step(page, "#score-submit", "scored")
    for number in ("Q02", "Q03", "Q04"):
        _form(page, live_server, number)
        _step(page, "#review-submit", "reviewed")
    _sign_out(page)
    for number in ("q02", "q03", "q04"):
        login(page, live_server, number, passwords[number])
        _form(page, live_server, number.upper())
        _step(page, "#confirm-submit", "confirmed")
        _sign_out(page)

    login(page, live_server, "h01", passwords["h01"])
    for number in ("Q02", "Q03", "Q04"):
        _form(page, live_server, number)
        _step(page, "#archive-submit", "archived")
    page.click("#perf-menu")
    page.click('nav .dropdown-item:has-text("绩效薪资")')
    page.click("#close-run")
    page.select_option("#id_department", label="质量部")
    page.fill("#id_year", str(month.year))
    page.fill("#id_month", str(month.month))
    page.click("#close-submit")
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_contain_text("绩效薪资表")
    screenshot(page, "setup-first-close-zh-desktop")
    # the three appraised and the head (d × S, R-5.5); HR 吴人事 is not appraised (no supervisor)
    expect(page.locator("#pay-sheet tbody tr")).to_have_count(4)
    lines = {
        line.employee.number: line
        for line in CloseLine.objects.filter(
            version__period__department__code="qa", version__is_current=True
        ).select_related("employee")
    }
    assert sorted(lines) == ["Q01", "Q02", "Q03", "Q04"]
    assert all(lines[number].grade for number in ("Q02", "Q03", "Q04")) and not lines["Q01"].grade
    total = sum(line.pay for line in lines.values())
    expect(page.locator("#pay-sheet tfoot")).to_contain_text(f"{total:,.2f}")  # 千分位


def test_a_company_sets_itself_up_from_an_empty_database(
    empty_installation, page, phone_page, browser, live_server
):
    requested: list[str] = []  # every request of the desktop tab, to prove /admin/ is never opened
    page.on("request", lambda request: requested.append(request.url))
    login(page, live_server, "root", "Root-2026-pass")
    expect(page).to_have_url(f"{live_server.url}/setup/company/")  # led to the set-up, not "角色：无"
    page.fill("#id_name", "赣州机车售后服务")
    page.click("#setup-save")
    expect(page).to_have_url(f"{live_server.url}/setup/departments/")
    for step in ("departments", "regions", "positions"):  # the workbook brings them
        expect(page).to_have_url(f"{live_server.url}/setup/{step}/")
        page.click("#setup-skip")
    expect(page).to_have_url(f"{live_server.url}/setup/people/")

    page.click("#setup-import")
    page.set_input_files(
        "#import-form input[type=file]",
        files=[{"name": "组织.xlsx", "mimeType": XLSX, "buffer": organisation_workbook(**company())}],
    )
    page.fill("#id_reason", "首次建立组织")
    page.click("#import-submit")
    expect(page.locator("#import-summary")).to_be_visible()
    assert Employee.objects.count() == 0  # a preview writes nothing
    screenshot(page, "setup-import-preview-zh-desktop")
    page.click("#import-confirm-submit")
    expect(page.locator("#import-done")).to_be_visible()
    expect(page.locator("#import-links")).to_contain_text("/password/set/")  # engineers without a password
    assert Employee.objects.count() == 25 and Department.objects.filter(parent__isnull=True).count() == 2

    page.goto(f"{live_server.url}/setup/")
    expect(page).to_have_url(f"{live_server.url}/setup/departments/")  # resumes at the skipped step
    page.goto(f"{live_server.url}/setup/heads/")
    svc = Department.objects.get(code="svc")
    expect(page.locator(f"#id_head_{svc.pk}")).to_have_value(str(svc.head_id))  # from the workbook
    page.click("#setup-save")
    expect(page).to_have_url(f"{live_server.url}/setup/pay/")
    page.click("#setup-next")
    expect(page).to_have_url(f"{live_server.url}/setup/first_month/")
    page.click("#setup-next")
    expect(page).to_have_url(f"{live_server.url}/appraisal/periods/open/")
    assert Company.load().name == "赣州机车售后服务"

    # every step of the set-up in Chinese and English, on a desktop and on a phone (docs/screenshots)
    english = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    english.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    english_phone = browser.new_context(
        locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    english_phone.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    tabs = {
        ("zh", "desktop"): page,
        ("zh", "phone"): phone_page,
        ("en", "desktop"): english.new_page(),
        ("en", "phone"): english_phone.new_page(),
    }
    for (language, width), tab in tabs.items():
        if tab is not page:
            login(tab, live_server, "root", "Root-2026-pass")
        for step in STEPS:
            tab.goto(f"{live_server.url}/setup/{step.code}/")
            expect(tab.locator("html")).to_have_attribute("lang", re.compile(language))
            screenshot(tab, f"setup-{step.code.replace('_', '-')}-{language}-{width}")
        if width == "phone":  # nothing wider than the phone
            assert tab.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    expect(tabs["en", "desktop"].locator("#setup-step h2")).to_contain_text("Open the first appraisal month")
    english.close()
    english_phone.close()

    # the new HR and supervisor sign in with their initial passwords and must choose their own first
    _sign_out(page)
    _first_sign_in(page, live_server, "h01", "Start-2026-h01", "Wu-renshi-2026")
    expect(page.locator("body")).to_contain_text("人力资源")
    page.goto(f"{live_server.url}/organisation/")
    expect(page.locator("#employee-table")).to_contain_text("工程师20")
    _sign_out(page)
    _first_sign_in(page, live_server, "s02", "Start-2026-s02", "Zhou-zhuguan-2026")
    expect(page.locator("body")).to_contain_text("直接主管")
    _sign_out(page)
    _first_sign_in(page, live_server, "s01", "Start-2026-s01", "Sun-buzhang-2026")
    expect(page.locator("body")).to_contain_text("部门负责人")
    _sign_out(page)
    _first_sign_in(page, live_server, "s03", "Start-2026-s03", "Gongchengshi-2026")
    expect(page.locator("body")).to_contain_text("员工")
    _sign_out(page)

    _first_month(page, live_server, {"h01": "Wu-renshi-2026"})
    assert len(requested) > 50 and not [url for url in requested if "/admin/" in url]
