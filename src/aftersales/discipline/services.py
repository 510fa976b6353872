"""Acts on rewards and penalties: propose, approve, reject a record; decide a dismissal case; edit reasons.

Each checks permission (``permissions.Authority``), changes state in one transaction, leaves a history
row naming the actor, and queues its e-mails for after the commit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.appraisal.models import Appraisal
from aftersales.appraisal.models import State as AppraisalState
from aftersales.appraisal.notifications import notify
from aftersales.appraisal.outcome import result_of
from aftersales.appraisal.services import appraisal_set_discipline_points
from aftersales.core import discipline as rules
from aftersales.discipline.models import (
    CaseStatus,
    DisciplineRecord,
    DismissalCase,
    RewardReason,
    Status,
)
from aftersales.discipline.permissions import Authority
from aftersales.discipline.selectors import discipline_points_for, yearly_standing
from aftersales.notices import in_installation_language
from aftersales.organisation import roles
from aftersales.organisation.models import Employee


def record_propose(
    *,
    employee: Employee,
    kind: str,
    effective_date: date,
    actor: Any,
    reason: RewardReason | None = None,
    reason_text: str = "",
) -> DisciplineRecord:
    """Propose a reward or penalty (提出奖惩); it counts only once approved. Never for oneself (R-4.1)."""
    authority = Authority.of(actor)
    if authority.is_me(employee):
        raise PermissionDenied(_("不能为本人提出奖惩"))
    if not authority.may_propose_for(employee):
        raise PermissionDenied(_("只有直接主管、部门负责人或人力资源可以为该员工提出奖惩"))
    if reason is not None and not reason.active:
        raise ValidationError({"reason": _("该奖惩事由已停用")})
    if reason is None and not reason_text.strip():
        raise ValidationError({"reason_text": _("请选择奖惩事由或填写事由说明")})
    record = DisciplineRecord(
        employee=employee,
        kind=kind,
        reason=reason,
        reason_text=reason_text.strip(),
        effective_date=effective_date,
        issuer=actor,
    )
    record.full_clean(exclude=["issuer", "employee", "reason"])
    with transaction.atomic():
        _save(record, actor)
    return record


def record_approve(*, record: DisciplineRecord, actor: Any, note: str = "") -> DisciplineRecord:
    """Approve (批准): the points land on the month of effect (R-6.2) and the year's standing is
    recomputed; three net major demerits raise a dismissal case for HR (R-6.3)."""
    with transaction.atomic():
        record = _decide(record, actor, Status.APPROVED, note)
        _raise_case_if_due(record.employee, record.effective_date.year)
        _show_on_appraisal(record)
        _notify_decided(record)
    return record


def record_reject(*, record: DisciplineRecord, actor: Any, note: str = "") -> DisciplineRecord:
    """Reject (驳回): the record stays, with who rejected it and why, and never counts."""
    with transaction.atomic():
        record = _decide(record, actor, Status.REJECTED, note)
        _notify_decided(record)
    return record


def case_decide(*, case: DismissalCase, actor: Any, decision: str) -> DismissalCase:
    """HR records its decision on a dismissal case (an HR case, not an automatic act); a case of
    one's own is decided by another HR user (R-4.1)."""
    authority = Authority.of(actor)
    if not authority.hr:
        raise PermissionDenied(_("只有人力资源可以处理解雇审议"))
    if not authority.may_decide_case(case):
        raise PermissionDenied(_("不能处理本人的解雇审议，须由其他人力资源处理"))
    if not decision.strip():
        raise ValidationError({"decision": _("请填写处理决定")})
    with transaction.atomic():
        case = DismissalCase.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise ValidationError(_("该审议已有决定"))
        case.status, case.decision = CaseStatus.DECIDED, decision.strip()
        case.decided_by, case.decided_at = actor, timezone.now()
        _save(case, actor)
    return case


def reason_save(*, reason: RewardReason, actor: Any) -> RewardReason:
    """Add or change an entry of the reasons catalogue (R-6.4, HR)."""
    if not Authority.of(actor).hr:
        raise PermissionDenied(_("只有人力资源可以维护奖惩事由"))
    reason.full_clean()
    with transaction.atomic():
        _save(reason, actor)
    return reason


# --- steps ----------------------------------------------------------------------------------------


