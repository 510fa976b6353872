"""The field records of the service area, one ``RecordKind`` each: how it is listed, exported,
created and acted on. Pages (``record_views``) and the API (``api``) read this one table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import F, Model, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aftersales.organisation.access import AnyUser
from aftersales.service import access, record_forms
from aftersales.service import record_services as acts
from aftersales.service.models import (
    AttendanceException,
    CustomerVisit,
    Escalation,
    ExpenseClaim,
    MarketInfo,
    PaidService,
    RoutineReport,
)
from aftersales.service.record_selectors import visible
from aftersales.ui.exporting import Column

EMPLOYEE_COLUMNS: list[Column] = [
    (_("工号"), lambda r: r.employee.number),
    (_("员工"), lambda r: r.employee.name),
]


@dataclass(frozen=True)
class RecordAction:
    """A leader's act on one record: its form and the service action it runs."""

    name: str
    label: str | Promise
    form: type[forms.Form]
    run: Callable[[Any, AnyUser, dict[str, Any]], Any]
    open: Callable[[Any], bool]  # whether the record still waits for this act


@dataclass(frozen=True)
class RecordKind:
    slug: str
    title: str | Promise
    hint: str | Promise  # which form items the record feeds
    model: type[Model]
    form: type[record_forms.RecordForm]
    create: Callable[[AnyUser, dict[str, Any]], Any]
    date_field: str  # the day the month filter reads
    columns: list[Column]
    by_leader: bool = False  # recorded by the employee's leader (else by the employee)
    actions: tuple[RecordAction, ...] = field(default=())
    waiting: Q | None = None  # the records that wait for a leader's act (the to-do list)

    def queryset(self, user: AnyUser) -> QuerySet[Any]:
        return visible(self.model.objects.all(), user)  # type: ignore[attr-defined]

    def may_create(self, user: AnyUser) -> bool:
        if self.by_leader:
            return access.leads_anyone(user)
        return access.reach(user).me is not None

    def action(self, name: str) -> RecordAction | None:
        return next((a for a in self.actions if a.name == name), None)


def _yes_no(value: bool) -> str:
    return str(_("是") if value else _("否"))


