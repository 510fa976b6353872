"""The demo's pay: the month before last of 售后服务部 closed, so the pay pages show a month."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from aftersales.core.periods import Month
from aftersales.demo import load_demo
from aftersales.payroll.demo import CLOSED_MONTH_COEFFICIENT, CLOSED_MONTH_REASON, DEMO_COEFFICIENT
from aftersales.payroll.models import CloseLine, CloseVersion, DepartmentCoefficient


def _month(back: int) -> Month:
    return Month.of(timezone.localdate()).shift(-back)


def test_r_5_the_month_before_last_is_closed_with_its_coefficient(demo):
    month = _month(2)
    version = CloseVersion.objects.get(
        period__department__code="as", period__year=month.year, period__month=month.month
    )
    assert (version.number, version.is_current, version.closed_by.username) == (1, True, "hr")
    assert version.coefficient == CLOSED_MONTH_COEFFICIENT
    lines = version.lines.all()
    assert lines.count() == 13  # twelve forms and the head (paid d × his standard pay)
    assert not lines.filter(held=True).exists()
    assert lines.filter(is_head=True).get().employee.user.username == "head"
    assert len(set(lines.exclude(is_head=True).values_list("computed_grade", flat=True))) >= 3
    coefficient = DepartmentCoefficient.objects.get(department__code="as", year=month.year, month=month.month)
    assert (coefficient.value, coefficient.reason) == (CLOSED_MONTH_COEFFICIENT, CLOSED_MONTH_REASON)
    assert coefficient.history.get().history_change_reason == CLOSED_MONTH_REASON  # set through the action


def test_last_month_keeps_its_coefficient_and_stays_open(demo):
    month = _month(1)
    coefficient = DepartmentCoefficient.objects.get(department__code="as", year=month.year, month=month.month)
    assert coefficient.value == DEMO_COEFFICIENT == Decimal("0.95")
    assert not CloseVersion.objects.filter(period__year=month.year, period__month=month.month).exists()


def test_a_second_load_closes_nothing_again(demo):
    counts = (CloseVersion.objects.count(), CloseLine.objects.count(), DepartmentCoefficient.objects.count())
    load_demo()
    assert (
        CloseVersion.objects.count(),
        CloseLine.objects.count(),
        DepartmentCoefficient.objects.count(),
    ) == counts
