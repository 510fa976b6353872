"""A company starts on its own (issue 10): from an empty database with only a superuser, the set-up
wizard, the organisation workbook (2 departments, 25 employees, logins and roles), and the new HR,
supervisor, head and an engineer signing in with their initial passwords, which they must change
first — never opening /admin/.
Screenshots of the set-up steps in Chinese and English, desktop and phone."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from aftersales.organisation.models import Company, Department, Employee
from tests.browser.conftest import login, screenshot
from tests.organisation.workbooks import company, organisation_workbook

pytestmark = pytest.mark.django_db(transaction=True)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def empty_installation(db):
    """What `migrate` + `createsuperuser` leave: no organisation, one superuser."""
    call_command("flush", interactive=False, verbosity=0)
    get_user_model().objects.create_superuser("root", "root@example.com", "Root-2026-pass")


def _no_admin(page):
    assert "/admin/" not in page.url


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


def test_a_company_sets_itself_up_from_an_empty_database(
    empty_installation, page, phone_page, browser, live_server
):
    login(page, live_server, "root", "Root-2026-pass")
    expect(page).to_have_url(f"{live_server.url}/setup/company/")  # led to the set-up, not "角色：无"
    screenshot(page, "setup-company-zh-desktop")
    page.fill("#id_name", "赣州机车售后服务")
    page.click("#setup-save")
    expect(page).to_have_url(f"{live_server.url}/setup/departments/")
    screenshot(page, "setup-departments-zh-desktop")
    for step in ("departments", "regions", "positions"):  # the workbook brings them
        expect(page).to_have_url(f"{live_server.url}/setup/{step}/")
        page.click("#setup-skip")
    expect(page).to_have_url(f"{live_server.url}/setup/people/")
    screenshot(page, "setup-people-zh-desktop")

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
    screenshot(page, "setup-heads-zh-desktop")
    page.click("#setup-save")
    expect(page).to_have_url(f"{live_server.url}/setup/pay/")
    page.click("#setup-next")
    expect(page).to_have_url(f"{live_server.url}/setup/first_month/")
    screenshot(page, "setup-first-month-zh-desktop")
    page.click("#setup-next")
    expect(page).to_have_url(f"{live_server.url}/appraisal/periods/open/")
    assert Company.load().name == "赣州机车售后服务"
    _no_admin(page)

    # the set-up on a phone and in English
    login(phone_page, live_server, "root", "Root-2026-pass")
    phone_page.goto(f"{live_server.url}/setup/heads/")
    screenshot(phone_page, "setup-heads-zh-phone")
    english = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    en_page = english.new_page()
    login(en_page, live_server, "root", "Root-2026-pass")
    en_page.goto(f"{live_server.url}/setup/departments/")
    expect(en_page.locator("#setup-step h2")).to_contain_text("Departments and units")
    screenshot(en_page, "setup-departments-en-desktop")
    english.close()

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
    _no_admin(page)
