"""Notices and reminders (提醒) to whoever must take the next step, in the application and by e-mail.

After each transition the person who acts next is told (queued with ``transaction.on_commit``).
``send_reminders`` — run daily by ``aftersales appraisal_remind`` — reminds everyone whose step is
due, marks what is overdue, and sends HR and the department heads the overdue counts.
"""

from __future__ import annotations

import logging
import smtplib
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.appraisal.models import Agreement, Appraisal, Notification, Period, State
from aftersales.appraisal.permissions import stand_ins
from aftersales.appraisal.selectors import deadline_of
from aftersales.notices import in_installation_language, site_link
from aftersales.organisation import roles
from aftersales.organisation.models import Department, Employee

logger = logging.getLogger(__name__)

# who takes the pending step in each state (SPEC §4)
WAITING_ON: dict[str, str] = {
    State.DRAFT: "employee",
    State.SELF_REPORTED: "supervisor",
    State.RETURNED: "supervisor",
    State.SCORED: "head",
    State.REVIEWED: "employee",
    State.APPEALED: "hr",
    State.CONFIRMED: "hr",
}


def _messages() -> dict[str, str]:
    return {
        State.DRAFT: _("请填写%(name)s %(period)s的工作完成情况(自评)。"),
        State.SELF_REPORTED: _("%(name)s %(period)s的考核表待您评分。"),
        State.RETURNED: _("%(name)s %(period)s的考核表被部门负责人退回，请重新评分。"),
        State.SCORED: _("%(name)s %(period)s的考核表待您审核。"),
        State.REVIEWED: _("%(name)s %(period)s的考核结果已审核，请确认或申诉。"),
        State.APPEALED: _("%(name)s对%(period)s的考核结果提出申诉，待处理。"),
        State.CONFIRMED: _("%(name)s %(period)s的考核结果已确认，待归档。"),
    }


def _heads_of(department: Department) -> list[Any]:
    """Heads of the department and of every department above it, with a login."""
    node: Department | None
    users, node = [], department
    while node is not None:
        if node.head is not None and node.head.user_id is not None:
            users.append(node.head.user)
        node = node.parent
    return users


def _hr_users() -> list[Any]:
    return list(get_user_model().objects.filter(groups__name=roles.HR, is_active=True).distinct())


def responsible_users(appraisal: Appraisal) -> list[Any]:
    """Who must take the appraisal's pending step; never the appraised person for a step that is
    not theirs: it passes on as R-4.1 says (``permissions.stand_ins``)."""
    role = WAITING_ON.get(appraisal.state)
    employee = appraisal.employee
    if role == "employee":
        return [employee.user] if employee.user_id else []
    if role == "supervisor":
        supervisor = employee.supervisor
        return [supervisor.user] if supervisor and supervisor.user_id else []
    if role == "head":
        users = [user for user in _heads_of(employee.department) if user.pk != employee.user_id]
    elif role == "hr":
        users = [user for user in _hr_users() if user.pk != employee.user_id]
    else:
        return []
    return users or stand_ins(appraisal)


def _email_of(user: Any) -> str:
    employee = Employee.objects.filter(user=user).only("email").first()
    return (employee.email if employee else "") or user.email


_without_email: ContextVar[bool] = ContextVar("appraisal_without_email", default=False)


@contextmanager
def without_email() -> Iterator[None]:
    """Notices made inside (also those queued for after the commit) are not e-mailed: the demo
    loader walks many forms through the cycle at once."""
    token = _without_email.set(True)
    try:
        yield
    finally:
        _without_email.reset(token)


def notify(
    users: Iterable[Any],
    message: str,
    kind: str,
    appraisal: Appraisal | None = None,
    *,
    email: bool = True,
    day: date | None = None,
) -> int:
    """An in-app notice per user, and the same by e-mail to those with an address."""
    count = 0
    for user in users:
        Notification.objects.create(
            recipient=user, appraisal=appraisal, kind=kind, message=message, day=day or timezone.localdate()
        )
        address = _email_of(user) if email and not _without_email.get() else ""
        if address:
            _send_email(address, message, appraisal)
        count += 1
    return count


def _send_email(address: str, message: str, appraisal: Appraisal | None) -> None:
    """A failing mail server must not undo or break a step already taken: log it, the in-app notice stays."""
    link = "\n" + site_link(reverse("appraisal:detail", args=[appraisal.pk])) if appraisal else ""
    try:
        send_mail(f"[Aftersales] {message}", message + link, settings.DEFAULT_FROM_EMAIL, [address])
    except (OSError, smtplib.SMTPException):
        logger.warning("appraisal notice to %s not e-mailed", address, exc_info=True)


def _step_message(appraisal: Appraisal) -> str:
    return _messages()[appraisal.state] % {"name": appraisal.employee.name, "period": appraisal.period.label}


def queue_next_step(appraisal: Appraisal) -> None:
    """After the transaction commits, tell whoever takes the next step."""
    if appraisal.state not in WAITING_ON:
        return
    pk, state, email = appraisal.pk, appraisal.state, not _without_email.get()

    def send() -> None:
        fresh = Appraisal.objects.select_related(
            "period", "employee__supervisor", "employee__department"
        ).get(pk=pk)
        if fresh.state != state or not fresh.is_current:
            return  # moved on (or replaced by a new version, R-4.3) within the same transaction
        with in_installation_language():
            notify(responsible_users(fresh), _step_message(fresh), f"step:{fresh.state}", fresh, email=email)

    transaction.on_commit(send)


