"""Demo data of performance pay (DEMO_STEPS): the settings; the month before last of 售后服务部,
whose forms the appraisal demo archived, closed with its coefficient (so the pay sheets, charts,
overview, simulator and fund ledger show a month); a coefficient for last month, closed too once
every form of it is archived. Idempotent: the month before last is closed only while it has no close
version, and a re-close of an unchanged month adds nothing."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.appraisal.models import Appraisal, Period, State
from aftersales.core.periods import Month
from aftersales.organisation.access import AnyUser
from aftersales.organisation.models import Department
from aftersales.payroll.models import CloseVersion, DepartmentCoefficient, PaySettings
from aftersales.payroll.services import close_run, coefficient_set

DEMO_COEFFICIENT = Decimal("0.95")
CLOSED_MONTH_COEFFICIENT = Decimal("0.98")  # below 1: its balance B − P goes to the fund
CLOSED_MONTH_REASON = "部门月度考核：用户满意度略低于目标"


def load_payroll_demo() -> None:
    PaySettings.stored()
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
    _close_month_before_last(department, month.shift(-1), hr)


def _close_month_before_last(department: Department, month: Month, hr: AnyUser) -> None:
    """HR sets the month's coefficient (with its reason, kept in the history) and closes it."""
    period = Period.objects.filter(department=department, year=month.year, month=month.month).first()
    if period is None or CloseVersion.objects.filter(period=period).exists() or not _fully_archived(period):
        return
    if not DepartmentCoefficient.objects.filter(
        department=department, year=month.year, month=month.month
    ).exists():
        coefficient_set(
            department=department,
            year=month.year,
            month=month.month,
            value=CLOSED_MONTH_COEFFICIENT,
            reason=CLOSED_MONTH_REASON,
            actor=hr,
        )
    close_run(department=department, year=month.year, month=month.month, actor=hr)


def _fully_archived(period: Period) -> bool:
    current = Appraisal.objects.filter(period=period, is_current=True)
    return current.exists() and not current.exclude(state=State.ARCHIVED).exists()
