"""Cases raised from the archived results (SPEC §7) and the position adjustments HR decides on them.

The rules are ``aftersales.core.results``'s; ``services.results_evaluate`` raises one ``ResultCase``
per employee, kind and period (never two), HR decides it (``services.case_decide``), and the history
table keeps every change with who made it. A decision that changes the position writes a
``PositionAdjustment``, whose six-month follow-up (R-7.3) the next evaluations watch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core.periods import Month
from aftersales.organisation.models import Employee, Position

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # the stubs' str | lazy str (a dev dependency)


class CaseKind(models.TextChoices):
    PROMOTION_CANDIDATE = "promotion_candidate", _("晋职候选")
    WORK_REPORT = "work_report", _("年度述职")
    UNQUALIFIED = "unqualified", _("不合格人员")
    FOLLOW_UP_DISMISSAL = "follow_up_dismissal", _("调岗后辞退审议")


ANNUAL_KINDS = frozenset({CaseKind.PROMOTION_CANDIDATE, CaseKind.WORK_REPORT})


class Decision(models.TextChoices):
    PROMOTE = "promote", _("晋职")
    KEY_TALENT = "key_talent", _("列入骨干员工名单")
    KEEP = "keep", _("维持现职")
    ADJUST_POSITION = "adjust_position", _("调整职位")
    DEMOTE = "demote", _("降职")
    CHANGE_JOB = "change_job", _("调换工作")
    TRAINING = "training", _("安排培训(非态度原因)")
    DISMISS = "dismiss", _("辞退")
    NO_ACTION = "no_action", _("不作处理")


# What HR may decide on each kind of case (docs/rules-results.md).
ALLOWED_DECISIONS: dict[str, tuple[str, ...]] = {
    CaseKind.PROMOTION_CANDIDATE: (Decision.PROMOTE, Decision.KEY_TALENT, Decision.NO_ACTION),
    CaseKind.WORK_REPORT: (
        Decision.KEEP,
        Decision.ADJUST_POSITION,
        Decision.DEMOTE,
        Decision.TRAINING,
        Decision.NO_ACTION,
    ),
    CaseKind.UNQUALIFIED: (
        Decision.CHANGE_JOB,
        Decision.DISMISS,
        Decision.DEMOTE,
        Decision.TRAINING,
        Decision.KEEP,
    ),
    CaseKind.FOLLOW_UP_DISMISSAL: (Decision.DISMISS, Decision.KEEP),
}
POSITION_DECISIONS = frozenset({Decision.ADJUST_POSITION, Decision.DEMOTE, Decision.CHANGE_JOB})
KEY_TALENT_DECISIONS = frozenset({Decision.PROMOTE, Decision.KEY_TALENT})


# the kinds whose case calls for a work report (述职) before HR decides.
WORK_REPORT_KINDS = frozenset({CaseKind.WORK_REPORT, CaseKind.UNQUALIFIED})


class ReportOutcome(models.TextChoices):
    """How the work report (述职) was judged: 述职仍不合格者 → 调整岗位或辞退 (source §5.5)."""

    PASSED = "passed", _("述职合格")
    FAILED = "failed", _("述职不合格")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    DECIDED = "decided", _("已决定")


class ResultCase(models.Model):
    """A case for HR raised from the results (SPEC §7): what triggered it, and what was decided.

    ``month`` is empty for the annual kinds (R-7.2, R-7.3 composite); for a follow-up it is the month
    of the position adjustment it follows (``follows``).
    """

    employee = models.ForeignKey(
        Employee, verbose_name=_("员工"), on_delete=models.PROTECT, related_name="result_cases"
    )
    kind = models.CharField(_("类型"), max_length=32, choices=CaseKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), null=True, blank=True)
    follows = models.ForeignKey(
        "PositionAdjustment",
        verbose_name=_("跟踪的职位调整"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_up_cases",
    )
    facts = models.JSONField(_("触发依据"), default=dict, help_text=_("立案时的得分"))
    raised_at = models.DateTimeField(_("立案时间"), auto_now_add=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("空: 系统(命令行)"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    decision = models.CharField(_("处理决定"), max_length=20, choices=Decision.choices, blank=True)
    note = models.TextField(_("决定说明"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    training_request = models.OneToOneField(
        "interviews.TrainingRequest",
        verbose_name=_("培训需求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="result_case",
    )
    # 述职: the report the employee gave, and how it was judged (recorded by HR)
    report_date = models.DateField(_("述职日期"), null=True, blank=True)
    report_text = models.TextField(_("述职报告"), blank=True)
    report_outcome = models.CharField(_("述职结果"), max_length=10, choices=ReportOutcome.choices, blank=True)
    report_note = models.TextField(_("述职评议意见"), blank=True)
    report_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("述职记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report_recorded_at = models.DateTimeField(_("述职记录时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结果运用案例")
        verbose_name_plural = _("结果运用案例")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["status", "kind"])]
        constraints = [
            # one case per employee, kind and period, whatever the number of evaluation runs
            models.UniqueConstraint(
                fields=["employee", "kind", "year"],
                condition=Q(month__isnull=True),
                name="results_case_one_per_year",
            ),
            models.UniqueConstraint(
                fields=["employee", "kind", "year", "month"],
                condition=Q(month__isnull=False),
                name="results_case_one_per_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.get_kind_display()} {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("results:case-detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return str(self.year) if self.month is None else str(Month(self.year, self.month))

    @property
    def allowed_decisions(self) -> list[tuple[str, StrOrPromise]]:
        allowed = ALLOWED_DECISIONS[self.kind]
        return [(value, label) for value, label in Decision.choices if value in allowed]

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    @property
    def needs_work_report(self) -> bool:
        """R-7.3, R-7.4: a mandatory work report (述职) belongs to this case."""
        return self.kind in WORK_REPORT_KINDS

    @property
    def has_work_report(self) -> bool:
        return bool(self.report_outcome)


class PositionAdjustment(models.Model):
    """A change of position decided on a case (调整职位, 降职, 调换工作; R-7.3, R-7.4).

    The month of effect starts the six-month follow-up of R-7.3.
    """

    employee = models.ForeignKey(
        Employee, verbose_name=_("员工"), on_delete=models.PROTECT, related_name="position_adjustments"
    )
    year = models.PositiveSmallIntegerField(_("生效年"))
    month = models.PositiveSmallIntegerField(_("生效月"))
    from_position = models.ForeignKey(
        Position, verbose_name=_("原职位"), on_delete=models.PROTECT, related_name="+"
    )
    to_position = models.ForeignKey(
        Position, verbose_name=_("新职位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("调整方式"), max_length=20, choices=Decision.choices)
    reason = models.TextField(_("调整原因"))
    case = models.OneToOneField(
        ResultCase,
        verbose_name=_("依据案例"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustment",
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(_("决定时间"), auto_now_add=True)
    follow_up_passed = models.BooleanField(
        _("调整后半年考核合格"),
        default=False,
        help_text=_("调整后六个月考核平均分不低于60分,不再跟踪"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("职位调整")
        verbose_name_plural = _("职位调整")
        ordering = ["-year", "-month", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year", "month"], name="results_one_adjustment_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.effective_month} {self.from_position} → {self.to_position}"

    @property
    def effective_month(self) -> Month:
        return Month(self.year, self.month)


class EvaluationRun(models.Model):
    """One run of the evaluation (HR, or the command line): when, for which month, what it raised."""

    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    annual = models.BooleanField(_("含年度评估"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("空: 系统(命令行)"),
    )
    ran_at = models.DateTimeField(_("评估时间"), auto_now_add=True)
    raised = models.JSONField(_("新立案数"), default=dict, help_text=_("按类型"))

    class Meta:
        verbose_name = _("结果评估记录")
        verbose_name_plural = _("结果评估记录")
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"{Month(self.year, self.month)} {self.ran_at:%Y-%m-%d %H:%M}"

    @property
    def total_raised(self) -> int:
        return sum(self.raised.values())
