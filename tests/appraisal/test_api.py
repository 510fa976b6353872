"""The API of the cycle: the same steps and roles as the pages (R-4.1), JSON in and out."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.appraisal.models import Appraisal, State
from aftersales.organisation.models import Department
from tests.appraisal.helpers import advance

pytestmark = pytest.mark.django_db


def _post(client, user, name: str, pk: int | None = None, **data):
    client.force_login(user)
    url = reverse(f"api-appraisal:{name}", kwargs={"pk": pk} if pk else None)
    return client.post(url, data=data, content_type="application/json")


def test_a_month_through_the_api(client, people, appraisal):
    pk = appraisal.pk
    assert _post(client, people["employee"], "appraisal-self-report", pk, summary="完成").status_code == 200
    entries = {"work_arrangement": ["delay_task"]}
    response = _post(client, people["supervisor"], "appraisal-score", pk, entries=entries, comment="好")
    assert (response.json()["state"], response.json()["final_score"]) == ("scored", "90.00")
    assert (
        _post(client, people["head"], "appraisal-return", pk, comment="请核实").json()["state"] == "returned"
    )
    assert (
        _post(client, people["supervisor"], "appraisal-score", pk, entries={}).json()["final_score"]
        == "100.00"
    )
    assert _post(client, people["head"], "appraisal-review", pk).json()["state"] == "reviewed"
    body = _post(
        client, people["employee"], "appraisal-appeal", pk, items=["work_arrangement"], reasons="x"
    ).json()
    appeal = body["appeals"][0]["id"]
    decided = _post(
        client,
        people["hr"],
        "appeal-decide",
        appeal,
        upheld=True,
        minutes="成立",
        entries={},
    ).json()
    new = decided["resulting_version"]
    assert _post(client, people["employee"], "appraisal-confirm", new).json()["confirmed_channel"] == "app"
    archived = _post(client, people["hr"], "appraisal-archive", new).json()
    assert (archived["state"], archived["version"], archived["previous"]) == ("archived", 2, pk)
    assert [t["to_state"] for t in archived["transitions"]] == ["reviewed", "confirmed", "archived"]


def test_the_detail_lists_the_steps_the_user_may_take(client, people, appraisal):
    advance(appraisal, State.SCORED)
    client.force_login(people["head"])
    body = client.get(reverse("api-appraisal:appraisal-detail", kwargs={"pk": appraisal.pk})).json()
    assert body["actions"] == ["return", "review"]
    assert body["entries"] == appraisal.entries


def test_a_wrong_role_is_403_and_an_impossible_step_400(client, people, appraisal):
    assert (
        _post(client, people["supervisor"], "appraisal-self-report", appraisal.pk, summary="x").status_code
        == 403
    )
    assert (
        _post(client, people["outsider"], "appraisal-self-report", appraisal.pk, summary="x").status_code
        == 404
    )
    refused = _post(client, people["employee"], "appraisal-confirm", appraisal.pk)
    assert refused.status_code == 400 and refused.json()["field"] is None
    advance(appraisal, State.SELF_REPORTED)
    bad = _post(
        client, people["supervisor"], "appraisal-score", appraisal.pk, entries={"work_arrangement": "x"}
    )
    assert bad.status_code == 400 and bad.json()["field"] == "entries.work_arrangement"


def test_list_filters_and_scope(client, people, period):
    advance(Appraisal.objects.get(period=period, employee__user__username="engineer"), State.SELF_REPORTED)
    client.force_login(people["supervisor"])
    url = reverse("api-appraisal:appraisal-list")
    names = {row["employee"]["name"] for row in client.get(url, {"period": period.pk}).json()["results"]}
    assert names == {"赵磊", "孙涛", "周鹏", "陈刚"}  # his team and himself
    rows = client.get(url, {"period": period.pk, "state": "self_reported"}).json()["results"]
    assert [row["employee"]["name"] for row in rows] == ["赵磊"]
    client.force_login(people["outsider"])
    assert client.get(url).json()["results"] == []


def test_list_pages_by_key_so_a_deep_page_costs_what_the_first_does(client, people, period):
    """Issue 11: the list pages by cursor (no count, no offset); following ``next`` visits every
    appraisal once, newest first, and a page of 2 costs the queries of a page of all."""
    client.force_login(people["hr"])
    url = reverse("api-appraisal:appraisal-list") + "?page_size=2&versions=all"
    seen, queries = [], []
    while url:
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).json()
        assert "count" not in body
        seen += [row["id"] for row in body["results"]]
        queries.append(len(captured))
        url = body["next"]
    assert len(seen) == len(set(seen)) == Appraisal.objects.count() > 4
    assert seen == sorted(seen, reverse=True)
    with CaptureQueriesContext(connection) as whole:  # every row on one page
        client.get(reverse("api-appraisal:appraisal-list") + "?page_size=500&versions=all")
    assert max(queries) == len(whole), queries  # a page's queries do not grow with its rows


def test_hr_opens_a_period_through_the_api(client, people):
    data = {"department": Department.objects.get(code="as").pk, "year": 2025, "month": 6}
    assert _post(client, people["head"], "period-list", **data).status_code == 403
    response = _post(client, people["hr"], "period-list", **data)
    assert response.status_code == 201 and response.json()["review_deadline"] == "2025-07-10"
    assert _post(client, people["hr"], "period-list", **data).status_code == 400


def test_agreement_goals_and_signatures(client, people, period):
    agreement = period.agreements.get(employee__user__username="improver")
    lead, improver = agreement.employee.supervisor.user, agreement.employee.user
    goals = [{"title": "技改方案", "weight": "40"}, {"title": "现场验证", "weight": "20"}]
    saved = _post(client, lead, "agreement-save", agreement.pk, goals=goals)
    assert [g["weight"] for g in saved.json()["goals"]] == ["40.00", "20.00"]
    assert _post(client, lead, "agreement-save", agreement.pk, goals=goals[:1]).status_code == 400  # 40 ≠ 60
    _post(client, improver, "agreement-sign", agreement.pk)
    assert _post(client, lead, "agreement-sign", agreement.pk).json()["is_signed"] is True


def test_the_schema_documents_the_api(client, people):
    client.force_login(people["hr"])
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/appraisal/appraisals/{id}/score/" in schema
    assert "AppraisalDetail" in schema
