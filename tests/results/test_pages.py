"""Pages and API of the use of results: scope (R-1.1), HR's acts, and lists whose number of queries
does not grow with their rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.organisation.models import Employee
from aftersales.results.models import CaseKind, EvaluationRun, ResultCase
from tests.results.factories import archived, archived_series

STAFF = ["support", "improver", "engineer", "engineer2", "engineer3", "technician", "technician2", "keeper"]


def _cases(years: range) -> None:
    """A work report and a promotion candidate per employee and year (the annual kinds)."""
    people = Employee.objects.filter(user__username__in=STAFF)
    ResultCase.objects.bulk_create(
        ResultCase(employee=person, kind=kind, year=year, facts={"composites": {str(year): "55.00"}})
        for person in people
        for year in years
        for kind in (CaseKind.WORK_REPORT, CaseKind.PROMOTION_CANDIDATE)
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


LISTS = [
    reverse("results:index"),
    reverse("results:index") + "?kind=work_report&status=open&employee=赵",
    reverse("results:key-talent"),
    reverse("api-results:case-list"),
    reverse("api-results:key-talent"),
]


@pytest.mark.parametrize("persona", ["hr", "head"])
@pytest.mark.parametrize("url", LISTS)
def test_case_lists_take_the_same_queries_for_1_or_10_years_of_cases(client, world, persona, url):
    """Session, user, roles, the viewer's employee and headed departments (scope), count, page:
    a constant number whatever the rows."""
    client.force_login(world.users[persona])
    _cases(range(2010, 2011))
    ResultCase.objects.filter(kind=CaseKind.PROMOTION_CANDIDATE).update(status="decided", decision="promote")
    few = _queries(client, url)
    _cases(range(2011, 2021))
    ResultCase.objects.filter(kind=CaseKind.PROMOTION_CANDIDATE).update(status="decided", decision="promote")
    assert _queries(client, url) == few


@pytest.mark.parametrize("url", [reverse("results:composites"), reverse("api-results:composite-list")])
def test_composites_take_the_same_queries_for_1_or_8_employees(client, world, url):
    """Session, user, roles, scope, the archived scores (one), the employees (one)."""
    client.force_login(world.users["hr"])
    people = list(Employee.objects.filter(user__username__in=STAFF))
    archived_series(people[0], "2016-01", [90, 80, 70])
    few = _queries(client, url + "?year=2016")
    for person in people[1:]:
        archived_series(person, "2016-01", [90, 80, 70])
    assert _queries(client, url + "?year=2016") == few


def test_the_composite_table_shows_the_year_and_the_two_before(client, world, engineer):
    client.force_login(world.users["head"])
    for year, score in [(2014, 91), (2015, 95)]:
        archived(engineer, f"{year}-06", score)
    archived_series(engineer, "2016-01", ["95", "92.5"])
    rows = client.get(reverse("api-results:composite-list") + "?year=2016").json()["results"]
    mine = next(row for row in rows if row["employee"]["id"] == engineer.pk)
    assert mine == {
        "employee": {"id": engineer.pk, "number": engineer.number, "name": "赵磊", "department": "现场服务"},
        "year": 2016,
        "composite": "93.75",
        "months": 2,
        "previous_year": "95.00",
        "year_before": "91.00",
        "promotion_candidate": True,
        "work_report_required": False,
    }
    page = client.get(reverse("results:composites") + "?year=2016").content.decode()
    assert "93.75" in page and "晋职候选" in page


def test_the_employee_sees_only_their_own_cases(client, world, engineer):
    _cases(range(2016, 2017))
    client.force_login(world.users["employee"])
    numbers = {
        case["employee"]["number"] for case in client.get(reverse("api-results:case-list")).json()["results"]
    }
    assert numbers == {engineer.number}
    client.force_login(world.users["outsider"])
    assert client.get(reverse("api-results:case-list")).json()["count"] == 0


def test_hr_decides_on_the_page_and_sees_the_history(client, world, engineer):
    case = ResultCase.objects.create(employee=engineer, kind=CaseKind.WORK_REPORT, year=2016, facts={})
    client.force_login(world.users["hr"])
    detail = client.get(case.get_absolute_url()).content.decode()
    assert 'id="decide-form"' in detail
    response = client.post(
        reverse("results:case-decide", args=[case.pk]), {"decision": "keep", "note": "述职通过"}, follow=True
    )
    page = response.content.decode()
    assert "处理决定已记录" in page and "维持现职" in page and 'id="decide-form"' not in page
    case.refresh_from_db()
    assert (case.decision, case.decided_by) == ("keep", world.users["hr"])


def test_a_refused_decision_shows_the_form_again_with_the_reason(client, world, engineer):
    case = ResultCase.objects.create(employee=engineer, kind=CaseKind.WORK_REPORT, year=2016, facts={})
    client.force_login(world.users["hr"])
    response = client.post(
        reverse("results:case-decide", args=[case.pk]), {"decision": "demote", "note": "降职"}
    )
    assert response.status_code == 200
    assert "请选择调整后的职位" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "open"


def test_the_head_sees_a_case_but_has_no_decision_form(client, world, engineer):
    case = ResultCase.objects.create(employee=engineer, kind=CaseKind.WORK_REPORT, year=2016, facts={})
    client.force_login(world.users["head"])
    assert 'id="decide-form"' not in client.get(case.get_absolute_url()).content.decode()


def test_the_api_decides_too(client, world, engineer):
    case = ResultCase.objects.create(
        employee=engineer, kind=CaseKind.UNQUALIFIED, year=2016, month=3, facts={}
    )
    client.force_login(world.users["hr"])
    url = reverse("api-results:case-decide", args=[case.pk])
    refused = client.post(
        url, {"decision": "training", "note": "非态度原因"}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["field"] == "training_content"
    body = {"decision": "training", "note": "非态度原因", "training_content": "故障诊断培训"}
    decided = client.post(url, body, content_type="application/json").json()
    assert (decided["status"], decided["decision"], decided["decided_by"]) == ("decided", "training", "hr")
    assert decided["training_request"] is not None


def test_hr_runs_the_evaluation_from_the_page(client, world, engineer):
    archived_series(engineer, "2016-01", [50, 50, 50])
    client.force_login(world.users["hr"])
    response = client.post(reverse("results:evaluate"), {"year": 2016, "month": 3}, follow=True)
    assert "新立案 1 件" in response.content.decode()
    assert ResultCase.objects.filter(employee=engineer, kind=CaseKind.UNQUALIFIED, year=2016).count() == 1
    assert EvaluationRun.objects.filter(year=2016, month=3, actor=world.users["hr"]).exists()


def test_the_index_answers_htmx_with_the_table_only(client, world):
    client.force_login(world.users["hr"])
    page = client.get(reverse("results:index"), headers={"HX-Request": "true"}).content.decode()
    assert page.lstrip().startswith('<div id="cases">')
