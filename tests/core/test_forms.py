"""Form templates and scoring (SPEC §2, R-2.1–R-2.4, R-3.1): aftersales.core.forms."""

import re
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.core.builtin_forms import (
    BUILTIN_TEMPLATES,
    FIELD_SERVICE,
    REPAIR,
    TECH_IMPROVEMENT,
    TECH_SUPPORT,
)
from aftersales.core.errors import RuleError
from aftersales.core.forms import (
    IncidentRange,
    Item,
    Section,
    Template,
    from_dict,
    graded_item_for_response,
    group_item_for_incidents,
    score_form,
    to_dict,
    validate_template,
)

D = Decimal
REPAIR_ATTITUDE = {"work_attitude": "prevents_problems"}  # the one required section of 4.3


def section_score(template: Template, entries: dict, code: str) -> Decimal:
    result = score_form(template, entries)
    return next(s.score for s in result.sections if s.code == code)


def raises(field: str, match: str = ""):
    """Expect a RuleError naming ``field``."""
    return pytest.raises(RuleError, match=f"^{re.escape(field)}: .*{match}")


def with_section(template: Template, index: int, **changes) -> Template:
    sections = list(template.sections)
    sections[index] = replace(sections[index], **changes)
    return replace(template, sections=tuple(sections))


def with_item(template: Template, section: int, item: int, **changes) -> Template:
    items = list(template.sections[section].items)
    items[item] = replace(items[item], **changes)
    return with_section(template, section, items=tuple(items))


# ---------------------------------------------------------------------------------------------
# deduction sections


def test_deduction_nothing_occurred_keeps_the_points():
    """R-2.1 未发生的行为不扣分: a missing or empty deduction section scores its points."""
    assert section_score(REPAIR, REPAIR_ATTITUDE, "work_compliance") == 20
    assert section_score(REPAIR, {**REPAIR_ATTITUDE, "work_compliance": []}, "work_compliance") == 20
    assert section_score(REPAIR, {**REPAIR_ATTITUDE, "work_compliance": None}, "work_compliance") == 20


def test_deductions_of_occurred_items_add_up():
    entries = {**REPAIR_ATTITUDE, "work_compliance": ["delay_task", "perfunctory"]}
    assert section_score(REPAIR, entries, "work_compliance") == 5


def test_deduction_section_is_floored_at_zero():
    """R-2.1: 15 + 10 + 8 > 20 points of 信息传递 → 0, not negative."""
    entries = {
        "information_transfer": ["quality_database_misuse", "routine_reports_late", "market_info_weak"]
    }
    assert section_score(FIELD_SERVICE, entries, "information_transfer") == 0


def test_an_item_counts_once_per_month():
    """R-2.1: an item counts once whatever the number of incidents."""
    entries = {**REPAIR_ATTITUDE, "work_discipline": ["leave_post", "leave_post", "leave_post"]}
    assert section_score(REPAIR, entries, "work_discipline") == 5
    result = score_form(REPAIR, entries)
    assert result.sections[4].applied == ("leave_post",)


def test_unknown_deduction_item_is_named():
    with raises("entries.work_discipline[1]", "unknown item 'sleeping'"):
        score_form(REPAIR, {**REPAIR_ATTITUDE, "work_discipline": ["leave_post", "sleeping"]})


def test_deduction_value_must_be_a_list():
    with raises("entries.work_discipline", "list of item codes"):
        score_form(REPAIR, {**REPAIR_ATTITUDE, "work_discipline": "leave_post"})


# ---------------------------------------------------------------------------------------------
# exclusive groups


INFO = FIELD_SERVICE.section("information_transfer")


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, None),
        (1, "phone_off_occasional"),
        (2, "phone_off_occasional"),
        (3, "phone_off_3plus"),
        (9, "phone_off_3plus"),
    ],
)
def test_phone_off_incident_count_selects_the_item(count, expected):
    """R-2.3: n ≥ 3 → −5; 1 ≤ n ≤ 2 → −3; 0 → nothing."""
    item = group_item_for_incidents(INFO, "phone_off", count)
    assert (item.code if item else None) == expected