def mark_read(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def unread_for(user: Any, limit: int = 10) -> list[Notification]:
    """The unread notices still about something to do: a notice or reminder of a form's step is
    gone once the form has moved past that step (or was replaced by a new version), so none
    outlives its task (issue 11). One query."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).select_related("appraisal")
    return [notice for notice in unread[: limit * 5] if still_due(notice)][:limit]


def still_due(notice: Notification) -> bool:
    """Whether the step a notice is about still waits: ``step:<state>`` and ``remind:<state>``
    while the form is current in that state; an agreement reminder while the form is not yet
    scored; other notices (overdue summaries, results) until read."""
    appraisal = notice.appraisal
    if appraisal is None:
        return True
    kind, _sep, state = notice.kind.partition(":")
    if kind in ("step", "remind") and state:
        return appraisal.is_current and appraisal.state == state
    if kind == "remind":  # written before reminders named their step
        return appraisal.is_current and appraisal.state in WAITING_ON
    if kind == "agreement":
        return appraisal.is_current and appraisal.state in (State.DRAFT, State.SELF_REPORTED)
    return True


# ---------------------------------------------------------------------------------------------
# Daily reminders


@dataclass(frozen=True)
class ReminderRun:
    reminders: int
    overdue: int
    auto_confirmed: int


def _already_sent(user: Any, kind: str, appraisal: Appraisal | None, today: date) -> bool:
    return Notification.objects.filter(recipient=user, kind=kind, appraisal=appraisal, day=today).exists()


def _remind(users: Iterable[Any], message: str, kind: str, appraisal: Appraisal | None, today: date) -> int:
    fresh = [user for user in users if not _already_sent(user, kind, appraisal, today)]
    return notify(fresh, message, kind, appraisal, day=today)


def _remind_step(appraisal: Appraisal, today: date) -> tuple[int, bool]:
    due = deadline_of(appraisal)
    late = due is not None and due < today
    prefix = _("【逾期】") if late else _("【提醒】")
    sent = _remind(
        responsible_users(appraisal),
        prefix + _step_message(appraisal),
        f"remind:{appraisal.state}",
        appraisal,
        today,
    )
    return sent, late


def _remind_agreements(today: date) -> int:
    """绩效协议 not signed by both, from three days before the agreement day."""
    sent = 0
    agreements = Agreement.objects.filter(period__status=Period.Status.OPEN).select_related(
        "period", "employee__supervisor__user", "employee__user"
    )
    for agreement in agreements:
        period = agreement.period
        if agreement.is_signed or today < period.agreement_deadline - timedelta(days=3):
            continue
        appraisal = Appraisal.objects.filter(
            period=period, employee=agreement.employee, is_current=True
        ).first()
        if appraisal is None or appraisal.state not in (State.DRAFT, State.SELF_REPORTED):
            continue
        users = _unsigned_parties(agreement)
        message = _("请在%(day)s前签订%(name)s %(period)s的绩效协议。") % {
            "day": period.agreement_deadline.isoformat(),
            "name": agreement.employee.name,
            "period": period.label,
        }
        sent += _remind(users, message, "agreement", appraisal, today)
    return sent


def _unsigned_parties(agreement: Agreement) -> list[Any]:
    employee = agreement.employee
    users = []
    if agreement.employee_signed_at is None and employee.user_id:
        users.append(employee.user)
    if agreement.supervisor_signed_at is None and employee.supervisor and employee.supervisor.user_id:
        users.append(employee.supervisor.user)
    return users


def _overdue_summaries(late: list[Appraisal], today: date) -> None:
    """One notice per period to HR and to the department's heads: how many forms are late."""
    counts = Counter(appraisal.period for appraisal in late)
    hr = _hr_users()
    for period, count in counts.items():
        message = _("%(department)s %(period)s：%(count)s份考核表逾期未完成。") % {
            "department": period.department.name,
            "period": period.label,
            "count": count,
        }
        _remind([*hr, *_heads_of(period.department)], message, f"overdue:{period.pk}", None, today)


def send_reminders(today: date | None = None) -> ReminderRun:
    """Auto-confirm (R-4.2), remind every pending step of the open periods that has begun (after
    the month ends; agreements from three days before their day), and report overdue forms.
    At most one reminder per person, form and kind a day."""

    with in_installation_language():
        return _send_reminders(today or timezone.localdate())


def _send_reminders(today: date) -> ReminderRun:
    from aftersales.appraisal.services import appraisals_auto_confirm

    confirmed = appraisals_auto_confirm()
    reminders, late = _remind_agreements(today), []
    pending = Appraisal.objects.filter(
        is_current=True, period__status=Period.Status.OPEN, state__in=list(WAITING_ON)
    ).select_related(
        "period__department__head__user",
        "employee__user",
        "employee__supervisor__user",
        "employee__department",
    )
    for appraisal in pending:
        if today < appraisal.period.as_month.end.date():
            continue  # the month is not over: nothing to fill in yet
        sent, is_late = _remind_step(appraisal, today)
        reminders += sent
        if is_late:
            late.append(appraisal)
    _overdue_summaries(late, today)
    return ReminderRun(reminders=reminders, overdue=len(late), auto_confirmed=confirmed)