KINDS: dict[str, RecordKind] = {
    kind.slug: kind
    for kind in (
        RecordKind(
            "routine-reports",
            _("例行报告"),
            _(
                "服务月报、用户质量信息通报(考核表4.1、4.2信息传递)和区域月度、年度工作总结(考核表4.2区域管理)。"
            ),
            RoutineReport,
            record_forms.RoutineReportForm,
            lambda user, data: acts.routine_report_submit(actor=user, **data),
            "submitted_on",
            [
                *EMPLOYEE_COLUMNS,
                (_("报告类型"), lambda r: r.get_kind_display()),
                (_("期间"), lambda r: f"{r.year}-{r.month:02d}"),
                (_("应交日期"), lambda r: r.due_on),
                (_("提交日期"), lambda r: r.submitted_on),
                (_("审阅结果"), lambda r: r.get_verdict_display()),
                (_("审阅意见"), lambda r: r.review_note),
            ],
            actions=(
                RecordAction(
                    "review",
                    _("审阅"),
                    record_forms.ReviewForm,
                    lambda r, user, data: acts.routine_report_review(report=r, actor=user, **data),
                    lambda r: True,
                ),
            ),
            waiting=Q(verdict="pending"),
        ),
        RecordKind(
            "customer-visits",
            _("客户走访"),
            _("区域主管每月走访客户的记录(考核表4.2区域管理)。"),
            CustomerVisit,
            record_forms.CustomerVisitForm,
            lambda user, data: acts.customer_visit_record(actor=user, **data),
            "date",
            [
                *EMPLOYEE_COLUMNS,
                (_("走访日期"), lambda r: r.date),
                (_("用户单位"), lambda r: r.customer),
                (_("接待人"), lambda r: r.contact),
                (_("走访内容"), lambda r: r.content),
            ],
        ),
        RecordKind(
            "market-info",
            _("营销与竞争对手信息"),
            _("本区域营销信息和竞争对手产品信息(考核表4.1、4.2信息传递)。"),
            MarketInfo,
            record_forms.MarketInfoForm,
            lambda user, data: acts.market_info_record(actor=user, **data),
            "date",
            [
                *EMPLOYEE_COLUMNS,
                (_("日期"), lambda r: r.date),
                (_("信息类型"), lambda r: r.get_kind_display()),
                (_("主题"), lambda r: r.subject),
            ],
        ),
        RecordKind(
            "attendance",
            _("考勤异常"),
            _("迟到、早退、旷工、电话闲聊和私自离开工作地点,由直接主管或部门负责人记录(考核表4.1–4.4)。"),
            AttendanceException,
            record_forms.AttendanceForm,
            lambda user, data: acts.attendance_record(actor=user, **data),
            "date",
            [
                *EMPLOYEE_COLUMNS,
                (_("日期"), lambda r: r.date),
                (_("异常类型"), lambda r: r.get_kind_display()),
                (_("情况说明"), lambda r: r.note),
            ],
            by_leader=True,
        ),
        RecordKind(
            "paid-services",
            _("有偿服务"),
            _("有偿服务需经领导同意,回公司后如数上缴(考核表4.1、4.2信息传递:违反管理条例)。"),
            PaidService,
            record_forms.PaidServiceForm,
            lambda user, data: acts.paid_service_record(actor=user, **data),
            "charged_on",
            [
                *EMPLOYEE_COLUMNS,
                (_("收费日期"), lambda r: r.charged_on),
                (_("用户单位"), lambda r: r.customer),
                (_("收费金额(元)"), lambda r: r.amount),
                (_("领导同意日期"), lambda r: r.approved_on),
                (_("已上缴(元)"), lambda r: r.handed_in),
                (_("上缴日期"), lambda r: r.handed_in_on),
            ],
            actions=(
                RecordAction(
                    "approve",
                    _("同意"),
                    record_forms.ApproveForm,
                    lambda r, user, data: acts.paid_service_approve(record=r, actor=user, **data),
                    lambda r: r.approved_on is None,
                ),
                RecordAction(
                    "hand-in",
                    _("登记上缴"),
                    record_forms.HandInForm,
                    lambda r, user, data: acts.paid_service_hand_in(record=r, actor=user, **data),
                    lambda r: r.handed_in < r.amount,
                ),
            ),
            waiting=Q(approved_on__isnull=True) | Q(handed_in__lt=F("amount")),
        ),
        RecordKind(
            "escalations",
            _("较大问题汇报"),
            _("较大问题须及时向单位领导汇报,并提出本人处理意见(考核表4.1、4.2)。"),
            Escalation,
            record_forms.EscalationForm,
            lambda user, data: acts.escalation_report(actor=user, **data),
            "reported_at",
            [
                *EMPLOYEE_COLUMNS,
                (_("发现时间"), lambda r: r.found_at),
                (_("汇报时间"), lambda r: r.reported_at),
                (_("问题"), lambda r: r.problem),
                (_("需他人支援"), lambda r: _yes_no(r.support_needed)),
                (_("领导决定"), lambda r: r.decision),
            ],
            actions=(
                RecordAction(
                    "decide",
                    _("决定"),
                    record_forms.DecideForm,
                    lambda r, user, data: acts.escalation_decide(record=r, actor=user, **data),
                    lambda r: not r.decision,
                ),
            ),
            waiting=Q(decision=""),
        ),
        RecordKind(
            "expense-claims",
            _("报销"),
            _("返回单位后填写报销表格,冲抵借款(考核表4.1、4.2信息传递:违反管理条例)。"),
            ExpenseClaim,
            record_forms.ExpenseClaimForm,
            lambda user, data: acts.expense_claim_submit(actor=user, **data),
            "submitted_on",
            [
                *EMPLOYEE_COLUMNS,
                (_("返回单位日期"), lambda r: r.returned_on),
                (_("提交日期"), lambda r: r.submitted_on),
                (_("借款(元)"), lambda r: r.advance),
                (_("报销金额(元)"), lambda r: r.amount),
                (_("差额(元)"), lambda r: r.balance),
                (_("审核时间"), lambda r: r.approved_at),
            ],
            actions=(
                RecordAction(
                    "approve",
                    _("审核通过"),
                    record_forms.ConfirmForm,
                    lambda r, user, data: acts.expense_claim_approve(record=r, actor=user),
                    lambda r: r.approved_at is None,
                ),
            ),
            waiting=Q(approved_at__isnull=True),
        ),
    )
}
