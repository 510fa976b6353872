"""Query counts of the lists (STYLE.md): they do not grow with the number of rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.appraisal.models import Appraisal, Period, State
from aftersales.organisation.models import Department, Employee

pytestmark = pytest.mark.django_db


def _add_months(count: int, start: int, hr) -> None:
    """``count`` more archived forms of 赵磊 and 孙涛, one period per month from 2000 on."""
    department = Department.objects.get(code="as")
    people = list(Employee.objects.filter(user__username__in=["engineer", "engineer2"]))
    for index in range(start, start + count):
        period = Period.objects.create(
            department=department, year=2000 + index // 12, month=index % 12 + 1, opened_by=hr
        )
        for employee in people:
            Appraisal.objects.create(
                period=period,
                employee=employee,
                template_code="field_service",
                template_version=1,
                state=State.ARCHIVED,
                form_total=Decimal(90),
                final_score=Decimal(90),
                grade="A",
            )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["employee", "supervisor", "head", "hr"])
def test_list_page_queries_do_not_grow_with_rows(client, people, persona):
    client.force_login(people[persona])
    url = reverse("appraisal:index")
    _add_months(3, 0, people["hr"])
    few = _count(client, url)
    _add_months(17, 3, people["hr"])
    many = _count(client, url)
    print(persona, few, many)
    assert few == many
