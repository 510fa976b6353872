"""Interface text that an audit of the English pages found in Chinese or built from pieces (docs/i18n.md).

The organisation's data (names, departments, reasons, texts people typed) stays Chinese on English pages;
these tests look for the interface strings that used to stay Chinese or read "1Month": choices made in the
code (interview blocks, grades), the months of the pay charts and tables, and sentences put together
from a value and a translated piece. The same pages in Chinese keep exactly their characters.
"""

import json
import re
from html import unescape

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from aftersales.organisation.models import Employee
from aftersales.payroll.models import CloseLine, CloseVersion
from tests.payroll.helpers import demo_close

pytestmark = pytest.mark.django_db


def get(client, username: str, url: str, language: str = "en") -> str:
    client.force_login(get_user_model().objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def chart_data(html: str) -> dict:
    match = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "no chart data on the page"
    return json.loads(unescape(match.group(1)))


@pytest.fixture
def version(personas):
    """A closed month of the department (售后服务部 2025-01)."""
    return CloseVersion.objects.select_related("period__department").get(pk=demo_close(2025, 1).pk)


def test_interview_audit_names_the_two_month_blocks_in_english(client, personas):
    html = get(client, "hr", reverse("interviews:audit"))
    assert ">Months 1–2</option>" in html
    assert ">Months 11–12</option>" in html
    assert "月</option>" not in html
    assert ">1–2月</option>" in get(client, "hr", reverse("interviews:audit"), "zh-hans")


def test_grade_override_offers_the_grades_in_english(client, version):
    line = CloseLine.objects.filter(version=version).order_by("pk").first()
    url = reverse("payroll:line-override", args=[line.pk])
    html = get(client, "hr", url)
    assert ">A Outstanding</option>" in html
    assert ">E Needs improvement</option>" in html
    assert "非常杰出" not in html and "待改进" not in html
    assert ">A 非常杰出</option>" in get(client, "hr", url, "zh-hans")


def test_pay_overview_months_in_english(client, version):
    html = get(client, "hr", reverse("payroll:overview") + f"?year={version.period.year}")
    assert '<th class="text-end">Month 1</th>' in html
    assert "1Month" not in html
    assert chart_data(html)["months"][0] == "Month 1"
    chinese = get(client, "hr", reverse("payroll:overview") + f"?year={version.period.year}", "zh-hans")
    assert '<th class="text-end">1月</th>' in chinese
    assert chart_data(chinese)["months"][11] == "12月"


def test_department_trend_chart_months_in_english(client, version):
    url = reverse("payroll:trend", args=[version.period.department.pk]) + f"?year={version.period.year}"
    month = version.period.month
    assert chart_data(get(client, "head", url))["months"] == [f"Month {month}"]
    assert chart_data(get(client, "head", url, "zh-hans"))["months"] == [f"{month}月"]


def test_fund_inflow_reads_as_one_sentence(client, version):
    url = reverse("payroll:fund", args=[version.period.department.pk])
    month = version.period.month
    html = get(client, "hr", url)
    assert re.search(rf"Month {month} balance transferred in: [\d,]+\.\d\d<", html)
    assert "month's balance transferred in" not in html
    assert re.search(rf"{month}月余额转入 [\d,]+\.\d\d<", get(client, "hr", url, "zh-hans"))


def test_yearly_standing_months_in_english(client, personas):
    engineer = Employee.objects.get(user__username="engineer")
    url = reverse("discipline:standing", args=[engineer.pk])
    html = get(client, "engineer", url)
    assert '<div class="small text-muted">Month 1</div>' in html
    assert "1Month" not in html
    assert '<div class="small text-muted">12月</div>' in get(client, "engineer", url, "zh-hans")


def test_simulator_note_names_the_compared_version(client, version):
    url = reverse("payroll:simulator", args=[version.pk])
    html = get(client, "hr", url)
    assert f"compare with the closed result (v{version.number}). Calculated in memory only" in html
    assert f"对比已结算结果(v{version.number})。仅在内存中计算" in get(client, "hr", url, "zh-hans")


def test_the_work_order_field_is_labelled_in_both_languages(client, personas):
    """The call log, complaint and incident forms named their work-order field by its code, "Order"."""
    for url in (reverse("service:call-create"), reverse("service:complaint-create")):
        english = get(client, "dispatcher", url)
        assert ">Work order</label>" in english and ">Order</label>" not in english
        assert ">服务工单</label>" in get(client, "dispatcher", url, "zh-hans")
