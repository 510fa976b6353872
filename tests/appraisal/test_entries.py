"""Posted form fields → entries in the shape of `aftersales calc score` (no database)."""

from __future__ import annotations

from django.http import QueryDict

from aftersales.appraisal.entries import entries_from_post, section_views
from aftersales.core.builtin_forms import FIELD_SERVICE, REPAIR, TECH_SUPPORT
from aftersales.core.forms import score_form


def _post(**fields: object) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        data.setlist(key.replace("__", "-"), value if isinstance(value, list) else [value])
    return data


def test_checklists_and_the_exclusive_group():
    posted = _post(work_arrangement=["leave_post"], information_transfer__group__phone_off="phone_off_3plus")
    entries, checks = entries_from_post(FIELD_SERVICE, posted)
    assert entries["work_arrangement"] == ["leave_post"]
    assert entries["information_transfer"] == ["phone_off_3plus"]
    assert entries["parts_management"] == [] and checks == []
    assert score_form(FIELD_SERVICE, entries).form_total == 70  # 100 − 25 − 5 (R-2.3: n ≥ 3)


def test_bands_choices_and_not_applicable():
    entries, _ = entries_from_post(
        REPAIR, _post(work_attitude="helps_others", seven_day_repair="85", second_repair="")
    )
    assert entries["seven_day_repair"] == "85" and "second_repair" not in entries  # blank: not applicable
    assert score_form(REPAIR, entries).form_total == 100 - 10 - 2


def test_goals_and_graded_sections():
    posted = _post(
        monthly_goals__score=["30", "18", "20"],
        goal__check=["完成", "略有延期", "完成"],
        complaint_handling__item="within_1_day",  # one score (10): no typing needed
        website_maintenance__item="within_3_days",
        website_maintenance__score="7",
        document_maintenance__item="timely",
    )
    entries, checks = entries_from_post(TECH_SUPPORT, posted)
    assert entries["complaint_handling"] == {"item": "within_1_day", "score": "10"}
    assert checks == ["完成", "略有延期", "完成"]
    assert score_form(TECH_SUPPORT, entries).form_total == 68 + 10 + 7 + 10
    missing, _ = entries_from_post(TECH_SUPPORT, _post(monthly_goals__score=["30", "", "20"]))
    assert "monthly_goals" not in missing  # an unscored goal: the core says "is required"


def test_rows_show_what_was_chosen():
    entries = {"information_transfer": ["phone_off_occasional", "lack_cooperation"], "work_arrangement": []}
    views = section_views(FIELD_SERVICE, entries, {"information_transfer": "12"}, [], {})
    info = views[-1]
    group = next(row for row in info.rows if row.group)
    assert (group.chosen_code, [m.code for m in group.members]) == (
        "phone_off_occasional",
        ["phone_off_3plus", "phone_off_occasional"],
    )
    assert [row.item.code for row in info.rows if row.item and row.chosen] == ["lack_cooperation"]
    assert info.score == "12"
