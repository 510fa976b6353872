"""A field-service engineer's grade is decided at the close, and his own form page says so (R-3.1, R-3.3).

The demo's last month of 售后服务部 is taken to archived (every form at its step walked on by the
people whose step it is), then HR closes it. Before the close the engineer's form shows "结算时确定"
(grade decided at the close) with the absolute grade only as a reference; after it, the grade of the
close version in force with its explanation "强制分布：第r名/共n人…" — and in English "rank r of n".
The engineer chosen is one whose forced grade differs from his absolute reference grade, so the grade
he sees really changes at the close.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from aftersales.appraisal.models import Appraisal
from aftersales.appraisal.outcome import results_for
from aftersales.organisation.models import Category
from aftersales.payroll.models import CloseLine
from aftersales.payroll.services import close_run
from tests.browser.conftest import login, screenshot
from tests.payroll.helpers import archive_demo_month

pytestmark = pytest.mark.django_db(transaction=True)

# CJK ideographs, CJK punctuation and full-width forms (as tests/web/test_i18n.py)
CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _field_service_forms(period) -> tuple[list[Appraisal], dict[int, str]]:
    """The field-service forms of ``period`` (one distribution group, R-3.3) and, before the close,
    each one's absolute grade shown only as a reference."""
    forms = list(
        Appraisal.objects.filter(
            period=period, is_current=True, employee__category=Category.FIELD_SERVICE
        ).select_related("employee__user")
    )
    assert len(forms) >= 2, "the demo has a distribution group of field-service engineers"
    results = results_for(forms)
    for appraisal in forms:
        assert results[appraisal.pk].pending and results[appraisal.pk].grade == ""
    return forms, {a.pk: results[a.pk].reference_grade for a in forms}


def test_an_engineer_sees_the_grade_decided_at_the_close_in_chinese_and_english(page, live_server, demo):
    period = archive_demo_month()
    forms, references = _field_service_forms(period)
    hr = get_user_model().objects.get(username="hr")

    # before the close: every engineer's page says the grade is decided at the close
    for appraisal in forms:
        login(page, live_server, appraisal.employee.user.username)
        page.goto(f"{live_server.url}/appraisal/{appraisal.pk}/")
        expect(page.locator("#grade")).to_have_text("结算时确定")
        expect(page.locator("#grade-pending")).to_contain_text(
            f"参考：按绝对标准为 {references[appraisal.pk]}"
        )
        expect(page.locator("#grade-explanation")).to_have_count(0)
    screenshot(page, "grade-at-close-before-zh")

    close_run(department=period.department, year=period.year, month=period.month, actor=hr)
    lines = {
        line.employee_id: line
        for line in CloseLine.objects.filter(version__period=period, version__is_current=True)
    }
    changed = [a for a in forms if lines[a.employee_id].grade != references[a.pk]]
    assert changed, "at least one engineer's forced grade differs from his absolute reference grade"
    appraisal = changed[0]
    line = lines[appraisal.employee_id]
    rank, size = line.grade_rank, line.grade_group_size
    assert rank is not None and size == len(forms)

    # after the close, in Chinese: the new grade and its rank in the group
    page.context.clear_cookies()
    login(page, live_server, appraisal.employee.user.username)
    page.goto(f"{live_server.url}/appraisal/{appraisal.pk}/")
    expect(page.locator("#grade .badge")).to_have_text(line.grade)
    expect(page.locator("#grade")).not_to_contain_text("结算时确定")
    expect(page.locator("#grade-pending")).to_have_count(0)
    explanation = page.locator("#grade-explanation")
    expect(explanation).to_contain_text("以月度绩效结算为准")
    expect(explanation).to_contain_text(f"强制分布：第{rank}名/共{size}人")
    expect(page.locator("#final-score")).to_have_text(re.compile(rf"^{_points(line.final_score)}$"))
    screenshot(page, "grade-at-close-zh")

    # the same page in English
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/appraisal/{appraisal.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#grade .badge")).to_have_text(line.grade)
    explanation = page.locator("#grade-explanation")
    expect(explanation).to_contain_text(f"Forced distribution: rank {rank} of {size}")
    expect(explanation).to_contain_text(f"grade {line.grade} quota")
    expect(explanation).not_to_contain_text("强制分布")
    screenshot(page, "grade-at-close-en")
    # the whole score-and-grade card reads in English (no Chinese left in it)
    expect(page.locator("#totals")).not_to_contain_text(CJK)


def _points(value) -> str:
    """A score as the form page writes it: 85, 87.5."""
    text = format(value.normalize(), "f")
    return re.escape(text)
