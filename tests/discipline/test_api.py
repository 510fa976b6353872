"""/api/discipline/: the same access and acts as the pages, paginated, constant queries, in the schema."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.discipline.models import DisciplineRecord, Kind, RewardReason, Status
from tests.discipline.conftest import YEAR, approved, propose

RECORDS = reverse("api-discipline:record-list")


def _api(client, world, persona):
    client.force_login(world.users[persona])
    return client


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(RECORDS)
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_rows(client, world):
    _api(client, world, "head")
    propose(world, Kind.MERIT)
    few = _list_queries(client)
    for persona in ("engineer", "engineer2", "engineer3"):
        for kind in (Kind.COMMENDATION, Kind.DEMERIT, Kind.MAJOR_MERIT):
            approved(world, kind, employee=world.employee(persona))
    assert _list_queries(client) == few
    # session, user, the head's groups (HR?), whom he sees (employee, headed departments ×3 levels),
    # the count, the page of records with employee, department, reason, issuer, approver joined
    assert few <= 9


def test_list_is_paginated_and_filtered(client, world):
    propose(world, Kind.MERIT)
    approved(world, Kind.WARNING)
    body = _api(client, world, "hr").get(RECORDS, {"status": "approved", "year": YEAR}).json()
    assert body["count"] == 1
    record = body["results"][0]
    assert (record["kind"], record["points"], record["employee"]["name"]) == ("warning", "-1", "赵磊")


def test_an_outsider_sees_nothing(client, world):
    propose(world, Kind.MERIT)
    assert _api(client, world, "outsider").get(RECORDS).json()["count"] == 0


def test_create_and_approve(client, world):
    reason = RewardReason.objects.get(article=12)
    data = {
        "employee": world.employees["employee"].pk,
        "kind": "merit",
        "reason": reason.pk,
        "effective_date": f"{YEAR}-06-01",
    }
    created = _api(client, world, "supervisor").post(RECORDS, data, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "proposed"
    pk = created.json()["id"]
    approve = reverse("api-discipline:record-approve", args=[pk])
    assert client.post(approve, {}, content_type="application/json").status_code == 403  # the proposer
    response = _api(client, world, "head").post(approve, {"note": "同意"}, content_type="application/json")
    assert response.json()["status"] == "approved"
    assert DisciplineRecord.objects.get(pk=pk).approved_by == world.users["head"]
    again = client.post(approve, {}, content_type="application/json")
    assert again.status_code == 400


def test_create_refuses_a_proposal_without_reason(client, world):
    data = {"employee": world.employees["employee"].pk, "kind": "merit", "effective_date": f"{YEAR}-06-01"}
    response = _api(client, world, "head").post(RECORDS, data, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "reason_text"  # the one refusal shape (aftersales.ui.api_errors)


def test_create_for_someone_unseen_is_404(client, world):
    data = {
        "employee": world.employee("outsider").pk,
        "kind": "merit",
        "reason_text": "x",
        "effective_date": f"{YEAR}-06-01",
    }
    assert _api(client, world, "head").post(RECORDS, data, content_type="application/json").status_code == 404


def test_reject(client, world):
    record = propose(world, Kind.DEMERIT)
    url = reverse("api-discipline:record-reject", args=[record.pk])
    assert (
        _api(client, world, "hr").post(url, {"note": "不属实"}, content_type="application/json").status_code
        == 200
    )
    record.refresh_from_db()
    assert record.status == Status.REJECTED


def test_standing(client, world):
    for _ in range(3):
        approved(world, Kind.DEMERIT)
    url = reverse("api-discipline:standing", args=[world.employees["employee"].pk])
    body = _api(client, world, "employee").get(url, {"year": YEAR}).json()
    assert body["monthly_points"][2] == {"month": f"{YEAR}-03", "points": "-9"}
    assert body["net"]["major_demerit"] == 1
    assert body["levels"][1]["bad_converted"] == 1
    assert body["dismissal_case"] is False


def test_the_schema_documents_the_endpoints(client, world):
    schema = _api(client, world, "hr").get(reverse("api:schema"), {"format": "json"}).json()
    paths = set(schema["paths"])
    assert {
        "/api/discipline/records/",
        "/api/discipline/records/{id}/",
        "/api/discipline/records/{id}/approve/",
        "/api/discipline/records/{id}/reject/",
        "/api/discipline/employees/{id}/standing/",
        "/api/discipline/reasons/",
    } <= paths
    post = schema["paths"]["/api/discipline/records/"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/DisciplineProposal"
    )
