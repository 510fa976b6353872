"""R-7.1 … R-7.4 using the results."""

from decimal import Decimal

from aftersales.core.periods import Month
from aftersales.core.results import (
    annual_composite,
    follow_up_dismissal_case,
    promotion_candidate,
    unqualified,
    work_report_required,
)

D = Decimal


def series(start, *scores):
    return {start.shift(i): D(s) for i, s in enumerate(scores)}


def test_r7_1_annual_composite_is_the_mean_of_that_years_months():
    monthly = series(Month(2025, 12), 10, 80, 90, 100)
    assert annual_composite(monthly, 2026) == D(90)
    assert annual_composite(monthly, 2024) is None


def test_r7_2_promotion_needs_three_consecutive_years_at_90_or_more():
    assert promotion_candidate({2024: D(90), 2025: D(95), 2026: D("92.5")}, 2026)
    assert not promotion_candidate({2024: D(90), 2025: D("89.99"), 2026: D(95)}, 2026)
    assert not promotion_candidate({2023: D(95), 2025: D(95), 2026: D(95)}, 2026)


def test_r7_3_composite_below_60_requires_a_work_report():
    assert work_report_required(D("59.99"))
    assert not work_report_required(D(60))


def test_r7_4_three_consecutive_months_below_60_across_a_year_end():
    monthly = series(Month(2025, 11), 59, 50, "59.9", 70)
    assert unqualified(monthly, Month(2026, 1))
    assert not unqualified(monthly, Month(2026, 2))


def test_r7_4_a_month_without_a_score_breaks_the_run():
    monthly = {Month(2026, 1): D(50), Month(2026, 3): D(50), Month(2026, 4): D(50)}
    assert not unqualified(monthly, Month(2026, 4))


def test_r7_3_follow_up_waits_for_six_scores_after_the_adjustment():
    adjusted = Month(2026, 3)
    monthly = series(Month(2026, 1), 10, 10, 10, 60, 60, 60, 60, 60)
    assert follow_up_dismissal_case(monthly, adjusted) is None


def test_r7_3_follow_up_mean_of_the_first_six_scores_after_the_adjustment():
    adjusted = Month(2026, 3)
    low = series(Month(2026, 3), 0, 59, 59, 59, 59, 59, 64, 100)  # March itself and the 8th score ignored
    assert follow_up_dismissal_case(low, adjusted) is True
    enough = series(Month(2026, 4), 55, 55, 65, 65, 60, 60)
    assert follow_up_dismissal_case(enough, adjusted) is False
