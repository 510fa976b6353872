"""Pages: the list and its filters, proposing, approving with htmx, the standing page, catalogue, cases."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.discipline.models import DisciplineRecord, DismissalCase, Kind, RewardReason, Status
from tests.discipline.conftest import YEAR, approved, propose
from tests.factories import StoreFactory

INDEX = reverse("discipline:index")


def _login(client, world, persona):
    client.force_login(world.users[persona])
    return client


def _index_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INDEX)
    assert response.status_code == 200
    return len(queries)


def test_index_query_count_does_not_grow_with_rows(client, world):
    _login(client, world, "head")
    StoreFactory()  # a store of his department: the menu's parts check stops at it
    propose(world, Kind.MERIT)
    few = _index_queries(client)
    for persona in ("engineer", "engineer2", "engineer3"):
        for kind in (Kind.COMMENDATION, Kind.DEMERIT, Kind.WARNING):
            propose(world, kind, employee=world.employee(persona))
    assert _index_queries(client) == few
    # session, user; who may decide: the head's employee, the departments he heads (3 levels: 售后服务部,
    # its units, theirs), his groups (HR?); whom he sees (organisation.access): employee, headed ×3;
    # the page's count; the page of records with employee, department, reason, issuer, approver joined;
    # the menu: whether the parts and repair areas are his business (web.context_processors.navigation);
    # his employee record and headed departments are looked up once per request; the newest and the
    # oldest year of the records (the year select, two index seeks) (14 in all)
    assert few <= 14


def test_index_defaults_to_the_newest_year_and_offers_all_years(client, world):
    """The first visit lists the newest year only (the list does not count the whole history);
    全部年度 (an empty year) lists every year; the select offers each year down to the oldest record."""
    latest = DisciplineRecord.objects.order_by("-effective_date").first()
    this = (latest.effective_date.year if latest else YEAR) + 1  # after any record there is
    newest = propose(world, Kind.MERIT, day=date(this, 1, 10))
    old = propose(world, Kind.DEMERIT, day=date(this - 2, 3, 1))
    _login(client, world, "hr")
    first = client.get(INDEX)
    shown = {r.pk for r in first.context["records"]}
    assert newest.pk in shown and old.pk not in shown
    select = first.content.decode()
    years = re.findall(r'<option value="(\d{4})"', select)
    assert years[:3] == [str(this), str(this - 1), str(this - 2)]
    assert f'<option value="{this}" selected' in select
    every = {r.pk for r in client.get(INDEX, {"year": ""}).context["records"]}
    assert {newest.pk, old.pk} <= every


def test_index_shows_only_what_the_user_may_see(client, world):
    propose(world, Kind.MERIT)
    propose(world, Kind.DEMERIT, employee=world.employee("technician"), by="head")
    own = _login(client, world, "employee").get(INDEX, {"year": ""})
    assert (
        own.context["page"].paginator.count
        == DisciplineRecord.objects.filter(employee=world.employees["employee"]).count()
    )
    assert _login(client, world, "outsider").get(INDEX, {"year": ""}).context["page"].paginator.count == 0


def test_index_filters(client, world):
    propose(world, Kind.MERIT)
    approved(world, Kind.WARNING)
    response = _login(client, world, "hr").get(INDEX, {"status": "proposed", "year": YEAR, "employee": "赵"})
    assert [r.kind for r in response.context["records"]] == [Kind.MERIT]


def test_filtering_with_htmx_returns_the_table_only(client, world):
    response = _login(client, world, "hr").get(INDEX, {"kind": "merit"}, HTTP_HX_REQUEST="true")
    assert b'id="records"' in response.content
    assert b"<nav" not in response.content.split(b'id="records"')[0]


def test_the_decider_sees_the_buttons_the_proposer_does_not(client, world):
    record = propose(world, Kind.MERIT)
    approve = reverse("discipline:record-approve", args=[record.pk]).encode()
    assert approve in _login(client, world, "head").get(INDEX, {"year": YEAR}).content
    assert approve not in _login(client, world, "supervisor").get(INDEX, {"year": YEAR}).content


def test_approve_with_htmx_returns_the_updated_row(client, world):
    record = propose(world, Kind.MERIT)
    url = reverse("discipline:record-approve", args=[record.pk])
    response = _login(client, world, "head").post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="record-{record.pk}"'.encode() in response.content
    record.refresh_from_db()
    assert record.status == Status.APPROVED
    again = client.post(url, HTTP_HX_REQUEST="true")
    assert "已审批".encode() in again.content


def test_reject_takes_the_htmx_prompt_as_the_note(client, world):
    record = propose(world, Kind.DEMERIT)
    url = reverse("discipline:record-reject", args=[record.pk])
    _login(client, world, "head").post(url, HTTP_HX_REQUEST="true", HTTP_HX_PROMPT="证据不足")
    record.refresh_from_db()
    assert (record.status, record.note) == (Status.REJECTED, "证据不足")


def test_reject_decodes_a_chinese_prompt_that_htmx_sent_uri_encoded(client, world):
    """htmx sends a non-ASCII hx-prompt answer URI-encoded and says so: the note is stored decoded."""
    record = propose(world, Kind.DEMERIT)
    url = reverse("discipline:record-reject", args=[record.pk])
    _login(client, world, "head").post(
        url,
        HTTP_HX_REQUEST="true",
        HTTP_HX_PROMPT="%E5%BD%93%E5%A4%A9%E8%AF%B7%E5%81%87",
        HTTP_HX_PROMPT_URI_AUTOENCODED="true",
    )
    record.refresh_from_db()
    assert (record.status, record.note) == (Status.REJECTED, "当天请假")


def test_propose_form_creates_a_proposal(client, world):
    reason = RewardReason.objects.get(article=13)
    data = {
        "employee": world.employees["employee"].pk,
        "reason": reason.pk,
        "kind": Kind.MERIT,
        "reason_text": "",
        "effective_date": "2023-03-01",
    }
    response = _login(client, world, "supervisor").post(reverse("discipline:propose"), data)
    record = DisciplineRecord.objects.get(reason=reason, employee=world.employees["employee"])
    assert response.url == reverse("discipline:record-detail", args=[record.pk])
    assert (record.employee, record.status) == (world.employees["employee"], Status.PROPOSED)


def test_a_replayed_proposal_form_proposes_once(client, world):
    """The page's one-use form token: a double submit gives the first answer, not a second record."""
    reason = RewardReason.objects.get(article=13)
    client = _login(client, world, "supervisor")
    token = re.search(
        r'name="form_token" value="(\w+)"', client.get(reverse("discipline:propose")).content.decode()
    )
    data = {
        "employee": world.employees["employee"].pk,
        "reason": reason.pk,
        "kind": Kind.MERIT,
        "effective_date": "2023-03-01",
        "form_token": token.group(1),
    }
    first, again = (client.post(reverse("discipline:propose"), data) for _ in range(2))
    assert DisciplineRecord.objects.filter(reason=reason, employee=world.employees["employee"]).count() == 1
    assert (again.status_code, again["Location"]) == (302, first["Location"])


