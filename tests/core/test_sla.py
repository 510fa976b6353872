"""R-8.2 response deadlines and service timeliness."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from aftersales.core.errors import RuleError
from aftersales.core.periods import SHANGHAI
from aftersales.core.sla import (
    Fault,
    Milestone,
    SlaSettings,
    deadline_met,
    response_deadline,
    timeliness_rate,
)

RECEIVED = datetime(2026, 10, 1, 8, 0, tzinfo=SHANGHAI)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("fault", "distance", "supplier", "milestone", "hours"),
    [
        (Fault.BODY, "100", False, Milestone.ON_SITE, 24),  # ≤ 100 km is near
        (Fault.BODY, "100.1", False, Milestone.REPLY, 12),
        (Fault.BODY, "5", True, Milestone.REPLY, 12),
        (Fault.CHASSIS_ENGINE, None, False, Milestone.WRITTEN_CONTACT, 12),
        (Fault.OTHER, None, False, Milestone.REPLY, 12),
    ],
)
def test_r8_2_deadline_by_fault_distance_and_supplier(fault, distance, supplier, milestone, hours):
    km = None if distance is None else Decimal(distance)
    deadline = response_deadline(fault, RECEIVED, distance_km=km, needs_supplier=supplier)
    assert (deadline.milestone, deadline.due) == (milestone, RECEIVED + hours * HOUR)


def test_r8_2_hours_are_settings():
    settings = SlaSettings(near_km=Decimal(50), on_site_hours=48)
    deadline = response_deadline(Fault.BODY, RECEIVED, distance_km=Decimal(40), settings=settings)
    assert deadline.due == RECEIVED + 48 * HOUR
    assert (
        response_deadline(Fault.BODY, RECEIVED, distance_km=Decimal(60), settings=settings).milestone
        == "reply"
    )


def test_r8_2_a_near_body_fault_needs_the_distance():
    with pytest.raises(RuleError):
        response_deadline(Fault.BODY, RECEIVED)


def test_r8_2_met_when_the_milestone_is_at_or_before_the_deadline():
    deadline = response_deadline(Fault.OTHER, RECEIVED)
    assert deadline_met(deadline, {Milestone.REPLY: deadline.due}) is True
    assert deadline_met(deadline, {Milestone.REPLY: deadline.due + timedelta(seconds=1)}) is False


def test_r8_2_met_is_none_without_the_required_milestone():
    deadline = response_deadline(Fault.OTHER, RECEIVED)
    assert deadline_met(deadline, {}) is None
    assert deadline_met(deadline, {Milestone.ON_SITE: RECEIVED}) is None  # another milestone does not count


def test_r8_2_timeliness_counts_open_and_late_as_missed():
    october = (datetime(2026, 10, 1, tzinfo=SHANGHAI), datetime(2026, 11, 1, tzinfo=SHANGHAI))
    deadline = response_deadline(Fault.OTHER, RECEIVED)
    outside = response_deadline(Fault.OTHER, datetime(2026, 10, 31, 20, 0, tzinfo=SHANGHAI))
    requests = [
        (deadline, {Milestone.REPLY: RECEIVED + HOUR}),
        (deadline, {Milestone.REPLY: RECEIVED + 2 * HOUR}),
        (deadline, {Milestone.REPLY: RECEIVED + 13 * HOUR}),  # late
        (deadline, {}),  # open
        (outside, {}),  # deadline in November: not counted in October
    ]
    assert timeliness_rate(requests, *october) == Decimal(50)
    assert timeliness_rate(requests[4:], *october) is None
