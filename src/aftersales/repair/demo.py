"""Demo data of the repair area (DEMO_STEPS): last month of the repair group, so that the two
technicians' KPIs differ and fall in different bands of form 4.3 — 郑浩 91.67 % on time (−5) with one
unit back (8.33 %, −0); 冯军 75 % on time (−15) with two units back (25 %, −15) — and 郑浩 ranks
first pairwise. Plus two open jobs of this month.

Made through the actions by the repair lead. Idempotent: nothing happens once the first demo unit exists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone

from aftersales.core.periods import Month
from aftersales.organisation.models import Employee
from aftersales.repair import services
from aftersales.repair.models import RepairJob

DAY = timedelta(days=1)
PRODUCTS = ["门控器 MK-900", "司机控制器 SK-2", "空调控制板 AC-7", "逆变电源 NB-3"]
# technician, unit, day received (relative to the month's start; negative: the month before), days taken
PREVIOUS = [
    ("technician2", "FX-2401", -40, 3),
    ("technician2", "FX-2402", -25, 3),
    ("technician", "FX-2403", -20, 2),
]
LAST_MONTH = [
    *[("technician", f"FX-25{n:02d}", 1 + 2 * n, 2 + n % 4) for n in range(9)],  # all on time
    ("technician", "FX-2520", 3, 9),  # late
    ("technician", "FX-2401", 5, 3),  # 冯军's unit back
    ("technician", "FX-2402", 12, 4),  # 冯军's unit back
    ("technician2", "FX-2403", 2, 3),  # 郑浩's unit back
    *[("technician2", f"FX-26{n:02d}", 4 + 3 * n, 3 + n % 3) for n in range(5)],
    ("technician2", "FX-2620", 6, 8),  # late
    ("technician2", "FX-2621", 9, 10),  # late
]


def load_repair_demo() -> None:
    if RepairJob.objects.filter(unit_serial="FX-2401").exists():
        return
    people = {
        e.user.username: e
        for e in Employee.objects.select_related("user").filter(user__isnull=False)
        if e.user
    }
    lead = get_user_model().objects.get(username="repairlead")
    month = Month.of(timezone.localdate()).shift(-1)
    for index, (tech, unit, day, days) in enumerate(PREVIOUS + LAST_MONTH):
        received = month.start + day * DAY + timedelta(hours=9 + index % 6)
        _job(people[tech], unit, index, received, received + days * DAY, lead)
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    for tech, unit in [("technician", "FX-2701"), ("technician2", "FX-2702")]:
        _job(people[tech], unit, 0, min(today, timezone.now()), None, lead)


def _job(
    tech: Employee, unit: str, index: int, received: datetime, done: datetime | None, lead: User
) -> None:
    job = services.job_create(
        technician=tech,
        unit_serial=unit,
        product=PRODUCTS[index % len(PRODUCTS)],
        fault=["无输出", "通讯故障", "按键失灵", "过热保护"][index % 4],
        received_at=received,
        actor=lead,
    )
    if done is not None:
        services.job_complete(job=job, completed_at=done, result="更换故障元件,老化试验合格", actor=lead)
