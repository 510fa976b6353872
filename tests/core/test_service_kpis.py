"""R-8.1 service targets, R-8.2 deadline states, R-8.7 incident deadlines, response times."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.core.errors import RuleError
from aftersales.core.periods import SHANGHAI
from aftersales.core.service_kpis import (
    DeadlineState,
    Kpi,
    Targets,
    complaint_rate,
    deadline_state,
    incident_verdict,
    meets_target,
    percent,
    response_days,
    satisfaction_rate,
)
from aftersales.core.sla import Fault, Milestone, response_deadline

T0 = datetime(2026, 10, 1, 8, 0, tzinfo=SHANGHAI)
HUNDRED = Decimal(100)
HOUR = timedelta(hours=1)


def test_percent_is_none_without_a_denominator():
    assert percent(0, 0) is None
    assert percent(1, 4) == Decimal(25)
    with pytest.raises(RuleError):
        percent(-1, 3)


@pytest.mark.parametrize(
    ("kpi", "value", "meets"),
    [
        (Kpi.TIMELINESS, "90", True),  # ≥ 90 %
        (Kpi.TIMELINESS, "89.99", False),
        (Kpi.SATISFACTION, "85", True),  # ≥ 85 %
        (Kpi.SATISFACTION, "84.9", False),
        (Kpi.COMPLAINT_RATE, "2.99", True),  # < 3 %
        (Kpi.COMPLAINT_RATE, "3", False),
    ],
)
def test_r8_1_targets_at_their_edges(kpi, value, meets):
    assert meets_target(kpi, Decimal(value)) is meets


def test_r8_1_no_rate_no_verdict_and_targets_are_settings():
    assert meets_target(Kpi.TIMELINESS, None) is None
    assert meets_target(Kpi.TIMELINESS, Decimal(80), Targets(timeliness=Decimal(80))) is True


def test_r8_1_satisfaction_counts_scores_of_four_and_five():
    assert satisfaction_rate([5, 4, 4, 3]) == Decimal(75)
    assert satisfaction_rate([]) is None
    assert satisfaction_rate([3], Targets(satisfied_from=3)) == Decimal(100)
    with pytest.raises(RuleError):
        satisfaction_rate([6])


def test_r8_6_complaint_rate_is_verified_complaints_per_order():
    assert complaint_rate(1, 40) == Decimal("2.5")
    assert complaint_rate(0, 0) is None


@given(part=st.integers(0, 500), extra=st.integers(0, 500))
def test_rates_stay_between_0_and_100(part, extra):
    rate = percent(part, part + extra)
    assert rate is None or Decimal(0) <= rate <= HUNDRED


def test_r8_2_deadline_states():
    deadline = response_deadline(Fault.OTHER, T0)  # reply within 12 h
    assert deadline_state(deadline, {Milestone.REPLY: T0 + HOUR}, T0 + 20 * HOUR) is DeadlineState.MET
    assert deadline_state(deadline, {Milestone.REPLY: T0 + 13 * HOUR}, T0) is DeadlineState.LATE
    assert deadline_state(deadline, {}, T0 + 12 * HOUR + timedelta(seconds=1)) is DeadlineState.OVERDUE
    assert deadline_state(deadline, {}, T0 + 8 * HOUR) is DeadlineState.DUE_SOON  # 4 h left
    assert deadline_state(deadline, {}, T0 + 7 * HOUR) is DeadlineState.OPEN


def test_r8_7_incident_on_time_late_and_pending():
    on_time = incident_verdict(T0, T0 + 24 * HOUR, T0 + 48 * HOUR, now=T0 + 100 * HOUR)
    assert (on_time.phone_late, on_time.report_late, on_time.late) == (False, False, False)
    late_report = incident_verdict(T0, T0 + HOUR, T0 + 49 * HOUR, now=T0 + 100 * HOUR)
    assert (late_report.report_late, late_report.late) == (True, True)
    pending = incident_verdict(T0, None, None, now=T0 + 10 * HOUR)
    assert (pending.phone_late, pending.report_late, pending.late) == (None, None, False)
    missed = incident_verdict(T0, T0 + HOUR, None, now=T0 + 49 * HOUR)
    assert (missed.phone_due, missed.report_due) == (T0 + 24 * HOUR, T0 + 48 * HOUR)
    assert missed.report_late is True  # not reported and the 48 h have passed


def test_response_days_to_a_hundredth():
    assert response_days(T0, T0 + 36 * HOUR) == Decimal("1.50")
    assert response_days(T0, T0) == Decimal("0.00")
    with pytest.raises(RuleError):
        response_days(T0, T0 - HOUR)