@pytest.mark.parametrize(("count", "score"), [(0, 20), (1, 17), (2, 17), (3, 15)])
def test_phone_off_deduction_by_incident_count(count, score):
    """R-2.3: the selected item's deduction is what the section loses."""
    item = group_item_for_incidents(INFO, "phone_off", count)
    entries = {"information_transfer": [item.code] if item else []}
    assert section_score(FIELD_SERVICE, entries, "information_transfer") == score


def test_two_items_of_one_exclusive_group_are_refused():
    """R-2.3: the −5 and −3 phone-off items never both apply."""
    entries = {"information_transfer": ["phone_off_occasional", "lack_cooperation", "phone_off_3plus"]}
    with raises("entries.information_transfer[2]", "exclude each other"):
        score_form(FIELD_SERVICE, entries)


def test_incident_count_helper_refuses_bad_input():
    with raises("count"):
        group_item_for_incidents(INFO, "phone_off", -1)
    with raises("group"):
        group_item_for_incidents(INFO, "late_lunch", 1)


# ---------------------------------------------------------------------------------------------
# choice (工作态度)


@pytest.mark.parametrize(
    ("level", "score"),
    [
        ("lapse_not_remedied", 2),
        ("problem_remedied", 4),
        ("meets_requirements", 6),
        ("helps_others", 8),
        ("prevents_problems", 10),
    ],
)
def test_choice_scores_points_minus_the_level(level, score):
    assert section_score(REPAIR, {"work_attitude": level}, "work_attitude") == score


def test_choice_is_required():
    with raises("entries.work_attitude", "is required"):
        score_form(REPAIR, {})
    with raises("entries.work_attitude", "is required"):
        score_form(REPAIR, {"work_attitude": None})


def test_choice_takes_exactly_one_level():
    with raises("entries.work_attitude", "one item code"):
        score_form(REPAIR, {"work_attitude": ["helps_others", "prevents_problems"]})
    with raises("entries.work_attitude", "unknown item"):
        score_form(REPAIR, {"work_attitude": "perfect"})


# ---------------------------------------------------------------------------------------------
# bands


@pytest.mark.parametrize(
    ("rate", "score"),
    [
        ("100", 30),  # = 100 % 提前完成
        ("99.99", 25),
        ("90", 25),  # boundary belongs to the band above: [90, 100)
        ("89.99", 20),
        ("80", 20),
        ("79.99", 15),
        ("70", 15),
        ("69.99", 0),  # below 70: −35 on 30 points, floored
        ("65", 0),  # the source's 60–70 % gap is closed by the lowest band
        ("0", 0),
    ],
)
def test_seven_day_bands_and_boundaries(rate, score):
    """R-2.2 half-open bands; R-2.4 the lowest band extends down and floors at 0."""
    assert (
        section_score(REPAIR, {**REPAIR_ATTITUDE, "seven_day_repair": D(rate)}, "seven_day_repair") == score
    )


@pytest.mark.parametrize(
    ("rate", "score"),
    [
        ("0", 30),
        ("9.9", 30),
        ("10", 20),
        ("20", 15),
        ("30", 10),
        ("39.99", 10),
        ("40", 5),
        ("45", 5),
        ("100", 5),
    ],
)
def test_second_repair_bands(rate, score):
    """R-2.4: the source's 40–50 % gap is closed by extending the top band down to 40."""
    assert section_score(REPAIR, {**REPAIR_ATTITUDE, "second_repair": rate}, "second_repair") == score


def test_band_not_applicable_deducts_nothing():
    """R-2.2, R-10.2: null or missing rate = not applicable = no deduction."""
    assert section_score(REPAIR, {**REPAIR_ATTITUDE, "seven_day_repair": None}, "seven_day_repair") == 30
    assert section_score(REPAIR, REPAIR_ATTITUDE, "second_repair") == 30


@pytest.mark.parametrize("rate", ["-1", "100.01", "abc", True])
def test_band_rate_must_be_a_percentage(rate):
    with raises("entries.seven_day_repair"):
        score_form(REPAIR, {**REPAIR_ATTITUDE, "seven_day_repair": rate})


