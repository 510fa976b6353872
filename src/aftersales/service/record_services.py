"""Actions on the field records behind the form items (SPEC §11; core.field_records for the deadlines).

The field staff record their own reports, visits, market information, paid services, escalations and
expense claims; their leader (direct supervisor or department head, never for themselves, R-4.1)
records attendance exceptions, reviews reports, approves paid services and claims, takes in the money
and decides escalations. Each act runs in one transaction and the model's history keeps who and when.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core import field_records as rules
from aftersales.organisation.access import AnyUser
from aftersales.organisation.models import Employee
from aftersales.service import access
from aftersales.service.models import (
    AttendanceException,
    CustomerVisit,
    Escalation,
    ExpenseClaim,
    MarketInfo,
    PaidService,
    ReportVerdict,
    RoutineReport,
    WorkOrder,
)


def _user(actor: Any) -> User:
    """The acting login, as the user columns store it (the services are called by signed-in users)."""
    return cast(User, actor)


def setting(name: str, default: int) -> int:
    """A day count or minimum of the field records (``AFTERSALES_<NAME>``; docs/rules.md)."""
    return int(getattr(settings, f"AFTERSALES_{name}", default))


def me_of(actor: AnyUser) -> Employee:
    """The actor's own employee record: field records are recorded by the employee themselves."""
    me = access.reach(actor).me
    if me is None:
        raise PermissionDenied("only employees record their own field records")
    return me


def may_lead(actor: AnyUser, employee: Employee) -> bool:
    """The employee's direct supervisor or department head, never the employee (R-4.1)."""
    return access.leads(actor, employee, employee.department_id)


def _require_lead(actor: AnyUser, employee: Employee) -> None:
    if not may_lead(actor, employee):
        raise PermissionDenied("only the employee's leader acts on this record")


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天。")})


def _save(instance: Any, actor: AnyUser, reason: str) -> Any:
    instance._history_user = actor  # simple_history: who did it
    instance._change_reason = reason
    instance.save()
    return instance


def _own_order(order: WorkOrder | None, me: Employee) -> None:
    if order is not None and not order.assignments.filter(engineer=me).exists():
        raise ValidationError({"order": _("只能选择本人承担的工单。")})


# --- routine reports (服务月报, 用户质量信息通报, 区域工作总结) ---


def routine_report_submit(
    *, actor: AnyUser, kind: str, year: int, month: int, content: str, submitted_on: date | None = None
) -> RoutineReport:
    """The employee hands in a routine report; its due date follows from the kind and period."""
    me = me_of(actor)
    submitted_on = submitted_on or timezone.localdate()
    _not_future(submitted_on, "submitted_on")
    month = 12 if kind == rules.ANNUAL else month
    due = rules.report_due(
        kind,
        year,
        month,
        monthly_day=setting("ROUTINE_REPORT_DUE_DAY", rules.MONTHLY_DUE_DAY),
        annual_day=setting("ANNUAL_SUMMARY_DUE_DAY", rules.ANNUAL_DUE_DAY),
    )
    report = RoutineReport(
        employee=me, kind=kind, year=year, month=month, content=content, due_on=due, submitted_on=submitted_on
    )
    try:
        with transaction.atomic():
            return _save(report, actor, "submitted")
    except IntegrityError:
        raise ValidationError({"month": _("该期报告已提交。")}) from None


def routine_report_review(
    *, report: RoutineReport, actor: AnyUser, verdict: str, note: str = ""
) -> RoutineReport:
    """The leader judges the report (按照格式; 总结合格与否); the history keeps earlier verdicts."""
    _require_lead(actor, report.employee)
    if verdict not in (ReportVerdict.QUALIFIED, ReportVerdict.UNQUALIFIED):
        raise ValidationError({"verdict": _("请选择审阅结果。")})
    if verdict == ReportVerdict.UNQUALIFIED and not note.strip():
        raise ValidationError({"note": _("不合格时请填写审阅意见。")})
    with transaction.atomic():
        report.verdict, report.review_note = verdict, note.strip()
        report.reviewed_by, report.reviewed_at = _user(actor), timezone.now()
        return _save(report, actor, f"reviewed: {verdict}")


# --- customer visits, market information ---


def customer_visit_record(
    *, actor: AnyUser, date: date, customer: str, content: str, contact: str = "", follow_up: str = ""
) -> CustomerVisit:
    me = me_of(actor)
    _not_future(date, "date")
    visit = CustomerVisit(
        employee=me, date=date, customer=customer, contact=contact, content=content, follow_up=follow_up
    )
    with transaction.atomic():
        return _save(visit, actor, "recorded")


def market_info_record(*, actor: AnyUser, date: date, kind: str, subject: str, content: str) -> MarketInfo:
    me = me_of(actor)
    _not_future(date, "date")
    with transaction.atomic():
        return _save(
            MarketInfo(employee=me, date=date, kind=kind, subject=subject, content=content), actor, "recorded"
        )


# --- attendance exceptions ---


