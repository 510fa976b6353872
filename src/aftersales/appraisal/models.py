"""The monthly appraisal cycle (SPEC §4): periods, appraisals, performance agreements, history.

A ``Period`` is one calendar month of one department, opened by HR. Each employee of the
department gets an ``Appraisal`` that pins the form template version it is scored on and moves
through the states of R-4.1; every move is a ``Transition`` row holding a snapshot of the form.
An upheld appeal (R-4.3) creates a new version of the appraisal; the old one is kept, not current.
An archived appraisal never changes (``save`` refuses), except its pay-hold flag
``interview_missing`` (R-4.4), which the interview audit sets and clears.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.errors import StateConflict
from aftersales.core.periods import Month
from aftersales.organisation.models import Department, Employee

_DAY = [MinValueValidator(1), MaxValueValidator(28)]  # a day that every month has


class ArchivedError(StateConflict):
    """An archived appraisal was about to change (R-4.1)."""


class Period(models.Model):
    """A month of appraisals of one department (考核周期), with its deadlines (SPEC §4)."""

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已关闭")

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="appraisal_periods"
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(
        _("月"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    agreement_day = models.PositiveSmallIntegerField(
        _("绩效协议签订截止日(当月)"), default=10, validators=_DAY
    )
    review_day = models.PositiveSmallIntegerField(_("考核完成截止日(次月)"), default=10, validators=_DAY)
    archive_day = models.PositiveSmallIntegerField(_("归档及薪资截止日(次月)"), default=20, validators=_DAY)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("开启人"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("开启时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核周期")
        verbose_name_plural = _("考核周期")
        ordering = ["-year", "-month", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year", "month"], name="appraisal_period_unique"),
        ]
        indexes = [
            # the lists' year and month selects: the newest month, the first and last year are index seeks
            models.Index(fields=["year", "month"], name="appraisal_period_month"),
            # the open months (the to-do list's overdue steps, reminders): a few rows, whatever the
            # years of closed ones (SQLite scanned every period by the month index to find them)
            models.Index(fields=["status"], condition=models.Q(status="open"), name="appraisal_period_open"),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.label}"

    @property
    def label(self) -> str:
        return str(self.as_month)

    @property
    def as_month(self) -> Month:
        return Month(self.year, self.month)

    @property
    def agreement_deadline(self) -> date:
        """绩效协议签订: by this day of month M."""
        return date(self.year, self.month, self.agreement_day)

    @property
    def review_deadline(self) -> date:
        """Self-report, scoring, review and confirmation: by this day of M+1."""
        following = self.as_month.shift(1)
        return date(following.year, following.month, self.review_day)

    @property
    def archive_deadline(self) -> date:
        """人力资源部留存归档 and pay: by this day of M+1."""
        following = self.as_month.shift(1)
        return date(following.year, following.month, self.archive_day)


class State(models.TextChoices):
    """R-4.1."""

    DRAFT = "draft", _("待自评")
    SELF_REPORTED = "self_reported", _("待评分")
    SCORED = "scored", _("待审核")
    RETURNED = "returned", _("已退回")
    REVIEWED = "reviewed", _("待确认")
    APPEALED = "appealed", _("申诉中")
    CONFIRMED = "confirmed", _("已确认")
    ARCHIVED = "archived", _("已归档")


class Channel(models.TextChoices):
    """How a result was confirmed (R-4.2)."""

    APP = "app", _("系统内确认")
    EMAIL = "email", _("邮件确认")
    AUTO = "auto", _("逾期自动确认")


class Appraisal(models.Model):
    """One employee's appraisal form for one period (月度绩效考核表), in one version."""

    period = models.ForeignKey(
        Period, verbose_name=_("考核周期"), on_delete=models.PROTECT, related_name="appraisals"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("员工"), on_delete=models.PROTECT, related_name="appraisals"
    )
    template_code = models.CharField(_("考核表"), max_length=64)
    template_version = models.PositiveIntegerField(_("考核表版本"))
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=1, help_text=_("申诉成立后的更正版本号"))
    is_current = models.BooleanField(_("当前版本"), default=True)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("上一版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    self_report = models.JSONField(_("员工自评"), default=dict, blank=True)
    entries = models.JSONField(_("评分内容"), default=dict, blank=True)
    section_scores = models.JSONField(_("各项得分"), default=list, blank=True)
    supervisor_comment = models.TextField(_("主管评语"), blank=True)
    form_total = models.DecimalField(_("考核表得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    discipline_points = models.DecimalField(
        _("奖惩加减分"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("本月已批准的奖惩记录的加减分"),
    )
    final_score = models.DecimalField(_("最终得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=1, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    seen_at = models.DateTimeField(_("员工查看结果时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_channel = models.CharField(_("确认方式"), max_length=8, choices=Channel.choices, blank=True)
    confirmation_evidence = models.TextField(_("确认凭证"), blank=True)
    interview_missing = models.BooleanField(
        _("缺少绩效面谈"), default=False, help_text=_("考核表暂不用于薪资计算，待面谈记录后解除")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Who the form was about as of the archive (R-4.1: an archived form never changes, not even when
    # the employee is renamed, moved or gets another supervisor); blank before the archive.
    archived_name = models.CharField(_("归档时姓名"), max_length=100, blank=True)
    archived_position = models.CharField(_("归档时职位"), max_length=100, blank=True)
    archived_supervisor = models.CharField(_("归档时直接主管"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("绩效考核表")
        verbose_name_plural = _("绩效考核表")
        ordering = ["-period__year", "-period__month", "employee__number", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "employee", "version"], name="appraisal_appraisal_unique_version"
            ),
            models.UniqueConstraint(
                fields=["period", "employee"],
                condition=models.Q(is_current=True),
                name="appraisal_appraisal_one_current",
            ),
        ]
        indexes = [models.Index(fields=["state", "is_current"])]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.period.label} v{self.version}"

    def keep_identity(self) -> None:
        """Copy the employee's name, position and supervisor onto the form (at the archive)."""
        employee = self.employee
        self.archived_name = employee.name
        self.archived_position = employee.position.name
        self.archived_supervisor = employee.supervisor.name if employee.supervisor else ""

    @property
    def printed_name(self) -> str:
        """The name the form shows: as archived, else the employee's current one."""
        return self.archived_name or self.employee.name

    @property
    def printed_position(self) -> str:
        return self.archived_position or self.employee.position.name

    @property
    def printed_supervisor(self) -> str:
        if self.archived_name:
            return self.archived_supervisor
        return self.employee.supervisor.name if self.employee.supervisor else ""

    # The one field that may change after archiving: it holds or releases pay, not the form.
    _MUTABLE_WHEN_ARCHIVED = frozenset({"interview_missing", "updated_at"})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            self._refuse_archived_change(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if Appraisal.objects.filter(pk=self.pk, state=State.ARCHIVED).exists():
            raise ArchivedError("an archived appraisal cannot be deleted")
        return super().delete(*args, **kwargs)

    def _refuse_archived_change(self, update_fields: Any) -> None:
        if update_fields is not None and set(update_fields) <= self._MUTABLE_WHEN_ARCHIVED:
            return
        if Appraisal.objects.filter(pk=self.pk, state=State.ARCHIVED).exists():
            raise ArchivedError("an archived appraisal never changes (R-4.1)")


class Agreement(models.Model):
    """The performance agreement (绩效协议) of a tech_support or tech_improvement employee for a month.

    Signed by the employee and the direct supervisor by the period's agreement day (SPEC §4).
    Editing the goals clears both signatures; once both have signed, the goals are fixed.
    """

    period = models.ForeignKey(
        Period, verbose_name=_("考核周期"), on_delete=models.PROTECT, related_name="agreements"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("员工"), on_delete=models.PROTECT, related_name="agreements"
    )
    employee_signed_at = models.DateTimeField(_("员工签字时间"), null=True, blank=True)
    supervisor_signed_at = models.DateTimeField(_("主管签字时间"), null=True, blank=True)
    supervisor_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签字主管"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("绩效协议")
        verbose_name_plural = _("绩效协议")
        ordering = ["-period__year", "-period__month", "employee__number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "employee"], name="appraisal_agreement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.period.label}"

    @property
    def is_signed(self) -> bool:
        return self.employee_signed_at is not None and self.supervisor_signed_at is not None


class Goal(models.Model):
    """A monthly key goal (月度重点工作目标) of an agreement, with its weight in points."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("绩效协议"), on_delete=models.CASCADE, related_name="goals"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("工作目标"), max_length=300)
    weight = models.DecimalField(
        _("权重(分)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    deadline_requirement = models.CharField(_("期限要求"), max_length=300, blank=True)
    quality_requirement = models.CharField(_("完成质量要求"), max_length=300, blank=True)
    completion = models.CharField(_("完成程度"), max_length=300, blank=True)
    self_description = models.TextField(_("自我完成情况描述"), blank=True)
    supervisor_check = models.TextField(_("上级检查完成情况"), blank=True)
    supervisor_score = models.DecimalField(
        _("上级评分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作目标")
        verbose_name_plural = _("工作目标")
        ordering = ["agreement", "order"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "order"], name="appraisal_goal_unique_order")
        ]

    def __str__(self) -> str:
        return self.title


class Transition(models.Model):
    """One step of an appraisal (R-4.1): who, when, from which state to which, and the form then."""

    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("绩效考核表"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_state = models.CharField(_("原状态"), max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=16, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("空: 系统(如逾期自动确认)"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("说明"), blank=True)
    on_behalf = models.CharField(
        _("代为办理原因"),
        max_length=200,
        blank=True,
        help_text=_("本应办理此步骤的人是被考核人本人时，由谁代办及原因"),
    )
    snapshot = models.JSONField(_("表单快照"), default=dict)

    class Meta:
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state or '-'} → {self.to_state}"


class Appeal(models.Model):
    """员工绩效申诉表 (R-4.3): filed by the employee, decided by HR with minutes."""

    class Status(models.TextChoices):
        FILED = "filed", _("待处理")
        UPHELD = "upheld", _("申诉成立")
        REJECTED = "rejected", _("申诉驳回")

    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("绩效考核表"), on_delete=models.PROTECT, related_name="appeals"
    )
    items = models.JSONField(_("申诉项目"), default=list, help_text=_("有异议的考核项目代码"))
    reasons = models.TextField(_("申诉理由"))
    evidence = models.TextField(_("证据"), blank=True)
    filed_at = models.DateTimeField(_("申诉时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.FILED)
    minutes = models.TextField(_("协调会议纪要"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resulting_version = models.OneToOneField(
        Appraisal,
        verbose_name=_("更正后版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="created_by_appeal",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("绩效申诉")
        verbose_name_plural = _("绩效申诉")
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"{self.appraisal} {self.get_status_display()}"


class Notification(models.Model):
    """An in-app reminder or notice (提醒); the same text is e-mailed when the person has an address."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="+"
    )
    appraisal = models.ForeignKey(
        Appraisal,
        verbose_name=_("绩效考核表"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("类型"), max_length=32)
    message = models.CharField(_("内容"), max_length=300)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    day = models.DateField(
        _("提醒日"), default=timezone.localdate, help_text=_("每人每表每类提醒每天至多一次")
    )
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message
