"""The to-do list's overdue steps read the open months through their own index (issue 11): on SQLite
the query scanned every period of the history by the month index to find the few open ones."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.appraisal.selectors import overdue_filter

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's plan (PostgreSQL plans by its statistics)"
)
def test_the_open_months_are_found_through_the_partial_index(personas):
    with CaptureQueriesContext(connection) as queries:
        overdue_filter(date(2026, 12, 7))
    (sql,) = [q["sql"] for q in queries if 'FROM "appraisal_period"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "USING INDEX appraisal_period_open" in plan, plan
    assert "organisation_department" not in sql  # no ordering by the department's code
