"""Actions on interviews (form 4.6, R-4.4) and training requests (R-7.5).

Each checks who may act, changes state inside one transaction and leaves a history record
(django-simple-history, with the actor and a reason).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.interview_rules import Block, closes_block
from aftersales.core.periods import Month
from aftersales.interviews import appraisal_hook
from aftersales.interviews.models import (
    MAX_ITEMS,
    Interview,
    InterviewItem,
    TrainingRequest,
    TrainingSource,
    TrainingStatus,
)
from aftersales.interviews.selectors import (
    employees_missing_interview,
    may_correct_interview,
    may_record_interview,
)
from aftersales.organisation.access import AnyUser, employee_of, is_company_wide
from aftersales.organisation.models import Employee

# The fields of form 4.6 a supervisor fills in (the header's employee, supervisor, position and
# department are taken from the records, not typed).
INTERVIEW_FIELDS = (
    "performance_score",
    "held_on",
    "improvement_from",
    "improvement_to",
    "employee_remarks",
    "supervisor_remarks",
    "training_reason",
    "training_content",
    "training_planned_time",
    "training_expected_effect",
    "other_resources",
)
ITEM_FIELDS = (
    "strengths_or_problems",
    "improvement_suggestions",
    "resources_needed",
    "phase_goals",
    "next_review",
)


def _save(instance: models.Model, *, actor: AnyUser, reason: str) -> None:
    """Save with the actor and reason on its history record."""
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()


def _require_direct_supervisor(employee: Employee, actor: AnyUser) -> Employee:
    """Only the employee's direct supervisor records their interviews (R-4.4, §2.5)."""
    me = employee_of(actor)
    if me is None or not may_record_interview(me, employee):
        raise PermissionDenied(_("只有员工的直接主管可以录入面谈记录"))
    return me


def _require_hr(actor: AnyUser) -> None:
    if not is_company_wide(actor):
        raise PermissionDenied(_("只有人力资源部可以执行此操作"))


def _check_dates(fields: Mapping[str, Any], today: date) -> None:
    errors: dict[str, str] = {}
    if fields["held_on"] > today:
        errors["held_on"] = _("面谈日期不能晚于今天")
    if fields["improvement_from"] > fields["improvement_to"]:
        errors["improvement_to"] = _("改进期限的结束日期不能早于开始日期")
    if errors:
        raise ValidationError(errors)


def _replace_items(interview: Interview, items: Sequence[Mapping[str, str]], actor: AnyUser) -> None:
    """Store the non-empty items as 项目一, 二, 三 in the order given."""
    filled = [item for item in items if any(str(item.get(name, "")).strip() for name in ITEM_FIELDS)]
    if len(filled) > MAX_ITEMS:
        raise ValidationError(_("面谈项目最多三项"))
    interview.items.all().delete()
    for number, item in enumerate(filled, start=1):
        row = InterviewItem(
            interview=interview, number=number, **{name: item.get(name, "") for name in ITEM_FIELDS}
        )
        _save(row, actor=actor, reason="interview items")


def _store(
    interview: Interview,
    fields: Mapping[str, Any],
    items: Sequence[Mapping[str, str]],
    actor: Any,
    reason: str,
) -> Interview:
    """Write the form, its items and training suggestion in one transaction; release held pay."""
    _check_dates(fields, timezone.localdate())
    for name in INTERVIEW_FIELDS:
        if name in fields:
            setattr(interview, name, fields[name])
    with transaction.atomic():
        _save(interview, actor=actor, reason=reason)
        _replace_items(interview, items, actor)
        _sync_training_request(interview, actor)
        appraisal_hook.release_interview_missing(
            employee=interview.employee, held_on=interview.held_on, actor=actor
        )
    return interview


def interview_record(
    *,
    employee: Employee,
    fields: Mapping[str, Any],
    items: Sequence[Mapping[str, str]],
    actor: AnyUser,
) -> Interview:
    """Record an interview held by the employee's direct supervisor (R-4.4).

    The header (position, department, supervisor) comes from the records. A training suggestion
    becomes a training request (R-7.5); the interview releases the "interview missing" flag of the
    blocks it covers.
    """
    supervisor = _require_direct_supervisor(employee, actor)
    interview = Interview(
        employee=employee,
        supervisor=supervisor,
        position_id=employee.position_id,
        department_id=employee.department_id,
        recorded_by=cast(User, actor),
    )
    return _store(interview, fields, items, actor, "interview recorded")


