"""Lists that do not grow with history (issue 11): the appraisal list defaults to the latest month
with year/month/department selects instead of one option per period; the periods page shows one
year at a time, a page at a time."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.appraisal.models import Appraisal, Period
from aftersales.organisation.models import Department
from tests.appraisal.test_queries import _add_months
from tests.results.factories import PeriodFactory

pytestmark = pytest.mark.django_db


def test_the_list_defaults_to_the_latest_month_and_offers_no_option_per_period(client, people):
    _add_months(24, 0, people["hr"])  # two years of 2000–2001 for 赵磊 and 孙涛
    client.force_login(people["hr"])
    page = client.get(reverse("appraisal:index")).content.decode()
    latest = Period.objects.order_by("-year", "-month").first()
    shown = Appraisal.objects.filter(is_current=True, period__year=latest.year, period__month=latest.month)
    assert f"共 {shown.count()} 份考核表" in page
    assert page.count('<option value="') < 60  # years, 12 months, departments, states — not 24+ periods
    assert '<option value="2000"' in page and f'<option value="{latest.year}" selected' in page

    every = client.get(reverse("appraisal:index"), {"year": "all", "month": "all"}).content.decode()
    assert f"共 {Appraisal.objects.filter(is_current=True).count()} 份考核表" in every
    one = client.get(reverse("appraisal:index"), {"year": "2001", "month": "3"}).content.decode()
    assert "共 2 份考核表" in one


def test_the_periods_page_shows_one_year_a_page_at_a_time(client, people):
    _add_months(24, 0, people["hr"])
    client.force_login(people["hr"])
    page = client.get(reverse("appraisal:period-list"), {"year": "2001"}).content.decode()
    assert page.count("2001-") >= 12 and "2000-" not in page
    PeriodFactory(department=Department.objects.get(code="as"), year=2025, month=3)
    latest = client.get(reverse("appraisal:period-list")).content.decode()
    assert (
        "2025-03" in latest and "2000-" not in latest and "2001-" not in latest
    )  # the latest year by default
