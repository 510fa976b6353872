"""What a new version changes against the one before (formdefs.diff): sections and items matched by
code, each change with its old and new value as the form prints it. No database."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from aftersales.core.builtin_forms import FIELD_SERVICE, REPAIR, TECH_SUPPORT
from aftersales.core.forms import IncidentRange, Item
from aftersales.formdefs.diff import Change, ItemDiff, template_diff


def _with_section(template, index, **changes):
    sections = list(template.sections)
    sections[index] = replace(sections[index], **changes)
    return replace(template, sections=tuple(sections))


def test_the_same_form_has_no_differences():
    assert template_diff(REPAIR, REPAIR).empty


def test_a_changed_deduction_shows_old_and_new():
    discipline = REPAIR.sections[4]
    items = (replace(discipline.items[0], deduction=Decimal(8)), *discipline.items[1:])
    diff = template_diff(REPAIR, _with_section(REPAIR, 4, items=items))
    [section] = diff.sections
    assert (section.code, section.status, section.changes) == ("work_discipline", "changed", ())
    assert section.items == (
        ItemDiff("leave_post", "未经允许,私自离开工作地点", "changed", (Change("deduction", "5", "8"),)),
    )


def test_items_added_removed_and_reordered():
    compliance = REPAIR.sections[0]
    new_item = Item("late_report", "未按时提交返修报告", Decimal("2.5"))
    items = (compliance.items[2], compliance.items[1], new_item)  # delay_task gone, two swapped
    diff = template_diff(REPAIR, _with_section(REPAIR, 0, items=items, points=Decimal(15)))
    [section] = diff.sections
    assert section.changes == (Change("points", "20", "15"),)
    assert section.reordered
    assert [(item.code, item.status) for item in section.items] == [
        ("late_report", "added"),
        ("delay_task", "removed"),
    ]
    assert section.items[0].changes == (
        Change("text", "", "未按时提交返修报告"),
        Change("deduction", "", "2.5"),
    )


def test_bands_incidents_and_graded_ranges_as_written():
    band = REPAIR.sections[1]
    bands = (replace(band.items[0], lower=Decimal(95)), *band.items[1:])
    assert template_diff(REPAIR, _with_section(REPAIR, 1, items=bands)).sections[0].items[0].changes == (
        Change("lower", "100", "95"),
    )
    info = FIELD_SERVICE.sections[4]
    phone = next(i for i, item in enumerate(info.items) if item.code == "phone_off_occasional")
    items = list(info.items)
    items[phone] = replace(items[phone], incidents=IncidentRange(1, 3))
    changes = template_diff(FIELD_SERVICE, _with_section(FIELD_SERVICE, 4, items=tuple(items))).sections[0]
    assert changes.items[0].changes == (Change("incidents", "1–2", "1–3"),)
    graded = TECH_SUPPORT.sections[3]
    levels = (graded.items[0], replace(graded.items[1], min=Decimal(4)), graded.items[2])
    diff = template_diff(TECH_SUPPORT, _with_section(TECH_SUPPORT, 3, items=levels))
    assert diff.sections[0].items[0].changes == (Change("min", "5", "4"),)


def test_sections_added_removed_and_form_fields():
    trial = replace(
        REPAIR,
        name="返修人员绩效考核表(试行)",
        grading="forced",
        sections=(*REPAIR.sections[1:], replace(REPAIR.sections[0], code="obedience")),
    )
    diff = template_diff(REPAIR, trial)
    assert diff.changes == (
        Change("name", "返修人员绩效考核表", "返修人员绩效考核表(试行)"),
        Change("grading", "absolute", "forced"),
    )
    assert [(s.code, s.status) for s in diff.sections] == [
        ("obedience", "added"),
        ("work_compliance", "removed"),
    ]
    assert Change("points", "", "20") in diff.sections[0].changes
    assert {item.status for item in diff.sections[1].items} == {"removed"}


def test_goal_slots():
    goals = TECH_SUPPORT.sections[0]
    diff = template_diff(TECH_SUPPORT, _with_section(TECH_SUPPORT, 0, slots=(Decimal(40), Decimal(30))))
    assert diff.sections[0].changes == (Change("slots", "30 / 20 / 20", "40 / 30"),)
    assert goals.slots == (Decimal(30), Decimal(20), Decimal(20))