def test_propose_form_offers_only_the_users_people(client, world):
    form = _login(client, world, "supervisor").get(reverse("discipline:propose")).context["form"]
    names = set(form.fields["employee"].queryset.values_list("name", flat=True))
    assert names == {"赵磊", "孙涛", "周鹏"}


def test_propose_form_shows_the_missing_reason(client, world):
    data = {"employee": world.employees["employee"].pk, "kind": Kind.MERIT, "effective_date": "2023-03-01"}
    response = _login(client, world, "supervisor").post(reverse("discipline:propose"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["reason_text"]


def test_standing_page_explains_each_level(client, world):
    for month in (1, 2, 3):
        approved(world, Kind.DEMERIT, day=date(YEAR, month, 5))
    url = reverse("discipline:standing", args=[world.employees["employee"].pk])
    text = _login(client, world, "employee").get(url, {"year": YEAR}).content.decode()
    assert "折算大功 0 次,大过 1 次" in text
    assert "剩余大功 0 次,大过 1 次" in text
    assert "全年合计 -9 分" in text


def test_standing_page_shows_the_dismissal_case(client, world):
    for _ in range(3):
        approved(world, Kind.MAJOR_DEMERIT)
    url = reverse("discipline:standing", args=[world.employees["employee"].pk])
    assert b'id="dismissal-case"' in _login(client, world, "head").get(url, {"year": YEAR}).content


def test_hr_edits_the_catalogue(client, world):
    reason = RewardReason.objects.get(article=15)
    data = {"article": 15, "clause": 0, "text": reason.text, "suggested_kind": Kind.COMMENDATION}
    response = _login(client, world, "hr").post(reverse("discipline:reason-edit", args=[reason.pk]), data)
    assert response.url == reverse("discipline:reasons")
    reason.refresh_from_db()
    assert (reason.suggested_kind, reason.active) == (Kind.COMMENDATION, False)


def test_hr_decides_a_case_on_the_cases_page(client, world):
    for _ in range(3):
        approved(world, Kind.MAJOR_DEMERIT)
    case = DismissalCase.objects.get()
    _login(client, world, "hr")
    assert "相抵折算后累计大过 3 次" in client.get(reverse("discipline:cases")).content.decode()
    client.post(reverse("discipline:case-decide", args=[case.pk]), {"decision": "解除劳动合同"})
    case.refresh_from_db()
    assert case.decision == "解除劳动合同"


@pytest.mark.parametrize("persona", ["employee", "supervisor", "head"])
def test_cases_are_hrs(client, world, persona):
    assert _login(client, world, persona).get(reverse("discipline:cases")).status_code == 403