# ---------------------------------------------------------------------------------------------
# goals (绩效协议)


def test_goals_default_slots():
    entries = {"monthly_goals": ["27.5", 15, D(10)], "work_attitude": "prevents_problems"}
    assert section_score(TECH_IMPROVEMENT, entries, "monthly_goals") == D("52.5")


def test_goals_with_own_weights():
    goals = [{"weight": 40, "score": 35}, {"weight": "20", "score": "20"}]
    entries = {"monthly_goals": goals, "work_attitude": "prevents_problems"}
    assert section_score(TECH_IMPROVEMENT, entries, "monthly_goals") == 55
    entries["monthly_goals"] = [{"weight": 60, "score": 60}]
    assert section_score(TECH_IMPROVEMENT, entries, "monthly_goals") == 60


@pytest.mark.parametrize(
    ("goals", "field", "message"),
    [
        (None, "entries.monthly_goals", "is required"),
        ([], "entries.monthly_goals", "1 to 5 goals"),
        ([30, 15], "entries.monthly_goals", "one per default goal"),
        ([31, 15, 15], r"entries.monthly_goals[0]", "between 0 and 30"),
        ([30, -1, 15], r"entries.monthly_goals[1]", "between 0 and 15"),
        (
            [{"weight": 30, "score": 10}, {"weight": 20, "score": 0}],
            "entries.monthly_goals",
            "sum to 60, not 50",
        ),
        (
            [{"weight": 30, "score": 31}, {"weight": 30, "score": 0}],
            "entries.monthly_goals[0].score",
            "between 0",
        ),
        (
            [{"weight": 0, "score": 0}, {"weight": 60, "score": 0}],
            "entries.monthly_goals[0].weight",
            "greater than 0",
        ),
        ([{"weight": 10, "score": 1}] * 6, "entries.monthly_goals", "1 to 5 goals"),
        ([{"weight": 60}], "entries.monthly_goals[0].score", "is required"),
        ([{"weight": 60, "score": 1, "note": "x"}], "entries.monthly_goals[0].note", "unknown field"),
    ],
)
def test_goals_errors(goals, field, message):
    entries = {"monthly_goals": goals, "work_attitude": "prevents_problems"}
    with raises(field, message):
        score_form(TECH_IMPROVEMENT, entries)


# ---------------------------------------------------------------------------------------------
# graded (日常工作, 4.5)

SUPPORT_OK = {
    "monthly_goals": [30, 20, 20],
    "complaint_handling": {"item": "within_1_day", "score": 10},
    "website_maintenance": {"item": "within_3_days", "score": "7"},
    "document_maintenance": {"item": "lagging", "score": 5},
}


def test_graded_sections_score_inside_the_chosen_band():
    result = score_form(TECH_SUPPORT, SUPPORT_OK)
    assert [s.score for s in result.sections] == [70, 10, 7, 5]
    assert result.form_total == 92


@pytest.mark.parametrize(
    ("value", "field", "message"),
    [
        (None, "entries.complaint_handling", "is required"),
        ({"item": "within_3_days", "score": 9}, "entries.complaint_handling.score", "between 6 and 8"),
        ({"item": "over_3_days", "score": 5}, "entries.complaint_handling.score", "between 0 and 4"),
        ({"item": "soon", "score": 5}, "entries.complaint_handling.item", "unknown item"),
        ({"score": 5}, "entries.complaint_handling.item", "is required"),
        ("within_1_day", "entries.complaint_handling", "must be an object"),
    ],
)
def test_graded_errors(value, field, message):
    with raises(field, message):
        score_form(TECH_SUPPORT, {**SUPPORT_OK, "complaint_handling": value})


@pytest.mark.parametrize(
    ("days", "item"),
    [
        ("0", "within_1_day"),
        ("1", "within_1_day"),
        ("1.01", "within_3_days"),
        ("2.99", "within_3_days"),
        ("3", "over_3_days"),
        ("10", "over_3_days"),
    ],
)
def test_response_time_proposes_the_band(days, item):
    """4.5: t ≤ 1 → 10 · 1 < t < 3 → 6–8 · t ≥ 3 → 0–4."""
    for code in ("complaint_handling", "website_maintenance"):
        assert graded_item_for_response(TECH_SUPPORT.section(code), D(days)).code == item


