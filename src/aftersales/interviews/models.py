"""Performance interviews (员工绩效面谈记录表, form 4.6) and training requests (R-7.5).

An interview is held and recorded by the employee's direct supervisor at least once every two
months (R-4.4). Its training suggestion becomes a ``TrainingRequest`` that HR plans and closes with
the actual effect (员工绩效结果运用表).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.organisation.models import Department, Employee, Position

MAX_ITEMS = 3  # 项目一–三


class Interview(models.Model):
    """One interview record (form 4.6). The header is copied from the employee when it is recorded."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("员工"), on_delete=models.PROTECT, related_name="interviews"
    )
    supervisor = models.ForeignKey(
        Employee, verbose_name=_("直接主管"), on_delete=models.PROTECT, related_name="interviews_held"
    )
    position = models.ForeignKey(Position, verbose_name=_("职位"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    performance_score = models.DecimalField(
        _("绩效得分"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    held_on = models.DateField(_("面谈日期"))
    improvement_from = models.DateField(_("改进期限自"))
    improvement_to = models.DateField(_("改进期限至"))
    employee_remarks = models.TextField(_("员工需要说明的其他问题"), blank=True)
    supervisor_remarks = models.TextField(_("直接主管需要说明的其他问题"), blank=True)
    training_reason = models.TextField(_("实施培训原因"), blank=True)
    training_content = models.CharField(_("培训项目/内容"), max_length=200, blank=True)
    training_planned_time = models.CharField(_("拟培训时间"), max_length=100, blank=True)
    training_expected_effect = models.TextField(_("培训预期效果说明"), blank=True)
    other_resources = models.TextField(
        _("需组织提供的其他资源或支持"), blank=True, help_text=_("经费、设备、人员、信息等")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("绩效面谈记录")
        verbose_name_plural = _("绩效面谈记录")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["employee", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(improvement_from__lte=models.F("improvement_to")),
                name="interview_improvement_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.held_on:%Y-%m-%d}"

    @property
    def has_training_suggestion(self) -> bool:
        return bool(self.training_content.strip() or self.training_reason.strip())


class InterviewItem(models.Model):
    """One of the up to three items (面谈项目一–三) of an interview."""

    interview = models.ForeignKey(
        Interview, verbose_name=_("面谈记录"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(
        _("项目序号"), validators=[MinValueValidator(1), MaxValueValidator(MAX_ITEMS)]
    )
    strengths_or_problems = models.TextField(_("个人优势或存在的问题"), blank=True)
    improvement_suggestions = models.TextField(_("改进建议"), blank=True)
    resources_needed = models.TextField(_("绩效改进需获得的资源及支持"), blank=True)
    phase_goals = models.TextField(_("绩效改进阶段性目标"), blank=True)
    next_review = models.TextField(_("下一次面谈时的检查与回顾记录"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("面谈项目")
        verbose_name_plural = _("面谈项目")
        ordering = ["interview", "number"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "number"], name="interview_item_number_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=MAX_ITEMS), name="interview_item_number_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interview} #{self.number}"


class TrainingStatus(models.TextChoices):
    REQUESTED = "requested", _("已提出")
    PLANNED = "planned", _("已安排")
    DONE = "done", _("已完成")


class TrainingSource(models.TextChoices):
    INTERVIEW = "interview", _("面谈培训建议")
    LOW_SCORE = "low_score", _("非态度原因低分")


class TrainingRequest(models.Model):
    """A training need (员工绩效结果运用表, R-7.5): requested → planned → done (with the actual effect)."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("员工"), on_delete=models.PROTECT, related_name="training_requests"
    )
    source = models.CharField(_("来源"), max_length=20, choices=TrainingSource.choices)
    interview = models.OneToOneField(
        Interview,
        verbose_name=_("面谈记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_request",
    )
    reason = models.TextField(_("实施培训原因"), blank=True)
    content = models.CharField(_("培训项目/内容"), max_length=200)
    suggested_time = models.CharField(_("拟培训时间"), max_length=100, blank=True)
    expected_effect = models.TextField(_("培训预期效果说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=TrainingStatus.choices, default=TrainingStatus.REQUESTED
    )
    planned_on = models.DateField(_("培训日期"), null=True, blank=True)
    plan = models.TextField(_("培训安排"), blank=True)
    actual_effect = models.TextField(_("培训实际效果说明"), blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("培训需求")
        verbose_name_plural = _("培训需求")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.employee} · {self.content}"
