"""One to-do list per person (issue 11): every item waiting for this user across the areas, worked
out from the records' own state — an item is gone the moment its step is taken, and nothing is
stored that could outlive it.

Each area contributes groups through a provider here; a provider asks only the area's own
selectors and permission predicates (the same ones the pages and services use) and runs a fixed
number of queries, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.appraisal.selectors import dashboard_for
from aftersales.core.interview_rules import Block
from aftersales.core.periods import Month
from aftersales.discipline.models import DisciplineRecord, Status
from aftersales.discipline.permissions import Authority
from aftersales.interviews.selectors import employees_missing_interview
from aftersales.organisation.access import AnyUser, employee_of, is_company_wide, viewer_for
from aftersales.parts.models import Requisition
from aftersales.parts.selectors import stores_operated_by
from aftersales.payroll.changes import out_of_date_closes
from aftersales.results.models import CaseStatus, ResultCase
from aftersales.service.access import employees_led_by, leads_anyone
from aftersales.service.models import Assignment, OrderStatus, ServiceReport
from aftersales.service.record_kinds import KINDS

# at most this many items of a group are listed; the count is always the whole number
SHOWN = 50


@dataclass(frozen=True)
class Task:
    """One thing waiting for the person: what, about whom, where it is done."""

    subject: str
    url: str
    note: str = ""  # a short state or date beside the subject
    pk: int | None = None  # the record a bulk action acts on


@dataclass
class Group:
    """The items of one kind (one step of one area), as the home page and the to-do page list them."""

    key: str
    title: str
    icon: str
    colour: str
    area: str
    tasks: list[Task] = field(default_factory=list)
    more: str = ""  # the area's own list of the same items
    bulk: str = ""  # the key of the bulk action (bulk.ACTIONS) that takes every item at once

    @property
    def count(self) -> int:
        return len(self.tasks)


Provider = Callable[[AnyUser, date], Iterable[Group]]


def _stamp(moment: datetime | date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date()
    return moment.strftime("%m-%d")


# --- appraisal (SPEC §4): the dashboard's steps ------------------------------------------------

_APPRAISAL_BULK = {"review": "appraisal-review", "archive": "appraisal-archive"}


def _appraisal(user: AnyUser, today: date) -> Iterable[Group]:
    for box in dashboard_for(user, today):
        group = Group(box.key, box.title, box.icon, box.colour, "appraisal", more=box.more)
        group.bulk = _APPRAISAL_BULK.get(box.key, "")
        for item in box.items:
            if box.key == "appeals":
                appraisal = item.appraisal
                group.tasks.append(
                    Task(
                        f"{appraisal.employee.name} · {appraisal.period.label}",
                        reverse("appraisal:detail", args=[appraisal.pk]),
                        _stamp(item.filed_at),
                    )
                )
            elif box.key == "agreements":
                group.tasks.append(
                    Task(
                        f"{item.employee.name} · {item.period.label}",
                        reverse("appraisal:agreement", args=[item.pk]),
                        _stamp(item.period.agreement_deadline),
                    )
                )
            else:
                group.tasks.append(
                    Task(
                        f"{item.employee.name} · {item.period.label}",
                        reverse("appraisal:detail", args=[item.pk]),
                        item.get_state_display(),
                        item.pk,
                    )
                )
        yield group


# --- pay: closes out of date ---------------------------------------------------------


def _payroll(user: AnyUser, today: date) -> Iterable[Group]:
    if not is_company_wide(user):
        return
    group = Group(
        "closes", _("结算已过期"), "bi-arrow-repeat", "warning", "payroll", more=reverse("payroll:index")
    )
    for version in out_of_date_closes()[:SHOWN]:
        group.tasks.append(
            Task(
                f"{version.period.department.name} · {version.period.label}",
                reverse("payroll:close-detail", args=[version.pk]),
                f"v{version.number}",
            )
        )
    yield group


# --- discipline (SPEC §6): proposals to decide ---------------------------------------------


def _discipline(user: AnyUser, today: date) -> Iterable[Group]:
    authority = Authority.of(user)
    if not (authority.hr or authority.headed):
        return
    proposed = DisciplineRecord.objects.filter(status=Status.PROPOSED).exclude(issuer_id=user.pk)
    if authority.me is not None:
        proposed = proposed.exclude(employee=authority.me)  # never one's own
    if not authority.hr:
        proposed = proposed.filter(employee__department_id__in=authority.headed)
    group = Group(
        "discipline",
        _("待审批奖惩"),
        "bi-award",
        "warning",
        "discipline",
        more=reverse("discipline:index"),
        bulk="discipline-approve",
    )
    for record in proposed.select_related("employee").order_by("created_at", "pk")[:SHOWN]:
        group.tasks.append(
            Task(
                f"{record.employee.name} · {record.get_kind_display()}",
                reverse("discipline:record-detail", args=[record.pk]),
                _stamp(record.effective_date),
                record.pk,
            )
        )
    yield group


# --- parts: requisitions to approve, to issue ---------------------------------------------------


def _parts(user: AnyUser, today: date) -> Iterable[Group]:
    led = employees_led_by(user)
    base = Requisition.objects.select_related("engineer", "part").order_by("proposed_at", "pk")
    if leads_anyone(user):
        group = Group(
            "requisitions-approve",
            _("待审批领料"),
            "bi-box-seam",
            "primary",
            "parts",
            more=reverse("parts:requisitions") + "?status=proposed",
            bulk="requisition-approve",
        )
        to_approve = base.filter(status=Requisition.Status.PROPOSED, engineer__in=led.values("pk"))
        for requisition in to_approve.exclude(engineer__user_id=user.pk)[:SHOWN]:  # type: ignore[misc]
            group.tasks.append(_requisition_task(requisition))
        yield group
    stores = stores_operated_by(user)
    if stores.exists():
        group = Group(
            "requisitions-issue",
            _("待发料"),
            "bi-box-arrow-right",
            "primary",
            "parts",
            more=reverse("parts:requisitions") + "?status=approved",
        )
        to_issue = base.filter(status=Requisition.Status.APPROVED, store__in=stores.values("pk"))
        for requisition in to_issue.exclude(engineer__user_id=user.pk)[:SHOWN]:  # type: ignore[misc]
            group.tasks.append(_requisition_task(requisition))
        yield group


def _requisition_task(requisition: Requisition) -> Task:
    part = f"{requisition.part.name} × {requisition.quantity}"
    return Task(
        f"{requisition.number} · {requisition.engineer.name} · {part}",
        reverse("parts:requisition-detail", args=[requisition.pk]),
        _stamp(requisition.proposed_at),
        requisition.pk,
    )


# --- service: orders dispatched to me, reports to approve ------------------------------------


def _service(user: AnyUser, today: date) -> Iterable[Group]:
    me = employee_of(user)
    if me is None:
        return
    sent = (
        Assignment.objects.filter(engineer=me, order__status=OrderStatus.DISPATCHED)
        .select_related("order")
        .order_by("order__deadline", "pk")
    )
    orders = [assignment.order for assignment in sent[:SHOWN]]
    if orders or me.service_assignments.exists():
        group = Group(
            "orders", _("派给我的工单"), "bi-truck", "info", "service", more=reverse("service:order-list")
        )
        group.tasks = [
            Task(
                f"{order.number} · {order.customer}",
                reverse("service:order-detail", args=[order.pk]),
                _("时限") + " " + timezone.localtime(order.deadline).strftime("%m-%d %H:%M"),
            )
            for order in orders
        ]
        yield group
    led = employees_led_by(user)
    if leads_anyone(user):
        waiting = (
            ServiceReport.objects.filter(
                is_current=True,
                signed_at__isnull=False,
                approved_at__isnull=True,
                engineer__in=led.values("pk"),
            )
            .exclude(Q(engineer=me) | Q(order__assignments__engineer=me))  # not one's own
            .select_related("order", "engineer")
            .order_by("signed_at", "pk")
        )
        group = Group(
            "reports",
            _("待审批服务报告"),
            "bi-file-earmark-check",
            "primary",
            "service",
            more=reverse("service:report-list"),
        )
        group.tasks = [
            Task(
                f"{report.order.number}-{report.visit} · {report.engineer.name}",
                reverse("service:report-detail", args=[report.pk]),
                _stamp(report.signed_at),
            )
            for report in waiting.distinct()[:SHOWN]
        ]
        yield group


def _field_records(user: AnyUser, today: date) -> Iterable[Group]:
    """The field records waiting for the leader: reports to review, paid services to approve or take
    the money of, escalations to decide, expense claims to approve (one query per kind)."""
    led = employees_led_by(user)
    if not leads_anyone(user):
        return
    group = Group("field-records", _("待处理现场记录"), "bi-clipboard-check", "primary", "service")
    for kind in KINDS.values():
        if kind.waiting is None:
            continue
        waiting = kind.model.objects.filter(kind.waiting, employee__in=led.values("pk"))  # type: ignore[attr-defined]
        group.tasks += [
            Task(
                f"{kind.title} · {record.employee.name}",
                reverse("service:record-list", kwargs={"kind": kind.slug}),
                _stamp(getattr(record, kind.date_field)),
            )
            for record in waiting.select_related("employee").order_by("pk")[:SHOWN]
        ]
    yield group


# --- interviews: the supervisor's team members not yet interviewed in the block ---------


def _interviews(user: AnyUser, today: date) -> Iterable[Group]:
    me = employee_of(user)
    if me is None or not viewer_for(user).has_reports:
        return
    block = Block.of(Month.of(today))
    missing = employees_missing_interview(block, as_of=today).filter(supervisor=me)
    group = Group(
        "interviews",
        _("待我面谈"),
        "bi-chat-square-text",
        "info",
        "interviews",
        more=reverse("interviews:index"),
    )
    group.tasks = [
        Task(
            f"{employee.number} {employee.name}",
            reverse("interviews:create", args=[employee.pk]),
            _("%(month)s前") % {"month": block.closing_month},
        )
        for employee in missing[:SHOWN]
    ]
    yield group


# --- results (SPEC §7): cases to decide -------------------------------------------------------


def _results(user: AnyUser, today: date) -> Iterable[Group]:
    if not is_company_wide(user):
        return
    cases = ResultCase.objects.filter(status=CaseStatus.OPEN).select_related("employee").order_by("pk")
    group = Group(
        "cases", _("待处理结果运用"), "bi-people", "secondary", "results", more=reverse("results:index")
    )
    group.tasks = [
        Task(
            f"{case.employee.name} · {case.get_kind_display()}",
            reverse("results:case-detail", args=[case.pk]),
            str(case.year),
        )
        for case in cases[:SHOWN]
    ]
    yield group


PROVIDERS: tuple[Provider, ...] = (
    _appraisal,
    _discipline,
    _parts,
    _service,
    _field_records,
    _interviews,
    _results,
    _payroll,
)


def groups_for(user: AnyUser, today: date | None = None) -> list[Group]:
    """Every group of items waiting for ``user``; a group shows only to those who can have items in it."""
    today = today or timezone.localdate()
    return [group for provider in PROVIDERS for group in provider(user, today)]


def count_for(user: AnyUser, today: date | None = None) -> int:
    """How many items wait for ``user`` (the menu's badge); overdue forms are counted once, in their
    step's group, not again as overdue."""
    return sum(group.count for group in groups_for(user, today) if group.key != "overdue")