def test_response_time_proposal_needs_a_response_time_section():
    with raises("section"):
        graded_item_for_response(TECH_SUPPORT.section("document_maintenance"), D(1))
    with raises("days"):
        graded_item_for_response(TECH_SUPPORT.section("complaint_handling"), D(-1))


# ---------------------------------------------------------------------------------------------
# form total and final score


def test_form_total_is_the_sum_of_sections():
    entries = {
        "work_compliance": ["perfunctory"],
        "seven_day_repair": 85,
        "second_repair": "12.5",
        "work_attitude": "helps_others",
    }
    result = score_form(REPAIR, entries)
    assert [s.score for s in result.sections] == [10, 20, 20, 8, 10]
    assert result.form_total == 68
    assert result.final == 68
    assert (result.template, result.version) == ("repair", 1)


@pytest.mark.parametrize(
    ("points", "cap", "final"),
    [(0, 100, 100), (3, 100, 100), ("-9", 100, 91), ("-200", 100, 0), ("1.5", 95, 95)],
)
def test_final_score_adds_discipline_points_and_clamps(points, cap, final):
    """R-3.1: final = clamp(form total + discipline points, 0, cap)."""
    result = score_form(REPAIR, REPAIR_ATTITUDE, discipline_points=D(points), cap=D(cap))
    assert result.form_total == 100
    assert result.final == final


def test_low_total_with_a_penalty_clamps_at_zero():
    entries = {"work_compliance": ["shirk_assignment"], "seven_day_repair": 10, "second_repair": 90}
    entries |= {"work_attitude": "lapse_not_remedied", "work_discipline": ["leave_post", "lateness_absence"]}
    result = score_form(REPAIR, entries, discipline_points=-9)
    assert result.form_total == 7  # 0 + 0 + 5 + 2 + 0
    assert result.final == 0


def test_unknown_section_is_refused():
    with raises("entries.attendance", "unknown section"):
        score_form(REPAIR, {**REPAIR_ATTITUDE, "attendance": []})


def test_cap_cannot_be_negative():
    with raises("cap"):
        score_form(REPAIR, REPAIR_ATTITUDE, cap=-1)


def _entries(template: Template, draw) -> dict:
    """Random valid entries for every section of ``template``."""
    entries: dict = {}
    for section in template.sections:
        codes = [item.code for item in section.items]
        if section.kind == "deduction":
            picked = draw(st.lists(st.sampled_from(codes), max_size=len(codes)))
            groups: dict = {}
            entries[section.code] = [
                c for c in picked if groups.setdefault(section.item(c).group or c, c) == c
            ]
        elif section.kind == "choice":
            entries[section.code] = draw(st.sampled_from(codes))
        elif section.kind == "band":
            rate = st.decimals(min_value=0, max_value=100, places=2)
            entries[section.code] = draw(st.none() | rate)
        elif section.kind == "goals":
            entries[section.code] = [
                draw(st.decimals(min_value=0, max_value=w, places=1)) for w in section.slots
            ]
        else:
            item = section.item(draw(st.sampled_from(codes)))
            score = draw(st.decimals(min_value=item.min, max_value=item.max, places=1))
            entries[section.code] = {"item": item.code, "score": score}
    return entries


@given(st.data(), st.integers(min_value=-30, max_value=30))
def test_scores_always_lie_within_bounds(data, discipline_points):
    """R-2.1, R-3.1: each section in [0, points], the form total in [0, 100], the final in [0, 100]."""
    template = data.draw(st.sampled_from(BUILTIN_TEMPLATES))
    result = score_form(template, _entries(template, data.draw), discipline_points=discipline_points)
    assert all(0 <= s.score <= s.points for s in result.sections)
    assert 0 <= result.form_total <= 100
    assert 0 <= result.final <= 100
    assert result.final == min(max(result.form_total + discipline_points, 0), 100)


# ---------------------------------------------------------------------------------------------
# validate_template: what may not be published (SPEC §2, R-2.4)


