"""Query counts of the lists (STYLE.md): they do not grow with the number of rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.appraisal.models import Appraisal, Period, State
from aftersales.organisation.models import Department, Employee
from tests.factories import StoreFactory
from tests.payroll.helpers import demo_close

pytestmark = pytest.mark.django_db

# Queries of the list page as the supervisor 陈刚:
#  1 session  2 user  3 the user's groups (HR? company-wide?)  4 the user's employee record
#  5 departments he heads (none)  6 count of the page's appraisals  7 the page's appraisals with
#  period, department, employee and supervisor joined; the page adds the filters' choices: the
#  newest and the oldest year that have periods (two index seeks) and the departments
#  (FILTER_QUERIES), never one option per period.
# The head adds one query per level of units below his department (2 here); HR needs no scope (6).
# Every page then reads the month results (R-3.1, appraisal.outcome): the periods' months, the close
# lines in force, the discipline points, the forced form templates, the pay settings (cap) — a
# fixed number whatever the rows (RESULT_QUERIES, measured with one month of the department closed).
RESULT_QUERIES = 8
FILTER_QUERIES = 3
LIST_QUERIES = {"employee": 7, "supervisor": 7, "head": 9, "hr": 5}
PAGE_QUERIES = {persona: count + RESULT_QUERIES + FILTER_QUERIES for persona, count in LIST_QUERIES.items()}
# The API list: no filter choices, and no count (it pages by key, issue 11), otherwise the same.
API_QUERIES = {persona: count - 1 + RESULT_QUERIES for persona, count in LIST_QUERIES.items()}
# A page's menu also asks whether the parts and repair areas are the user's business, so that no
# link leads to a refusal (web.context_processors.navigation): none for HR (company-wide).
MENU_QUERIES = {"employee": 4, "supervisor": 4, "head": 3, "hr": 0}


def _add_months(count: int, start: int, hr, state: str = State.ARCHIVED) -> None:
    """``count`` more forms of 赵磊 and 孙涛, one period per month from 2000 on."""
    department = Department.objects.get(code="as")
    people = list(Employee.objects.filter(user__username__in=["engineer", "engineer2"]))
    for index in range(start, start + count):
        period = Period.objects.create(
            department=department, year=2000 + index // 12, month=index % 12 + 1, opened_by=hr
        )
        Appraisal.objects.bulk_create(
            Appraisal(
                period=period,
                employee=employee,
                template_code="field_service",
                template_version=1,
                state=state,
                form_total=Decimal(90),
                final_score=Decimal(90),
                grade="A",
            )
            for employee in people
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _few_and_many(client, people, url: str, state: str = State.ARCHIVED) -> tuple[int, int]:
    demo_close(2025, 1)  # a closed month: the results read the close lines and the settings of its close
    StoreFactory()  # a store of the department (the menu's parts check, MENU_QUERIES)
    _add_months(3, 0, people["hr"], state)  # 6 more rows
    few = _queries(client, url)
    _add_months(17, 3, people["hr"], state)  # 40 more rows
    return few, _queries(client, url)


@pytest.mark.parametrize("persona", sorted(PAGE_QUERIES))
def test_list_page_queries_do_not_grow_with_rows(client, people, persona):
    client.force_login(people[persona])
    # every month (the default shows only the latest one, which would not grow anyway)
    few, many = _few_and_many(client, people, reverse("appraisal:index") + "?year=all&month=all")
    assert few == many == PAGE_QUERIES[persona] + MENU_QUERIES[persona]


@pytest.mark.parametrize("persona", sorted(API_QUERIES))
def test_api_list_queries_do_not_grow_with_rows(client, people, persona):
    client.force_login(people[persona])
    few, many = _few_and_many(client, people, reverse("api-appraisal:appraisal-list"))
    assert few == many == API_QUERIES[persona]


@pytest.mark.parametrize("persona", ["hr", "head", "supervisor"])
def test_dashboard_queries_do_not_grow_with_rows(client, people, persona):
    """Confirmed forms of long-past months: HR's "to archive" and everyone's "overdue" lists grow."""
    client.force_login(people[persona])
    few, many = _few_and_many(client, people, reverse("web:home"), State.CONFIRMED)
    assert few == many
