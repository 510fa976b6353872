"""The form editor's data (formdefs.editor): what HR types is kept as typed, becomes the core's
template JSON, and every refusal names the input it is about (SPEC §2: the same validation as the
core). No database."""

from __future__ import annotations

import copy

import pytest
from django.http import QueryDict
from django.utils import translation

from aftersales.core.builtin_forms import BUILTIN_TEMPLATES, FIELD_SERVICE, REPAIR, TECH_SUPPORT
from aftersales.formdefs import editor
from aftersales.formdefs.layout import editor_page


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def flat(data: dict) -> QueryDict:
    """The fields the editor page posts for ``data`` (input name = the core's field path)."""
    post = QueryDict(mutable=True)
    post.update({"name": data["name"], "grading": data["grading"]})
    for s, section in enumerate(data["sections"]):
        for key, value in section.items():
            if key == "items":
                for i, item in enumerate(value):
                    post.update({f"sections[{s}].items[{i}].{name}": text for name, text in item.items()})
            elif key == "slots":
                post.update({f"sections[{s}].slots[{i}]": text for i, text in enumerate(value)})
            else:
                post[f"sections[{s}].{key}"] = value
    return post


@pytest.mark.parametrize("template", BUILTIN_TEMPLATES, ids=lambda t: t.code)
def test_every_builtin_form_survives_the_editor_unchanged(template):
    data = editor.draft_data(template)
    assert editor.data_from_post(flat(data)) == data
    assert editor.check(data, template.code) == {}
    assert editor.template_of(data, template.code) == template


def test_a_deduction_of_0_is_refused_naming_its_input_r_2_1():
    data = editor.draft_data(REPAIR)
    data["sections"][4]["items"][0]["deduction"] = "0"
    assert editor.check(data, "repair") == {"sections[4].items[0].deduction": "须大于0"}


def test_a_band_gap_is_refused_naming_the_upper_bound_r_2_4():
    data = editor.draft_data(REPAIR)
    data["sections"][1]["items"][2]["upper"] = "85"  # leaves 85–90 % without a band
    errors = editor.check(data, "repair")
    assert list(errors) == ["sections[1].items[2].upper"]
    assert "85%至90%" in errors["sections[1].items[2].upper"]


def test_points_must_total_100_and_the_error_stands_on_the_form():
    data = editor.draft_data(REPAIR)
    data["sections"][0]["points"] = "25"
    errors = editor.check(data, "repair")
    assert errors == {"sections": "各考核项目分值之和须为100，现为105"}
    page = editor_page(data, errors)
    assert page.errors == ["各考核项目分值之和须为100，现为105"]  # names no input: shown above


def test_every_number_that_is_not_one_is_reported_at_once():
    data = editor.draft_data(REPAIR)
    data["sections"][0]["items"][1]["deduction"] = "十"
    data["sections"][2]["items"][0]["upper"] = "1O"
    assert editor.check(data, "repair") == {
        "sections[0].items[1].deduction": "须为数字",
        "sections[2].items[0].upper": "须为数字",
    }


def test_incident_counts_of_an_exclusive_group_r_2_3():
    data = editor.draft_data(FIELD_SERVICE)
    items = data["sections"][4]["items"]
    phone = next(i for i, item in enumerate(items) if item["code"] == "phone_off_3plus")
    assert (items[phone]["group"], items[phone]["incidents.min"], items[phone]["incidents.max"]) == (
        "phone_off",
        "3",
        "",
    )
    items[phone]["incidents.max"] = "5"  # 6 incidents and more would select nothing
    errors = editor.check(data, "field_service")
    assert errors == {
        f"sections[4].items[{phone}].incidents": "次数上限须留空：1次以上的每个次数都须对应一条"
    }
    page = editor_page(data, errors)
    row = page.blocks[4].rows[phone]
    assert row.errors == [errors[f"sections[4].items[{phone}].incidents"]]  # on the item's row


def test_a_graded_band_beyond_the_section_points():
    data = editor.draft_data(TECH_SUPPORT)
    data["sections"][1]["items"][1]["max"] = "12"
    assert editor.check(data, "tech_support") == {"sections[1].items[1].max": "须在0至10之间"}


def test_errors_land_on_the_input_they_name_with_the_value_kept():
    data = editor.draft_data(REPAIR)
    data["sections"][4]["items"][0]["deduction"] = "-3"
    page = editor_page(data, editor.check(data, "repair"))
    field = next(i for i in page.blocks[4].rows[0].inputs if i.key == "deduction")
    assert (field.path, field.value, field.errors) == ("sections[4].items[0].deduction", "-3", ["须大于0"])
    assert page.count == 1 and page.errors == []


def test_add_remove_and_move_items():
    data = editor.draft_data(REPAIR)
    codes = [item["code"] for item in data["sections"][0]["items"]]
    editor.apply(data, "down-item:0:0")
    assert [item["code"] for item in data["sections"][0]["items"]] == [codes[1], codes[0], codes[2]]
    editor.apply(data, "up-item:0:1")
    editor.apply(data, "add-item:0")
    added = data["sections"][0]["items"][-1]
    assert added == {
        "code": "item_4",
        "text": "",
        "deduction": "",
        "group": "",
        "incidents.min": "",
        "incidents.max": "",
    }
    assert editor.check(data, "repair") == {  # every blank at once
        "sections[0].items[3].text": "必须填写",
        "sections[0].items[3].deduction": "必须填写",
    }
    editor.apply(data, "remove-item:0:3")
    assert editor.check(data, "repair") == {}
    assert [item["code"] for item in data["sections"][0]["items"]] == codes


def test_add_and_remove_sections_and_goal_slots():
    data = editor.draft_data(TECH_SUPPORT)
    before = copy.deepcopy(data)
    editor.apply(data, "add-slot:0")
    assert data["sections"][0]["slots"][-1] == ""
    editor.apply(data, "remove-slot:0:3")
    editor.apply(data, "add-section", "choice")
    assert data["sections"][-1]["kind"] == "choice" and data["sections"][-1]["code"] == "section_5"
    editor.apply(data, "remove-section:4")
    assert data == before


def test_an_unknown_or_stale_button_changes_nothing():
    data = editor.draft_data(REPAIR)
    before = copy.deepcopy(data)
    for operation in ("remove-item:9:0", "up-item:x", "explode:1", "add-section", "down-section:4"):
        editor.apply(data, operation, "no-such-kind")
    assert data == before


def test_posted_rows_are_renumbered_in_order():
    post = flat(editor.draft_data(REPAIR))
    for key in [k for k in post if k.startswith("sections[0].items[1].")]:
        del post[key]  # a row gone from the page
    data = editor.data_from_post(post)
    assert [item["code"] for item in data["sections"][0]["items"]] == ["delay_task", "shirk_assignment"]