def test_builtins_are_valid():
    for template in BUILTIN_TEMPLATES:
        validate_template(template)


def test_band_gap_is_refused():
    """R-2.4: bands must leave no gap: [80, 85) then [90, 100) leaves 85–90 uncovered."""
    broken = with_item(REPAIR, 1, 2, upper=D(85))
    with raises("sections[1].items[2].upper", "gap"):
        validate_template(broken)


def test_band_overlap_is_refused():
    broken = with_item(REPAIR, 1, 2, lower=D(75))  # [75, 90) overlaps [70, 80)
    with raises("sections[1].items[2].lower", "overlaps"):
        validate_template(broken)


def test_bands_must_reach_both_ends():
    with raises("sections[1].items[4].lower", "below 60"):
        validate_template(with_item(REPAIR, 1, 4, lower=D(60)))
    without_top_band = REPAIR.sections[1].items[1:]  # [90, 100) is now the highest band
    with raises("sections[1].items[0].upper", "from 100"):
        validate_template(with_section(REPAIR, 1, items=without_top_band))


def test_two_open_ended_bands_overlap():
    broken = with_item(REPAIR, 2, 3, upper=None)  # [30, null) and [40, null)
    with raises("sections[2].items[4].lower", "overlaps"):
        validate_template(broken)


def test_band_bounds_in_order_and_range():
    with raises("sections[1].items[1].upper", "greater than lower"):
        validate_template(with_item(REPAIR, 1, 1, upper=D(90)))
    with raises("sections[1].items[0].lower", "between 0 and 100"):
        validate_template(with_item(REPAIR, 1, 0, lower=D(101)))


def test_points_must_sum_to_100():
    broken = with_section(REPAIR, 0, points=D(25))
    with raises("sections", "sum to 100, not 105"):
        validate_template(broken)


@pytest.mark.parametrize(
    ("section", "item", "deduction", "field"),
    [
        (0, 0, "-5", "sections[0].items[0].deduction"),  # negative deduction
        (0, 0, "0", "sections[0].items[0].deduction"),  # a behaviour that occurred must cost points
        (3, 1, "-6", "sections[3].items[1].deduction"),  # choice levels may be 0, never negative
        (1, 1, "-5", "sections[1].items[1].deduction"),
    ],
)
def test_deductions_are_positive(section, item, deduction, field):
    with raises(field):
        validate_template(with_item(REPAIR, section, item, deduction=D(deduction)))


def test_zero_is_allowed_where_the_source_has_minus_zero():
    """认真履行职责 −0 and 提前完成(100%) −0 are valid levels."""
    assert REPAIR.sections[3].items[4].deduction == 0
    assert REPAIR.sections[1].items[0].deduction == 0
    validate_template(REPAIR)


def test_group_with_one_item_is_refused():
    broken = with_item(FIELD_SERVICE, 4, 5, group=None, incidents=None)
    with raises("sections[4].items[4].group", "at least two items"):
        validate_template(broken)


def test_group_outside_a_deduction_section_is_refused():
    with raises("sections[3].items[0].group", "not used in a choice section"):
        validate_template(with_item(REPAIR, 3, 0, group="attitude"))


def test_group_incident_counts_must_tile_from_one():
    with raises("sections[4].items[5].incidents", "min must be 1"):
        validate_template(with_item(FIELD_SERVICE, 4, 5, incidents=IncidentRange(2, 2)))
    with raises("sections[4].items[5].incidents", "is required"):
        validate_template(with_item(FIELD_SERVICE, 4, 5, incidents=None))
    with raises("sections[4].items[4].incidents", "min must be 3"):
        validate_template(with_item(FIELD_SERVICE, 4, 4, incidents=IncidentRange(4)))
    with raises("sections[4].items[0].incidents", "only items of an exclusive group"):
        validate_template(with_item(FIELD_SERVICE, 4, 0, incidents=IncidentRange(1)))


def test_plain_exclusive_group_without_counts_is_valid():
    plain = with_item(with_item(FIELD_SERVICE, 4, 4, incidents=None), 4, 5, incidents=None)
    validate_template(plain)