def attendance_record(
    *, actor: AnyUser, employee: Employee, date: date, kind: str, note: str = ""
) -> AttendanceException:
    """迟到, 早退, 旷工, 电话闲聊, 私自离开工作地点: recorded by the employee's leader."""
    _require_lead(actor, employee)
    _not_future(date, "date")
    record = AttendanceException(employee=employee, date=date, kind=kind, note=note, recorded_by=_user(actor))
    with transaction.atomic():
        return _save(record, actor, "recorded")


# --- paid services (§3.3.4) ---


def paid_service_record(
    *,
    actor: AnyUser,
    customer: str,
    content: str,
    amount: Decimal,
    charged_on: date,
    order: WorkOrder | None = None,
) -> PaidService:
    me = me_of(actor)
    _not_future(charged_on, "charged_on")
    _own_order(order, me)
    record = PaidService(
        employee=me, order=order, customer=customer, content=content, amount=amount, charged_on=charged_on
    )
    with transaction.atomic():
        return _save(record, actor, "recorded")


def paid_service_approve(*, record: PaidService, actor: AnyUser, day: date | None = None) -> PaidService:
    """需经领导同意: the leader's approval, with the day it was given (by phone, often before the record)."""
    _require_lead(actor, record.employee)
    day = day or timezone.localdate()
    _not_future(day, "day")
    if record.approved_on is not None:
        raise ValidationError(_("已同意。"))
    with transaction.atomic():
        record.approved_by, record.approved_on = _user(actor), day
        return _save(record, actor, "approved")


def paid_service_hand_in(*, record: PaidService, actor: AnyUser, amount: Decimal, day: date) -> PaidService:
    """回公司后如数上缴: the leader records the money taken in (the total so far)."""
    _require_lead(actor, record.employee)
    _not_future(day, "day")
    if amount <= 0 or amount > record.amount:
        raise ValidationError({"amount": _("上缴金额须大于0且不超过收费金额。")})
    with transaction.atomic():
        record.handed_in, record.handed_in_on, record.received_by = amount, day, _user(actor)
        return _save(record, actor, f"handed in {amount}")


# --- escalations (§3.4.2) ---


def escalation_report(
    *,
    actor: AnyUser,
    found_at: datetime,
    problem: str,
    proposal: str,
    customer_request: str = "",
    support_needed: bool = False,
    order: WorkOrder | None = None,
    reported_at: datetime | None = None,
) -> Escalation:
    """较大问题必须及时向单位领导汇报, with the engineer's own proposal and the customer's request.

    The report is the record itself: ``reported_at`` is now (the pages and the API never set it; a
    report made by phone and recorded later, as in the demo, gives its time).
    """
    me = me_of(actor)
    now = reported_at or timezone.now()
    if found_at > now or now > timezone.now():
        raise ValidationError({"found_at": _("时间不能晚于当前时间。")})
    _own_order(order, me)
    record = Escalation(
        employee=me,
        order=order,
        found_at=found_at,
        reported_at=now,
        problem=problem,
        proposal=proposal,
        customer_request=customer_request,
        support_needed=support_needed,
    )
    with transaction.atomic():
        return _save(record, actor, "reported")


def escalation_decide(*, record: Escalation, actor: AnyUser, decision: str) -> Escalation:
    _require_lead(actor, record.employee)
    if not decision.strip():
        raise ValidationError({"decision": _("请填写领导决定。")})
    with transaction.atomic():
        record.decision, record.decided_by, record.decided_at = decision.strip(), _user(actor), timezone.now()
        return _save(record, actor, "decided")


# --- expense claims (§3.4.3) ---


def expense_claim_submit(
    *,
    actor: AnyUser,
    amount: Decimal,
    returned_on: date,
    advance: Decimal | None = None,
    note: str = "",
    order: WorkOrder | None = None,
    submitted_on: date | None = None,
) -> ExpenseClaim:
    """报销 against the trip's travel advance (借款 of the order unless given)."""
    me = me_of(actor)
    submitted_on = submitted_on or timezone.localdate()
    _not_future(returned_on, "returned_on")
    _not_future(submitted_on, "submitted_on")
    if submitted_on < returned_on:
        raise ValidationError({"returned_on": _("返回日期不能晚于提交日期。")})
    _own_order(order, me)
    if advance is None:
        advance = order.travel_advance if order is not None else Decimal(0)
    claim = ExpenseClaim(
        employee=me,
        order=order,
        advance=advance,
        amount=amount,
        returned_on=returned_on,
        submitted_on=submitted_on,
        note=note,
    )
    with transaction.atomic():
        return _save(claim, actor, "submitted")


def expense_claim_approve(*, record: ExpenseClaim, actor: AnyUser) -> ExpenseClaim:
    """交领导审核后报销: the advance is settled against the claim."""
    _require_lead(actor, record.employee)
    if record.approved_at is not None:
        raise ValidationError(_("已审核。"))
    with transaction.atomic():
        record.approved_by, record.approved_at = _user(actor), timezone.now()
        return _save(record, actor, "approved")
