"""The mapping of facts onto the pinned template (SPEC §11), without a database: stable codes,
the exclusive phone-off group (R-2.3), band rates (R-2.2), response-time bands (form 4.5), and how
an accepted entry merges into the form."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.core.builtin_forms import (
    FIELD_SERVICE,
    REGIONAL_SUPERVISOR,
    REPAIR,
    TECH_IMPROVEMENT,
    TECH_SUPPORT,
)
from aftersales.core.forms import band_for_rate
from aftersales.evidence import rules
from aftersales.evidence.form_entries import entry_of, holds, merged
from aftersales.evidence.rules import Finding, placements


def sources_on(template) -> dict[str, str]:
    return {p.source: p.section.code for p in placements(template)}


def test_each_form_gets_the_sources_it_has_targets_for():
    assert sources_on(FIELD_SERVICE) == {
        rules.COMPLAINT: "customer_communication",
        rules.INCIDENT: "information_transfer",
        rules.PHONE_OFF_SOURCE: "information_transfer",
        rules.PARTS_UNSETTLED: "parts_management",
        rules.OLD_PART_MISSING: "parts_management",
        # the field records (issue 13)
        rules.LEFT_POST: "work_arrangement",
        rules.SUPPORT_NEEDED: "fault_handling",
        rules.WRITTEN_COMPLAINT: "customer_communication",
        rules.ROUTINE_REPORTS: "information_transfer",
        rules.MARKET_INFO: "information_transfer",
        rules.PAID_SERVICE: "information_transfer",
        rules.EXPENSE_CLAIM: "information_transfer",
        rules.ESCALATION_LATE: "information_transfer",
    }
    region = {
        rules.REGION_COMPLAINTS: "regional_management",
        rules.CUSTOMER_VISITS: "regional_management",
        rules.REGION_SUMMARY: "regional_management",
        rules.REGION_UNREPORTED: "regional_management",
    }
    assert sources_on(REGIONAL_SUPERVISOR) == sources_on(FIELD_SERVICE) | region
    discipline = {rules.LEFT_POST: "work_discipline", rules.LATENESS: "work_discipline"}
    assert (
        sources_on(REPAIR)
        == {
            rules.SEVEN_DAY: "seven_day_repair",
            rules.SECOND_REPAIR: "second_repair",
        }
        | discipline
    )
    assert sources_on(TECH_SUPPORT) == {
        rules.COMPLAINT_RESPONSE: "complaint_handling",
        rules.QUALITY_RESPONSE: "website_maintenance",
        rules.FILING_LAG: "document_maintenance",
    }
    assert sources_on(TECH_IMPROVEMENT) == discipline


def test_a_setting_may_redirect_a_deduction_source_but_not_a_band():
    moved = {p.source: p for p in placements(FIELD_SERVICE, {rules.PARTS_UNSETTLED: "parts_damaged_lost"})}
    draft = moved[rules.PARTS_UNSETTLED].draft(Finding(Decimal(1)))
    assert draft is not None and (draft.value, draft.item.deduction) == ("parts_damaged_lost", Decimal(10))
    assert sources_on(REPAIR) == {
        p.source: p.section.code for p in placements(REPAIR, {rules.SEVEN_DAY: "x"})
    }


def _draft(template, source, measured):
    placement = next(p for p in placements(template) if p.source == source)
    return placement.draft(Finding(None if measured is None else Decimal(measured)))


@pytest.mark.parametrize(
    ("count", "item"),
    [
        (0, None),
        (1, "phone_off_occasional"),
        (2, "phone_off_occasional"),
        (3, "phone_off_3plus"),
        (9, "phone_off_3plus"),
    ],
)
def test_r2_3_the_count_picks_the_phone_off_item(count, item):
    draft = _draft(FIELD_SERVICE, rules.PHONE_OFF_SOURCE, count)
    assert (draft.value if draft else None) == item


@pytest.mark.parametrize(
    ("rate", "value", "band"),
    [
        ("100", Decimal(100), "complete_100"),
        ("91.666666", Decimal("91.67"), "complete_90_100"),
        ("89.996", Decimal("89.99"), "complete_80_90"),  # rounding up would cross into 90–100
        ("0", Decimal(0), "complete_below_70"),
    ],
)
def test_r2_2_a_rate_is_proposed_to_the_cent_in_its_own_band(rate, value, band):
    draft = _draft(REPAIR, rules.SEVEN_DAY, rate)
    assert (draft.value, draft.item.code) == (value, band)


@given(st.decimals(min_value=0, max_value=100, places=6))
def test_r2_2_the_proposed_rate_stays_in_the_band_of_the_measured_rate(rate):
    for source in (rules.SEVEN_DAY, rules.SECOND_REPAIR):
        draft = _draft(REPAIR, source, rate)
        assert band_for_rate(draft.section, draft.value) == band_for_rate(draft.section, rate)
        assert abs(draft.value - rate) < Decimal("0.01")


def test_r10_not_applicable_proposes_no_band():
    assert _draft(REPAIR, rules.SEVEN_DAY, None) is None


@pytest.mark.parametrize(
    ("days", "item", "score"),
    [("1", "within_1_day", 10), ("2.99", "within_3_days", 8), ("3", "over_3_days", 4)],
)
def test_4_5_the_response_time_picks_the_graded_band(days, item, score):
    draft = _draft(TECH_SUPPORT, rules.COMPLAINT_RESPONSE, days)
    assert draft.value == {"item": item, "score": Decimal(score), "days": Decimal(days)}


def test_the_months_response_time_is_the_mean():
    assert rules.mean_days([Decimal("0.5"), Decimal("2.5"), Decimal("1")]) == Decimal("1.33")
    assert rules.mean_days([]) is None


def test_an_accepted_deduction_joins_the_behaviours_and_replaces_its_group_sibling():
    section = FIELD_SERVICE.section("information_transfer")
    entries = {"information_transfer": ["market_info_weak", "phone_off_occasional"], "other": 1}
    result = merged(entries, section, "phone_off_3plus")
    assert result == {"information_transfer": ["market_info_weak", "phone_off_3plus"], "other": 1}
    assert merged(result, section, "phone_off_3plus") == result  # counted once
    assert holds(result, section, "phone_off_3plus") and not holds(result, section, "phone_off_occasional")


def test_a_band_and_a_graded_entry_replace_the_sections_value():
    band = REPAIR.section("seven_day_repair")
    assert merged({}, band, "91.67") == {"seven_day_repair": "91.67"}
    assert holds({"seven_day_repair": "91.670"}, band, "91.67") and not holds({}, band, "91.67")
    graded = TECH_SUPPORT.section("complaint_handling")
    value = {"item": "within_3_days", "score": "7", "days": "2"}
    assert entry_of(graded, value) == {"item": "within_3_days", "score": "7"}
    assert holds(
        {"complaint_handling": {"item": "within_3_days", "score": "6"}}, graded, entry_of(graded, value)
    )
