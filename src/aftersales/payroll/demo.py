"""Demo data of performance pay (DEMO_STEPS): the settings, a coefficient for last month of 售后服务部,
and the close of that month once every form of it is archived. Idempotent."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.appraisal.models import Appraisal, Period, State
from aftersales.core.periods import Month
from aftersales.organisation.models import Department
from aftersales.payroll.models import DepartmentCoefficient, PaySettings
from aftersales.payroll.services import close_run

DEMO_COEFFICIENT = Decimal("0.95")


def load_payroll_demo() -> None:
    PaySettings.load()
    department = Department.objects.filter(code="as").first()
    hr = get_user_model().objects.filter(username="hr").first()
    if department is None or hr is None:
        return
    month = Month.of(timezone.localdate()).shift(-1)
    DepartmentCoefficient.objects.get_or_create(
        department=department,
        year=month.year,
        month=month.month,
        defaults={"value": DEMO_COEFFICIENT, "reason": "部门月度考核：服务及时率未达标", "set_by": hr},
    )
    period = Period.objects.filter(department=department, year=month.year, month=month.month).first()
    if period is not None and _fully_archived(period):
        close_run(department=department, year=month.year, month=month.month, actor=hr)


def _fully_archived(period: Period) -> bool:
    current = Appraisal.objects.filter(period=period, is_current=True)
    return current.exists() and not current.exclude(state=State.ARCHIVED).exists()
