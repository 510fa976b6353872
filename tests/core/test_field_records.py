"""The deadlines of the field records (core.field_records; decisions in docs/rules.md): no database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from aftersales.core import field_records as rules
from aftersales.core.periods import SHANGHAI


def test_a_monthly_report_is_due_on_the_5th_of_the_next_month_and_the_annual_on_15_january():
    assert rules.report_due("service_monthly", 2025, 5) == date(2025, 6, 5)
    assert rules.report_due("quality_notice", 2025, 12) == date(2026, 1, 5)
    assert rules.report_due("region_annual", 2025, 12) == date(2026, 1, 15)
    assert rules.report_due("region_monthly", 2025, 5, monthly_day=3) == date(2025, 6, 3)


@given(st.integers(2000, 2100), st.integers(1, 12))
def test_the_report_that_falls_due_in_a_month_is_the_previous_months(year, month):
    (py, pm), annual = rules.report_periods_due_in(year, month)
    due = rules.report_due("service_monthly", py, pm)
    assert (due.year, due.month) == (year, month)
    assert (annual is not None) == (month == 1)
    if annual:
        assert rules.report_due("region_annual", *annual).year == year


def test_missing_or_after_the_due_date_is_late():
    due = date(2025, 6, 5)
    assert rules.submitted_late(None, due) and rules.submitted_late(date(2025, 6, 6), due)
    assert not rules.submitted_late(due, due)


def test_shortfall_of_a_minimum():
    assert [rules.shortfall(n, 2) for n in range(4)] == [2, 1, 0, 0]


def test_an_escalation_after_24_hours_is_late():
    found = datetime(2025, 6, 1, 9, tzinfo=SHANGHAI)
    assert not rules.escalated_late(found, found + timedelta(hours=24))
    assert rules.escalated_late(found, found + timedelta(hours=24, minutes=1))


def _paid(approved=None, handed=Decimal(0), handed_on=None):
    return rules.PaidServiceFacts(Decimal(100), date(2025, 6, 10), approved, handed, handed_on)


def test_paid_service_needs_approval_before_the_charge_and_the_money_within_7_days():
    """§3.3.4: 有偿服务需经领导同意, 回公司后如数上缴."""
    today = date(2025, 6, 30)
    assert rules.paid_service_breaches(_paid(date(2025, 6, 9), Decimal(100), date(2025, 6, 12)), today) == ()
    assert rules.paid_service_breaches(_paid(date(2025, 6, 11), Decimal(100), date(2025, 6, 12)), today) == (
        "unapproved",
    )
    assert rules.paid_service_breaches(_paid(date(2025, 6, 9), Decimal(50), date(2025, 6, 12)), today) == (
        "not_handed_in",
    )
    assert rules.paid_service_breaches(_paid(date(2025, 6, 9), Decimal(100), date(2025, 6, 20)), today) == (
        "not_handed_in",
    )
    # not handed in yet, but the 7 days have not passed
    assert rules.paid_service_breaches(_paid(date(2025, 6, 9)), date(2025, 6, 17)) == ()


def test_a_claim_is_due_10_days_after_the_return():
    assert rules.claim_deadline(date(2025, 6, 1)) == date(2025, 6, 11)