def _decide(record: DisciplineRecord, actor: Any, status: str, note: str) -> DisciplineRecord:
    # one decision at a time per employee: the standing and its case are computed from a stable set
    Employee.objects.select_for_update().only("pk").get(pk=record.employee_id)
    record = DisciplineRecord.objects.select_for_update().select_related("employee").get(pk=record.pk)
    if record.status != Status.PROPOSED:
        raise ValidationError(_("该奖惩记录已审批"))
    authority = Authority.of(actor)
    if authority.is_me(record.employee):
        raise PermissionDenied(_("不能审批与本人有关的奖惩记录，须由其他有权审批的人审批"))
    if not authority.may_decide(record):
        raise PermissionDenied(_("只有该员工的部门负责人或人力资源可以审批,且不能审批本人提出的记录"))
    record.status, record.approved_by, record.approved_at = status, actor, timezone.now()
    record.note = note.strip()
    _save(record, actor)
    return record


def _raise_case_if_due(employee: Employee, year: int) -> DismissalCase | None:
    """R-6.3 step 4, idempotent: one open case per employee and year.

    An open case follows the count up; after HR has decided, a new case is raised only when the net
    major demerits grow beyond those of the decided one.
    """
    standing = yearly_standing(employee, year)
    if not standing.dismissal_case:
        return None
    majors = standing.net[rules.Kind.MAJOR_DEMERIT]
    cases = DismissalCase.objects.filter(employee=employee, year=year)
    open_case = cases.filter(status=CaseStatus.OPEN).first()
    if open_case is not None:
        if majors > open_case.major_demerits:
            open_case.major_demerits = majors
            open_case.save(update_fields=["major_demerits"])
        return open_case
    if cases.filter(major_demerits__gte=majors).exists():
        return None
    case = DismissalCase.objects.create(employee=employee, year=year, major_demerits=majors)
    _notify_case_raised(case)
    return case


def _show_on_appraisal(record: DisciplineRecord) -> None:
    """R-3.1: the month's discipline component is live — every page reads the points approved so
    far (``appraisal.outcome``), also on a confirmed or archived form, whose scored content stays as
    it is. The stored copy on a form that can still change is kept in step, and the employee is told
    the month's result now (or that a closed month will be re-closed)."""
    if not record.points:
        return
    day = record.effective_date
    appraisal = (
        Appraisal.objects.filter(
            employee_id=record.employee_id, is_current=True, period__year=day.year, period__month=day.month
        )
        .select_related("employee__user", "period")
        .first()
    )
    if appraisal is None:
        return
    if appraisal.state not in (AppraisalState.CONFIRMED, AppraisalState.ARCHIVED):
        points = discipline_points_for(record.employee, day.year, day.month)
        appraisal_set_discipline_points(appraisal=appraisal, points=points)
    _tell_month_result(appraisal)


def _tell_month_result(appraisal: Appraisal) -> None:
    user = appraisal.employee.user
    if user is None:
        return
    result = result_of(appraisal)
    with in_installation_language():
        if result.closed:
            message = _("您%(period)s的奖惩记录已批准；该月已结算，人力资源重新结算后计入最终得分。") % {
                "period": appraisal.period.label
            }
        else:
            message = _("您%(period)s的奖惩加减分现为%(points)s，最终得分%(score)s。") % {
                "period": appraisal.period.label,
                "points": format(result.discipline_points.normalize(), "f"),
                "score": "—" if result.final_score is None else format(result.final_score, "f"),
            }
        notify([user], message, "result:discipline", appraisal, email=False)  # the decision is e-mailed


def _save(instance: models.Model, actor: Any) -> None:
    instance._history_user = actor  # type: ignore[attr-defined]  # simple_history: who did it
    instance.save()


def _notify(recipients: list[str], subject: str, body: str) -> None:
    recipients = [address for address in recipients if address]
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=True))


def _notify_decided(record: DisciplineRecord) -> None:
    with in_installation_language():
        _notify_decided_now(record)


def _notify_decided_now(record: DisciplineRecord) -> None:
    subject = _("奖惩审批: %(employee)s %(kind)s %(status)s") % {
        "employee": record.employee.name,
        "kind": record.get_kind_display(),
        "status": record.get_status_display(),
    }
    _notify([record.employee.email, _email_of(record.issuer)], subject, record.note or subject)


def _email_of(user: Any) -> str:
    """The login's address, else that of the employee who uses it."""
    employee = Employee.objects.filter(user=user).only("email").first()
    return user.email or (employee.email if employee else "")


def _notify_case_raised(case: DismissalCase) -> None:
    with in_installation_language():
        _notify_case_raised_now(case)


def _notify_case_raised_now(case: DismissalCase) -> None:
    hr = [_email_of(user) for user in get_user_model().objects.filter(groups__name=roles.HR)]
    subject = _("解雇审议: %(employee)s %(year)s 年度累计 %(count)s 次大过") % {
        "employee": case.employee.name,
        "year": case.year,
        "count": case.major_demerits,
    }
    _notify(hr, subject, subject)
