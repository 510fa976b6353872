"""The API (/api/evidence/): the same scope (R-1.1) and actions as the pages, and lists whose query
count does not grow with the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from aftersales.evidence import services
from aftersales.evidence.models import Proposal, Source, Status
from tests.evidence.conftest import complaint, form_of, phone_offs

pytestmark = pytest.mark.django_db

LIST = reverse("api-evidence:proposal-list")


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return as_user


@pytest.fixture
def team_month(people, june, june_repairs):
    """Proposals for 赵磊 and 孙涛 (陈刚's team) and for 郑浩 and 冯军 (吴强's: their bands)."""
    complaint(people)
    phone_offs(people, "engineer2", [4])
    services.evidence_propose(period=june, actor=people.u["hr"])
    return {p.appraisal.employee.user.username: p for p in Proposal.objects.filter(appraisal__period=june)}


def listed(client, query: str = "") -> set[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return {row["employee_name"] for row in response.json()["results"]}


def test_r1_1_each_sees_the_proposals_in_their_scope(api, people, team_month):
    only_june = "status=proposed"
    assert listed(api(people.u["engineer"]), only_june) == {"赵磊"}
    assert listed(api(people.u["regional"]), only_june) == {"赵磊", "孙涛"}  # his region's forms
    assert {"赵磊", "孙涛", "郑浩"} <= listed(api(people.u["head"]), only_june)
    assert {"赵磊", "孙涛", "郑浩"} <= listed(api(people.u["hr"]), only_june)
    assert listed(api(people.u["outsider"])) == set()


def test_the_list_row_carries_the_evidence_and_whether_i_decide(api, people, team_month):
    proposal = team_month["engineer"]
    rows = api(people.u["regional"]).get(f"{LIST}?appraisal={proposal.appraisal_id}").json()["results"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["section"], row["value"], row["source"], row["deduction"]) == (
        "customer_communication",
        "verified_complaint",
        "complaint",
        "10.00",
    )
    assert row["evidence"][0]["kind"] == "complaint" and row["decidable"] is True
    mine = api(people.u["engineer"]).get(f"{LIST}?appraisal={proposal.appraisal_id}").json()["results"]
    assert mine[0]["decidable"] is False


def test_accept_and_reject_through_the_api(api, people, june, team_month):
    client = api(people.u["regional"])
    accepted = client.post(reverse("api-evidence:proposal-accept", args=[team_month["engineer"].pk]), {})
    assert accepted.status_code == 200 and accepted.json()["status"] == Status.ACCEPTED
    assert form_of(june, "engineer").entries["customer_communication"] == ["verified_complaint"]
    url = reverse("api-evidence:proposal-reject", args=[team_month["engineer2"].pk])
    assert client.post(url, {"reason": ""}, format="json").status_code == 400
    rejected = client.post(url, {"reason": "当天休假"}, format="json")
    assert rejected.json()["status"] == Status.REJECTED and rejected.json()["reason"] == "当天休假"
    again = client.post(url, {"reason": "再议"}, format="json")
    assert again.status_code == 400 and "detail" in again.json()


def test_only_the_supervisor_decides_through_the_api(api, people, team_month):
    url = reverse("api-evidence:proposal-accept", args=[team_month["engineer"].pk])
    assert api(people.u["engineer"]).post(url, {}).status_code == 403
    assert api(people.u["head"]).post(url, {}).status_code == 403
    assert api(people.u["outsider"]).post(url, {}).status_code == 404


def test_propose_through_the_api(api, people, june):
    phone_offs(people, "engineer", [2, 3, 4])
    response = api(people.u["regional"]).post(
        reverse("api-evidence:propose"), {"period": june.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"appraisals": 3, "created": 1, "refreshed": 0, "withdrawn": 0}
    assert form_of(june, "engineer").evidence_proposals.get().source == Source.PHONE_OFF
    assert (
        api(people.u["engineer"]).post(reverse("api-evidence:propose"), {"period": june.pk}).status_code
        == 403
    )


# ---------------------------------------------------------------------------------------------
# Query counts (STYLE.md): lists do not grow with the rows


def _more_proposals(form, count: int) -> None:
    Proposal.objects.bulk_create(
        Proposal(
            appraisal=form,
            section="information_transfer",
            section_name="信息传递",
            source=Source.PHONE_OFF,
            value="phone_off_occasional",
            item_text="偶尔手机关机",
            status=Status.REJECTED,
            reason="测试",
            decided_by=form.employee.supervisor.user,
        )
        for _ in range(count)
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_api_list_query_count_does_not_grow(people, june, team_month):
    client = APIClient()
    client.force_login(people.u["regional"])  # a session: the user is loaded afresh per request
    # 1 session  2 user  3 his groups (company-wide?)  4 his employee record (scope; remembered on the
    # request's user, also for ``decidable``)  5 departments he heads  6 count  7 the page's proposals
    # with form, period, department, employee and decider joined
    few = _queries(client, LIST)
    _more_proposals(form_of(june, "engineer"), 30)
    assert _queries(client, LIST) == few == 7


def test_the_index_query_count_does_not_grow(client, people, june, team_month):
    client.force_login(people.u["regional"])
    url = reverse("evidence:index") + "?show=all"
    few = _queries(client, url)
    _more_proposals(form_of(june, "engineer"), 30)
    # the API's 8, then 9 his employee record and 10 whether he has reports (may he propose?)
    # 11 the open periods for the propose form; 12–13 the menu: the parts and repair areas his business?
    assert _queries(client, url) == few == 13
    waiting = reverse("evidence:index")
    few = _queries(client, waiting)
    phone_offs(people, "engineer", [8])
    phone_offs(people, "engineer3", [9])
    services.evidence_propose(period=june, actor=people.u["hr"])
    assert _queries(client, waiting) == few
