"""A close version stores its period's year (issue 11): the payroll index and the overview count and
list a year's current versions through their own index, without joining every version of the
history to its period; versions written before the field get their period's year (payroll 0009)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.payroll.models import CloseVersion
from tests.payroll.helpers import demo_close

pytestmark = pytest.mark.django_db


def test_a_close_stores_its_periods_year_and_old_versions_get_it_from_their_period(personas):
    first = demo_close(2025, 1)
    second = demo_close(2024, 12)
    assert (first.year, second.year) == (2025, 2024)
    CloseVersion.objects.update(year=0)  # as the versions written before payroll 0009
    migration = importlib.import_module("aftersales.payroll.migrations.0009_version_year")
    migration.fill_years(apps, None)
    assert dict(CloseVersion.objects.values_list("pk", "year")) == {first.pk: 2025, second.pk: 2024}


def test_hrs_payroll_index_counts_a_years_closes_without_joining_the_periods(client, personas):
    demo_close(2025, 1)
    demo_close(2024, 12)
    client.force_login(get_user_model().objects.get(username="hr"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("payroll:index"), {"year": 2025})
    assert page.status_code == 200 and [v.year for v in page.context["closes"].object_list] == [2025]
    (count,) = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "payroll_closeversion"')
    ]
    assert "appraisal_period" not in count
