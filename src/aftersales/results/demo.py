"""Demo data of the use of results (DEMO_STEPS): one open promotion candidate (R-7.2).

The demo's own appraisals are of the last two months (only the earlier one archived), so three
years of history are added
for 张伟 (技术支持工程师): one archived month (July) in each of the last three years, scored 90 or
more, then last year's annual evaluation raises the case. Idempotent: once the case exists, nothing
is added.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.appraisal.models import Appraisal, Period, State
from aftersales.core.periods import Month
from aftersales.formdefs.selectors import template_in_force
from aftersales.organisation.models import Employee
from aftersales.results import services
from aftersales.results.models import CaseKind, ResultCase

DEMO_EMPLOYEE = "E003"  # 张伟
DEMO_MONTH = 7  # far from last month, which the appraisal demo opens
DEMO_SCORES = {3: "93.50", 2: "92.00", 1: "95.00"}  # years back → archived final score


def load_results_demo() -> None:
    last_year = timezone.localdate().year - 1
    cases = ResultCase.objects.filter(kind=CaseKind.PROMOTION_CANDIDATE, year=last_year)
    if cases.filter(employee__number=DEMO_EMPLOYEE).exists():
        return
    employee = Employee.objects.select_related("department").get(number=DEMO_EMPLOYEE)
    hr = get_user_model().objects.get(username="hr")
    for back, score in DEMO_SCORES.items():
        _archived(employee, Month(last_year + 1 - back, DEMO_MONTH), Decimal(score), hr)
    services.results_evaluate(year=last_year, month=12, actor=hr)


def _archived(employee: Employee, month: Month, score: Decimal, hr: object) -> None:
    """A closed period of the employee's department with their archived appraisal (history)."""
    period, _ = Period.objects.get_or_create(
        department=employee.department.root,
        year=month.year,
        month=month.month,
        defaults={"opened_by": hr, "status": Period.Status.CLOSED},
    )
    if Appraisal.objects.filter(period=period, employee=employee).exists():
        return
    template = template_in_force(code=employee.category, month=month)
    Appraisal.objects.create(
        period=period,
        employee=employee,
        template_code=employee.category,
        template_version=template.version if template else 1,
        state=State.ARCHIVED,
        form_total=score,
        final_score=score,
        grade="A",
    )
