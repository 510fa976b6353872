"""The demo's month of appraisals: every step present, agreements signed, loaded once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from aftersales.appraisal.models import Agreement, Appeal, Appraisal, Period, Transition
from aftersales.core.periods import Month
from aftersales.demo import load_demo

pytestmark = pytest.mark.django_db


def test_last_month_of_the_after_sales_department_at_every_step(demo):
    month = Month.of(timezone.localdate()).shift(-1)
    period = Period.objects.get(department__code="as", year=month.year, month=month.month)
    states = set(period.appraisals.values_list("state", flat=True))
    assert {"draft", "self_reported", "scored", "reviewed", "confirmed", "returned", "appealed"} <= states
    assert period.appraisals.filter(state="returned").count() == 1
    assert Appeal.objects.filter(appraisal__period=period, status="filed").count() == 1
    assert period.appraisals.count() == 12


def test_goal_staff_have_agreements_with_goals(demo):
    agreements = Agreement.objects.filter(period__department__code="as").exclude(period__status="closed")
    assert {a.employee.category for a in agreements} == {"tech_support", "tech_improvement"}
    assert all(a.goals.count() == 3 for a in agreements)
    assert (
        agreements.filter(employee_signed_at__isnull=False, supervisor_signed_at__isnull=False).count() >= 4
    )


def test_a_second_load_adds_nothing(demo):
    counts = [model.objects.count() for model in (Period, Appraisal, Transition, Agreement, Appeal)]
    load_demo()
    assert [model.objects.count() for model in (Period, Appraisal, Transition, Agreement, Appeal)] == counts


def test_the_month_before_last_went_through_the_whole_cycle_to_archived(demo):
    """R-4.1: every form of the month before last was walked by the people whose step it was, to
    archived by HR, one after an appeal HR rejected (R-4.3); the period is closed."""
    month = Month.of(timezone.localdate()).shift(-2)
    period = Period.objects.get(department__code="as", year=month.year, month=month.month)
    appraisals = period.appraisals.filter(is_current=True)
    assert period.status == "closed"
    assert appraisals.count() == 12 and set(appraisals.values_list("state", flat=True)) == {"archived"}
    assert len(set(appraisals.values_list("grade", flat=True))) >= 3  # the scores differ
    for appraisal in appraisals:
        steps = list(appraisal.transitions.values_list("to_state", "actor__username"))
        assert steps[0][0] == "draft" and steps[-1] == ("archived", "hr")
        assert {"self_reported", "scored", "reviewed", "confirmed"} <= {state for state, _user in steps}
    appeal = Appeal.objects.get(appraisal__period=period)
    assert (appeal.status, appeal.appraisal.employee.user.username) == ("rejected", "improver")
    assert appeal.minutes and appeal.decided_by.username == "hr"
    agreements = Agreement.objects.filter(period=period)
    assert agreements.exists()
    assert not agreements.filter(employee_signed_at__isnull=True).exists()
    assert not agreements.filter(supervisor_signed_at__isnull=True).exists()
