"""One month of appraisals for a small department, every role in the browser (SPEC §4, issue 3).

质检部: head 孙丽, supervisor 周强 (regional supervisor, form 4.2, scored by the head), engineer 吴敏
(field service, form 4.1) and technician 郭峰 (repair, form 4.3). HR opens the month; 吴敏's form
goes through a return by the head and an upheld appeal (new version); the others the plain way.
All three end archived, and the history shows every step.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from aftersales.appraisal.models import Appraisal
from aftersales.core.periods import Month
from aftersales.organisation import roles
from aftersales.organisation.models import Category, Department, Employee, Position
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# username, name, category, supervisor, extra role
STAFF = [
    ("qchead", "孙丽", Category.TECH_SUPPORT, None, roles.HEAD),
    ("qclead", "周强", Category.REGIONAL_SUPERVISOR, "qchead", roles.SUPERVISOR),
    ("qcworker", "吴敏", Category.FIELD_SERVICE, "qclead", None),
    ("qcrepair", "郭峰", Category.REPAIR, "qclead", None),
]


def _small_department() -> Department:
    department = Department.objects.create(code="qc", name="质检部")
    position = Position.objects.get(code="field_engineer")
    employees: dict[str, Employee] = {}
    for index, (username, name, category, supervisor, role) in enumerate(STAFF):
        user = get_user_model().objects.create_user(username, password="demo1234", first_name=name)
        user.groups.add(*Group.objects.filter(name__in=[roles.EMPLOYEE, role]))
        employees[username] = Employee.objects.create(
            number=f"Q{index:03d}",
            name=name,
            user=user,
            department=department,
            position=position,
            category=category,
            supervisor=employees.get(supervisor) if supervisor else None,
            standard_salary=Decimal(5000),
            active_from=date(2024, 1, 1),
        )
    department.head = employees["qchead"]
    department.save()
    return department


def _form_of(live_server, username: str) -> str:
    appraisal = Appraisal.objects.filter(employee__user__username=username, is_current=True).latest("pk")
    return f"{live_server.url}/appraisal/{appraisal.pk}/"


def _as(page, live_server, username: str, form_of: str) -> None:
    """Sign in as ``username`` and open the current form of ``form_of``."""
    login(page, live_server, username)
    page.goto(_form_of(live_server, form_of))


def _submit(page, button: str, state: str) -> None:
    page.click(button)
    page.wait_for_load_state("networkidle")
    expect(page.locator("#state")).to_have_attribute("data-state", state)


def _hr_opens_the_month(page, live_server, month: Month) -> None:
    login(page, live_server, "hr")
    page.goto(f"{live_server.url}/appraisal/periods/")
    page.click("#open-period")
    page.select_option("#id_department", label="质检部")
    page.fill("#id_year", str(month.year))
    page.fill("#id_month", str(month.month))
    screenshot(page, "appraisal-period-open-zh-desktop")
    page.click("#period-open-submit")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#appraisal-list tbody tr")).to_have_count(3)  # 周强, 吴敏, 郭峰


def _self_reports(page, live_server) -> None:
    for username in ("qcworker", "qcrepair", "qclead"):
        login(page, live_server, username)
        expect(page.locator("#box-self-report .box-count")).to_have_text("1")
        page.click("#box-self-report a")
        page.fill("#summary", "本月完成驻站服务及月报。")
        _submit(page, "#self-report-submit", "self_reported")


def _supervisor_scores(page, live_server) -> None:
    _as(page, live_server, "qclead", "qcworker")
    page.check("#work_arrangement-shirk_assignment")  # −20
    expect(page.locator("#final-score")).to_have_text("80")  # the running total, by htmx
    expect(page.locator("#score-work_arrangement")).to_have_text("5")
    screenshot(page, "appraisal-score-zh-desktop")
    _submit(page, "#score-submit", "scored")
    _as(page, live_server, "qclead", "qcrepair")
    page.check("#work_attitude-meets_requirements")  # −4
    page.fill("#seven_day_repair-rate", "95")  # −5
    expect(page.locator("#final-score")).to_have_text("91")
    _submit(page, "#score-submit", "scored")
    _as(page, live_server, "qchead", "qclead")  # the head is 周强's direct supervisor
    _submit(page, "#score-submit", "scored")  # no key behaviour occurred: 100


def _head_returns_then_reviews(page, live_server) -> None:
    _as(page, live_server, "qchead", "qcworker")
    page.fill("#return-comment", "推诿工作安排一项证据不足，请核实后重评。")
    _submit(page, "#return-submit", "returned")
    _as(page, live_server, "qclead", "qcworker")
    expect(page.locator("#returned-comment")).to_contain_text("证据不足")
    page.uncheck("#work_arrangement-shirk_assignment")
    page.check("#work_arrangement-delay_task")  # −10
    expect(page.locator("#final-score")).to_have_text("90")
    _submit(page, "#score-submit", "scored")
    for username in ("qcworker", "qcrepair", "qclead"):
        _as(page, live_server, "qchead", username)
        _submit(page, "#review-submit", "reviewed")


def _employee_appeals_hr_upholds(page, live_server) -> None:
    _as(page, live_server, "qcworker", "qcworker")
    # a forced-distribution form shows its grade as decided at the close, with the
    # absolute grade only as a reference
    expect(page.locator("#grade")).to_contain_text("结算时确定")
    expect(page.locator("#grade-pending")).to_contain_text("参考：按绝对标准为 A")
    page.click("#appeal-toggle")
    page.check("#appeal-work_arrangement")
    page.fill("#appeal-reasons", "改造项目延误系用户停车窗口推迟，非本人原因。")
    _submit(page, "#appeal-submit", "appealed")
    login(page, live_server, "hr")
    page.click("#box-appeals a:has-text('吴敏')")  # the demo's 周鹏 has appealed too
    page.check("#decision-upheld")
    page.fill("#minutes", "经协调，延误系用户原因，撤销该项扣分。")
    page.uncheck("#work_arrangement-delay_task")
    expect(page.locator("#final-score")).to_have_text("100")
    screenshot(page, "appraisal-appeal-decision-zh-desktop")
    _submit(page, "#decide-submit", "reviewed")
    expect(page.locator("#version")).to_contain_text("2")


def _confirm_and_archive(page, live_server) -> None:
    for username in ("qcworker", "qcrepair", "qclead"):
        _as(page, live_server, username, username)
        _submit(page, "#confirm-submit", "confirmed")
    for username in ("qcworker", "qcrepair", "qclead"):
        _as(page, live_server, "hr", username)
        _submit(page, "#archive-submit", "archived")


def test_a_month_of_a_small_department(page, live_server, demo):
    _small_department()
    month = Month.of(timezone.localdate()).shift(-1)
    _hr_opens_the_month(page, live_server, month)
    _self_reports(page, live_server)
    _supervisor_scores(page, live_server)
    _head_returns_then_reviews(page, live_server)
    _employee_appeals_hr_upholds(page, live_server)
    _confirm_and_archive(page, live_server)

    # the archived results
    worker = Appraisal.objects.get(employee__user__username="qcworker", is_current=True)
    assert (worker.state, worker.version, worker.final_score, worker.grade) == ("archived", 2, 100, "A")
    assert worker.previous.final_score == 90 and worker.previous.state == "appealed"
    others = Appraisal.objects.filter(employee__user__username__in=["qcrepair", "qclead"]).order_by(
        "final_score"
    )
    assert [(a.state, a.final_score) for a in others] == [("archived", 91), ("archived", 100)]
    _as(page, live_server, "qcworker", "qcworker")
    expect(page.locator("#final-score")).to_have_text("100")
    expect(page.locator("#actions")).to_have_count(0)  # nothing left to do on an archived form
    screenshot(page, "appraisal-detail-zh-desktop")

    # the history: every step of both versions, who took it and what they wrote
    page.click("#history-link")
    steps = page.locator(".history-step")
    expect(steps).to_have_count(10)  # v1: opened, self-report, score, return, score, review, appeal; v2: 3
    expect(page.locator("#history")).to_contain_text("证据不足")
    expect(page.locator("#history")).to_contain_text("撤销该项扣分")
    assert [a.strip() for a in page.locator(".history-actor").all_inner_texts()][:4] == [
        "马丽",
        "吴敏",
        "周强",
        "孙丽",
    ]
    page.locator(".history-step details").nth(2).click()
    screenshot(page, "appraisal-history-zh-desktop")

    page.goto(f"{live_server.url}/appraisal/?period={worker.period_id}")
    screenshot(page, "appraisal-list-zh-desktop")


def test_pages_in_english_and_at_phone_width(page, phone_page, live_server, demo):
    """Screenshots of the demo's pages: zh and en, desktop and phone (docs/screenshots)."""
    reviewed = Appraisal.objects.get(employee__user__username="engineer", state="reviewed")
    scored = Appraisal.objects.get(employee__user__username="support", state="scored")
    agreement = scored.period.agreements.get(employee=scored.employee)
    pages = [
        ("home", "head", "/"),
        ("list", "head", "/appraisal/"),
        ("detail", "head", f"/appraisal/{scored.pk}/"),
        ("agreement", "head", f"/appraisal/agreements/{agreement.pk}/"),
        ("confirm", "engineer", f"/appraisal/{reviewed.pk}/"),
    ]
    for width, tab in (("desktop", page), ("phone", phone_page)):
        for language in ("zh", "en"):
            for name, username, path in pages:
                login(tab, live_server, username)
                if language == "en":
                    tab.context.add_cookies(
                        [{"name": "django_language", "value": "en", "url": live_server.url}]
                    )
                tab.goto(f"{live_server.url}{path}")
                expect(tab.locator("html")).to_have_attribute(
                    "lang", "en" if language == "en" else re.compile("zh")
                )
                screenshot(tab, f"appraisal-{name}-{language}-{width}")
            tab.context.clear_cookies()
    # the phone layout has no horizontal scrolling on the form
    login(phone_page, live_server, "head")
    phone_page.goto(f"{live_server.url}/appraisal/{scored.pk}/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
