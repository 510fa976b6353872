"""Actions of the repair area (SPEC §10): register a repair job, complete it."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import RuleError
from aftersales.organisation.access import AnyUser, employee_of, leads
from aftersales.organisation.models import Employee
from aftersales.repair.models import RepairJob
from aftersales.repair.selectors import technicians


def _require_own_or_led(actor: AnyUser, technician: Employee) -> None:
    """The technician themself, or their leader (the repair lead, the head)."""
    me = employee_of(actor)
    if me is not None and me.pk == technician.pk:
        return
    if not leads(actor, technician):
        raise PermissionDenied(_("只有返修技术员本人或其主管可以登记返修单"))


def _check_time(moment: datetime, field: str) -> datetime:
    if timezone.is_naive(moment):
        raise RuleError(_("时间须带时区"), field)
    if moment > timezone.now():
        raise RuleError(_("不能晚于当前时间"), field)
    return moment


@transaction.atomic
def job_create(
    *,
    technician: Employee,
    unit_serial: str,
    product: str,
    received_at: datetime,
    actor: AnyUser,
    fault: str = "",
) -> RepairJob:
    """Register a unit received for repair (返修登记), assigned to a repair technician (R-10.1)."""
    if not technicians().filter(pk=technician.pk).exists():
        raise RuleError(_("返修单只能分配给返修技术员"), "technician")
    _require_own_or_led(actor, technician)
    if not unit_serial.strip():
        raise RuleError(_("请填写产品编号"), "unit_serial")
    job = RepairJob(
        technician=technician,
        unit_serial=unit_serial.strip(),
        product=product,
        fault=fault,
        received_at=_check_time(received_at, "received_at"),
        created_by=cast(User, actor),
    )
    job._history_user = actor  # type: ignore[attr-defined]
    job.save()
    return job


@transaction.atomic
def job_complete(*, job: RepairJob, completed_at: datetime, result: str, actor: AnyUser) -> RepairJob:
    """Record the repair done (返修完成) and its result."""
    _require_own_or_led(actor, job.technician)
    job = RepairJob.objects.select_for_update().select_related("technician").get(pk=job.pk)
    if not job.is_open:
        raise RuleError(_("该返修单已完成"), "completed_at")
    if _check_time(completed_at, "completed_at") < job.received_at:
        raise RuleError(_("完成时间不能早于接收时间"), "completed_at")
    if not result.strip():
        raise RuleError(_("请填写返修结果"), "result")
    job.completed_at = completed_at
    job.result = result
    job._history_user = actor  # type: ignore[attr-defined]
    job.save(update_fields=["completed_at", "result"])
    return job