def interview_update(
    *,
    interview: Interview,
    fields: Mapping[str, Any],
    items: Sequence[Mapping[str, str]],
    actor: AnyUser,
) -> Interview:
    """Correct an interview; only the supervisor who held it. The history keeps what it was."""
    if not may_correct_interview(employee_of(actor), interview):
        raise PermissionDenied(_("只有主持面谈的直接主管可以修改面谈记录"))
    return _store(interview, fields, items, actor, "interview corrected")


def _sync_training_request(interview: Interview, actor: AnyUser) -> None:
    """The interview's training suggestion as a request (R-7.5); once HR planned it, it stays as is.

    A suggestion taken out of the interview withdraws a request HR has not planned yet.
    """
    request = TrainingRequest.objects.filter(interview=interview).first()
    if not interview.has_training_suggestion:
        if request is not None and request.status == TrainingStatus.REQUESTED:
            request._history_user = actor  # type: ignore[attr-defined]
            request._change_reason = "training suggestion withdrawn"  # type: ignore[attr-defined]
            request.delete()
        return
    if request is None:
        request = TrainingRequest(
            employee=interview.employee, source=TrainingSource.INTERVIEW, interview=interview
        )
    elif request.status != TrainingStatus.REQUESTED:
        return
    request.reason = interview.training_reason
    request.content = interview.training_content or interview.training_reason[:200]
    request.suggested_time = interview.training_planned_time
    request.expected_effect = interview.training_expected_effect
    _save(request, actor=actor, reason="training suggested in interview")


def training_request_raise(
    *,
    employee: Employee,
    content: str,
    actor: AnyUser,
    reason: str = "",
    source: str = TrainingSource.LOW_SCORE,
    note: str = "training requested",
) -> TrainingRequest:
    """Raise a training request for HR to plan (R-7.5), e.g. for a low score not due to attitude.

    HR or the employee's direct supervisor; ``note`` is the reason on the history record.
    Interviews raise theirs when recorded (``interview_record``).
    """
    if not (is_company_wide(actor) or may_record_interview(employee_of(actor), employee)):
        raise PermissionDenied(_("只有人力资源部或直接主管可以提出培训需求"))
    if not content.strip():
        raise ValidationError({"content": _("请填写培训项目/内容")})
    request = TrainingRequest(employee=employee, source=source, reason=reason, content=content.strip()[:200])
    with transaction.atomic():
        _save(request, actor=actor, reason=note)
    return request


def training_request_plan(
    *, request: TrainingRequest, planned_on: date | None, plan: str, actor: AnyUser
) -> TrainingRequest:
    """HR plans (or re-plans) a requested training: requested/planned → planned."""
    _require_hr(actor)
    if request.status == TrainingStatus.DONE:
        raise ValidationError(_("培训已完成，不能再安排"))
    request.status = TrainingStatus.PLANNED
    request.planned_on = planned_on
    request.plan = plan
    with transaction.atomic():
        _save(request, actor=actor, reason="training planned")
    return request


def training_request_close(
    *, request: TrainingRequest, actual_effect: str, actor: AnyUser
) -> TrainingRequest:
    """HR closes a planned training with its actual effect (培训实际效果说明): planned → done."""
    _require_hr(actor)
    if request.status != TrainingStatus.PLANNED:
        raise ValidationError(_("只有已安排的培训可以完成"))
    if not actual_effect.strip():
        raise ValidationError({"actual_effect": _("请填写培训实际效果")})
    request.status = TrainingStatus.DONE
    request.actual_effect = actual_effect
    request.closed_at = timezone.now()
    with transaction.atomic():
        _save(request, actor=actor, reason="training done")
    return request


@dataclass(frozen=True)
class FlagResult:
    missing: list[Employee]  # employees with no interview covering the block
    flagged: int  # appraisals newly flagged "interview missing"


def interviews_flag_missing(*, year: int, month: int, actor: AnyUser) -> FlagResult:
    """At the close of a block's second month, flag that month's appraisals of those missing an
    interview (R-4.4): they are not valid for pay until the interview is recorded. Only HR.
    """
    _require_hr(actor)
    closing = Month(year, month)
    if not closes_block(closing):
        raise ValidationError(_("面谈稽核在两个月周期的第二个月末进行（2、4、6、8、10、12月）"))
    missing = list(employees_missing_interview(Block.of(closing), as_of=timezone.localdate()))
    with transaction.atomic():
        flagged = appraisal_hook.flag_interview_missing(employees=missing, month=closing, actor=actor)
    return FlagResult(missing=missing, flagged=flagged)
