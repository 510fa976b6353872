"""The API twin of the form editor's save (/api/formdefs/drafts/<pk>/, issue 13 item 4): the whole draft
as the editor keeps it, saved as typed — valid or not — through the page's service, answered with what
the rules core still refuses (SPEC §2); HR only, as the page (R-1.1)."""

from __future__ import annotations

import copy

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from aftersales.formdefs.models import FormDraft, FormTemplate

pytestmark = pytest.mark.django_db
LEAVE = "sections[4].items[0].deduction"  # 4.3 工作纪律: 未经允许,私自离开工作地点 −5


def _url(draft):
    return reverse("api-formdefs:draft", args=[draft.pk])


def _save(client, draft, definition):
    return client.post(_url(draft), definition, content_type="application/json")


def test_r_2_4_a_band_gap_is_saved_as_typed_and_answered_with_its_error(hr, draft):
    """R-2.4: bands that leave a gap are refused for publishing — the draft keeps them, named."""
    definition = copy.deepcopy(draft.definition)
    definition["sections"][1]["items"][1]["lower"] = "95"  # 七日返修 [95, 100): 90–95 % in no band
    definition["sections"][4]["items"][1]["text"] = "存在迟到、早退、旷工现象"
    before = draft.updated_at
    answer = _save(hr, draft, definition)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["errors"] == [
        {"field": "sections[1].items[2].upper", "message": "档次之间有空缺：90%至95%的比率没有落在任何档次"}
    ]
    assert body["definition"] == definition
    draft.refresh_from_db()
    assert draft.definition == definition and draft.updated_at > before  # kept, as the page keeps it
    assert hr.post(reverse("api-formdefs:draft-publish", args=[draft.pk]), {}).status_code == 400


def test_a_good_draft_is_saved_without_errors_and_publishes(hr, draft):
    definition = copy.deepcopy(draft.definition)
    definition["sections"][4]["items"][0]["deduction"] = "8"
    answer = _save(hr, draft, definition)
    assert answer.status_code == 200 and answer.json()["errors"] == []
    assert hr.get(_url(draft)).json()["definition"]["sections"][4]["items"][0]["deduction"] == "8"
    body = {"effective_month": "2099-01", "note": "离岗扣8分"}
    assert hr.post(reverse("api-formdefs:draft-publish", args=[draft.pk]), body).status_code == 201
    version = FormTemplate.objects.get(code="repair", version=2)
    assert version.definition["sections"][4]["items"][0]["deduction"] == "8"


def test_every_blank_and_non_number_is_named_at_once(hr, draft):
    definition = copy.deepcopy(draft.definition)
    definition["name"] = " "
    definition["sections"][0]["points"] = "二十"
    errors = {e["field"]: e["message"] for e in _save(hr, draft, definition).json()["errors"]}
    assert errors == {"name": "必须填写", "sections[0].points": "须为数字"}


@pytest.mark.parametrize("number", ["1e999999", "1e28", "-1e12"])
def test_a_number_beyond_any_form_is_named_not_a_server_error(hr, draft, number):
    definition = copy.deepcopy(draft.definition)
    definition["sections"][4]["items"][0]["deduction"] = number
    answer = _save(hr, draft, definition)
    assert answer.status_code == 200
    assert answer.json()["errors"] == [{"field": LEAVE, "message": "须在-1000000000至1000000000之间"}]


@pytest.mark.parametrize("count", ["9" * 5000, "²"])
def test_an_incident_count_no_integer_reads_is_named(hr, draft, count):
    """R-2.3's incident counts: digits beyond what Python reads, a superscript two — named, no crash."""
    definition = copy.deepcopy(draft.definition)
    definition["sections"][0]["items"][0]["incidents.min"] = count
    field = "sections[0].items[0].incidents.min"
    assert _save(hr, draft, definition).json()["errors"] == [{"field": field, "message": "须为整数"}]


def test_an_item_takes_the_inputs_of_its_sections_kind(hr, draft):
    """Missing inputs are blank, as empty boxes on the page; inputs the kind has not are dropped."""
    definition = copy.deepcopy(draft.definition)
    definition["sections"][3]["items"][0] = {"code": "new", "text": "新条目", "lower": "5"}  # a choice
    saved = _save(hr, draft, definition).json()["definition"]["sections"][3]["items"][0]
    assert saved == {"code": "new", "text": "新条目", "deduction": ""}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["sections"][0].update(kind="bogus"), "sections"),
        (lambda d: d.update(grading="relative"), "grading"),
        (lambda d: d["sections"][0]["items"][0].update(text=["a"]), "sections"),
        (lambda d: d.pop("sections"), "sections"),
    ],
)
def test_a_body_the_editor_could_not_send_is_a_400_and_saves_nothing(hr, draft, change, field):
    definition = copy.deepcopy(draft.definition)
    change(definition)
    answer = _save(hr, draft, definition)
    assert answer.status_code == 400 and field in answer.json()
    assert FormDraft.objects.get(pk=draft.pk).definition == draft.definition


@pytest.mark.parametrize("username", ["engineer", "regional", "head", "outsider"])
def test_r_1_1_only_hr_saves_a_draft(client, draft, username):
    client.force_login(get_user_model().objects.get(username=username))
    definition = copy.deepcopy(draft.definition) | {"name": "改名"}
    assert _save(client, draft, definition).status_code == 403
    assert client.get(_url(draft)).status_code == 403
    assert FormDraft.objects.get(pk=draft.pk).definition["name"] == draft.definition["name"]