def test_goal_slots_must_sum_to_the_points():
    with raises("sections[0].slots", "sum to the section's 60 points, not 55"):
        validate_template(with_section(TECH_IMPROVEMENT, 0, slots=(D(30), D(15), D(10))))
    with raises("sections[0].slots", "1 to 5"):
        validate_template(with_section(TECH_IMPROVEMENT, 0, slots=(D(10),) * 6))


def test_graded_ranges_within_the_points():
    with raises("sections[1].items[1].max", "at least min"):
        validate_template(with_item(TECH_SUPPORT, 1, 1, min=D(8), max=D(6)))
    with raises("sections[1].items[0].max", "between 0 and 10"):
        validate_template(with_item(TECH_SUPPORT, 1, 0, max=D(11)))
    with raises("sections[1].items[2].min", "is required"):
        validate_template(with_item(TECH_SUPPORT, 1, 2, min=None))


def test_codes_are_unique_ascii():
    with raises("sections[1].code", "duplicate code 'work_compliance'"):
        validate_template(with_section(REPAIR, 1, code="work_compliance"))
    with raises("sections[0].items[2].code", "duplicate code"):
        validate_template(with_item(REPAIR, 0, 2, code="delay_task"))
    with raises("code", "ASCII"):
        validate_template(replace(REPAIR, code="返修"))


def test_attributes_of_other_kinds_are_refused():
    with raises("sections[0].items[0].lower", "not used in a deduction section"):
        validate_template(with_item(REPAIR, 0, 0, lower=D(1)))
    with raises("sections[0].measure", "not used in a goals section"):
        validate_template(with_section(TECH_SUPPORT, 0, measure="response_days"))


def test_grading_must_be_known():
    with raises("grading"):
        validate_template(replace(REPAIR, grading="curve"))


# ---------------------------------------------------------------------------------------------
# JSON


def test_to_dict_shape_follows_the_contract():
    data = to_dict(REPAIR)
    assert {k: data[k] for k in ("code", "name", "version", "total", "grading")} == {
        "code": "repair",
        "name": "返修人员绩效考核表",
        "version": 1,
        "total": "100",
        "grading": "absolute",
    }
    compliance, seven_day, _, attitude, _ = data["sections"]
    assert compliance["items"][1] == {
        "code": "perfunctory",
        "text": "工作存在扯皮或敷衍了事",
        "deduction": "10",
        "group": None,
    }
    assert seven_day["items"][0] == {
        "code": "complete_100",
        "text": "提前完成(100%)",
        "lower": "100",
        "upper": None,
        "deduction": "0",
    }
    assert set(attitude["items"][0]) == {"code", "text", "deduction"}


def test_json_round_trip_of_every_builtin():
    for template in BUILTIN_TEMPLATES:
        assert from_dict(to_dict(template)) == template


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(colour="red"), "colour"),
        (lambda d: d.update(total="90"), "total"),
        (lambda d: d["sections"][1].update(kind="curve"), "sections[1].kind"),
        (lambda d: d["sections"][1]["items"][0].update(upper="abc"), "sections[1].items[0].upper"),
        (lambda d: d["sections"][0].pop("items"), "sections[0].items"),
        (lambda d: d["sections"][0].update(slots=["20"]), "sections[0].slots"),
        (lambda d: d["sections"][1]["items"][0].pop("lower"), "sections[1].items[0].lower"),
        (lambda d: d.update(version="2"), "version"),
    ],
)
def test_from_dict_names_the_bad_field(change, field):
    data = to_dict(REPAIR)
    change(data)
    with raises(field):
        from_dict(data)


def test_from_dict_accepts_numbers_and_incidents():
    data = to_dict(FIELD_SERVICE)
    data["sections"][0]["points"] = 25
    template = from_dict(data)
    assert template == FIELD_SERVICE
    assert template.section("information_transfer").item("phone_off_3plus").incidents == IncidentRange(
        3, None
    )


def test_item_and_section_models_are_frozen():
    with pytest.raises(AttributeError):
        REPAIR.sections[0].points = D(1)
    assert isinstance(REPAIR.sections[0], Section)
    assert isinstance(REPAIR.sections[0].items[0], Item)
