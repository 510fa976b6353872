"""Performance pay (绩效薪资, SPEC §5) and the monthly close (SPEC §3, §5).

Settings are data HR edits (``PaySettings``, ``CategorySetting``, ``DepartmentCoefficient``), each
change kept in its history table with who and why. A close of a department's month is a
``CloseVersion`` with one ``CloseLine`` per employee; a re-close that changes anything adds a new
version and keeps the old one (not current). HR's grade overrides and the adjustment-fund payouts
are rows of their own, never edited.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.appraisal.models import Appraisal, Period
from aftersales.core.grading import DEFAULT_QUOTAS, GRADES, ForcedGrade, Grade
from aftersales.core.pay import DEFAULT_PAY_RATIO
from aftersales.organisation.models import Category, Department, Employee
from aftersales.payroll.explain import explain_grade, explain_hold

GRADE_CHOICES = [(grade.value, f"{grade.value} {grade.label}") for grade in GRADES]
_POSITIVE = [MinValueValidator(Decimal("0.01"))]
_PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class QuotaScheme(models.TextChoices):
    """Forced-distribution quotas (R-3.3): source §2.4 (default), the §5.1 table, or HR's own."""

    SECTION_2_4 = "s2_4", _("方案§2.4：A 4% · B 6% · C 60% · D 20% · E 10%")
    SECTION_5_1 = "s5_1", _("方案§5.1：A 4% · B 6% · C 20% · D 60% · E 10%")
    CUSTOM = "custom", _("自定义")


SCHEME_QUOTAS: dict[str, dict[Grade, Decimal]] = {
    QuotaScheme.SECTION_2_4: dict(DEFAULT_QUOTAS),
    QuotaScheme.SECTION_5_1: {**DEFAULT_QUOTAS, Grade.C: Decimal(20), Grade.D: Decimal(60)},
}


class PaySettings(models.Model):
    """The company-wide pay settings (one row), edited by HR."""

    pay_ratio = models.DecimalField(
        _("绩效薪资占职位标准薪资比例"),
        max_digits=5,
        decimal_places=4,
        default=DEFAULT_PAY_RATIO,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("默认 0.30（原文举例为 0.50）"),
    )
    rounding_unit = models.DecimalField(
        _("取整单位(元)"), max_digits=8, decimal_places=2, default=Decimal(1), validators=_POSITIVE
    )
    quota_scheme = models.CharField(
        _("强制分布比例"), max_length=8, choices=QuotaScheme.choices, default=QuotaScheme.SECTION_2_4
    )
    quota_a = models.DecimalField(
        _("A 比例%"), max_digits=5, decimal_places=2, default=4, validators=_PERCENT
    )
    quota_b = models.DecimalField(
        _("B 比例%"), max_digits=5, decimal_places=2, default=6, validators=_PERCENT
    )
    quota_c = models.DecimalField(
        _("C 比例%"), max_digits=5, decimal_places=2, default=60, validators=_PERCENT
    )
    quota_d = models.DecimalField(
        _("D 比例%"), max_digits=5, decimal_places=2, default=20, validators=_PERCENT
    )
    quota_e = models.DecimalField(
        _("E 比例%"), max_digits=5, decimal_places=2, default=10, validators=_PERCENT
    )
    score_cap = models.DecimalField(
        _("最终得分上限"), max_digits=6, decimal_places=2, default=Decimal(100), validators=_POSITIVE
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("绩效薪资设置")
        verbose_name_plural = _("绩效薪资设置")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def load(cls) -> PaySettings:
        """The one row; while none is stored (HR has never saved the settings), the defaults, unsaved:
        reading the settings never writes.

        The defaults' decimals are given the scale of their columns (``Decimal("0.3000")``, not the
        default's ``Decimal("0.30")``), as a stored row reads: a close's fingerprint holds their text,
        and a close made on the defaults must be reproduced after they are stored."""
        stored = cls.objects.filter(pk=1).first()
        if stored is not None:
            return stored
        defaults = cls(pk=1)
        for field in cls._meta.concrete_fields:
            if isinstance(field, models.DecimalField):
                value = Decimal(getattr(defaults, field.attname))
                setattr(defaults, field.attname, value.quantize(Decimal(1).scaleb(-field.decimal_places)))
        return defaults

    @classmethod
    def stored(cls) -> PaySettings:
        """The one row, stored with the defaults first when missing (before HR's first change, so
        that change is recorded as a change of the defaults)."""
        settings, created = cls.objects.get_or_create(pk=1)
        if created:
            settings.refresh_from_db()
        return settings

    def custom_quotas(self) -> dict[Grade, Decimal]:
        return dict(
            zip(GRADES, (self.quota_a, self.quota_b, self.quota_c, self.quota_d, self.quota_e), strict=True)
        )

    def quotas(self) -> dict[Grade, Decimal]:
        """The quotas in force (percent per grade)."""
        return SCHEME_QUOTAS.get(self.quota_scheme) or self.custom_quotas()


class PayFactorMode(models.TextChoices):
    """R-5.2: the pay factor f of a category."""

    SCORE = "score", _("考核得分/100")
    GRADE = "grade", _("等级绩效系数Q")


class CategorySetting(models.Model):
    """Per employee category: how its pay factor is taken (default: the score)."""

    category = models.CharField(_("考核类别"), max_length=32, choices=Category.choices, unique=True)
    pay_factor = models.CharField(
        _("绩效系数取值"), max_length=8, choices=PayFactorMode.choices, default=PayFactorMode.SCORE
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("类别薪资设置")
        verbose_name_plural = _("类别薪资设置")
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.get_pay_factor_display()}"


class DepartmentCoefficient(models.Model):
    """部门月度绩效系数 d of a department and month (R-5.3), set by HR with a reason; default 1.0."""

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="pay_coefficients"
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(
        _("月"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    value = models.DecimalField(
        _("部门月度绩效系数"),
        max_digits=5,
        decimal_places=3,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(5))],
    )
    reason = models.TextField(_("原因"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("设置人"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("设置时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("部门月度绩效系数")
        verbose_name_plural = _("部门月度绩效系数")
        ordering = ["-year", "-month", "department__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year", "month"], name="payroll_coefficient_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}-{self.month:02d} d={self.value}"


class CloseVersion(models.Model):
    """One version of the close of a department's month (月度绩效结算), with the rules it applied."""

    period = models.ForeignKey(
        Period, verbose_name=_("考核周期"), on_delete=models.PROTECT, related_name="pay_closes"
    )
    number = models.PositiveIntegerField(_("版本"))
    is_current = models.BooleanField(_("当前版本"), default=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("结算人"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("结算时间"), default=timezone.now)
    reason = models.TextField(_("结算说明"), blank=True)
    pay_ratio = models.DecimalField(_("绩效薪资比例"), max_digits=5, decimal_places=4)
    rounding_unit = models.DecimalField(_("取整单位"), max_digits=8, decimal_places=2)
    score_cap = models.DecimalField(_("得分上限"), max_digits=6, decimal_places=2)
    quotas = models.JSONField(_("强制分布比例"))
    grade_factor_categories = models.JSONField(_("按等级系数计薪的类别"), default=list)
    coefficient = models.DecimalField(_("部门月度绩效系数"), max_digits=5, decimal_places=3)
    head_in_pool = models.BooleanField(_("负责人计入奖金池"))
    pool_base = models.DecimalField(_("标准绩效薪资合计 B"), max_digits=14, decimal_places=6)
    distributable = models.DecimalField(_("可分配绩效薪资总额 P"), max_digits=14, decimal_places=2)
    fund_inflow = models.DecimalField(_("转入调节基金"), max_digits=14, decimal_places=6)
    fingerprint = models.CharField(_("内容指纹"), max_length=64)
    # the version's totals, written with it (a version never changes): lists read them instead of
    # aggregating the lines per request, so they do not grow with the years of history (issue 11)
    line_count = models.PositiveIntegerField(_("人数"), default=0)
    pay_total = models.DecimalField(_("绩效薪资合计"), max_digits=14, decimal_places=2, default=0)
    mean_score = models.DecimalField(_("平均得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    # since 2026-12: S rounded half up to the fen. Versions closed before keep their unrounded S
    # and say so (payroll 0004 sets False on them); every new version rounds.
    s_to_fen = models.BooleanField(_("标准绩效薪资取整到分"), default=True)
    # when HR last re-closed this month and found the same result: changes before it are accounted for
    # (R-3.1 "out of date"); not part of the result, which never changes
    checked_at = models.DateTimeField(_("最近核对时间"), null=True, blank=True)
    # the period's year, stored with the version (a period's year never changes): a year's current
    # versions are counted through their own index, without reading every version of the history
    # to join it to its period (issue 11: the payroll index's count grew with the years)
    year = models.PositiveSmallIntegerField(_("年度"), default=0)

    class Meta:
        verbose_name = _("绩效结算版本")
        verbose_name_plural = _("绩效结算版本")
        ordering = ["-period__year", "-period__month", "period__department__code", "-number"]
        indexes = [
            models.Index(
                fields=["year"], condition=models.Q(is_current=True), name="payroll_close_current_year"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="payroll_close_unique_number"),
            models.UniqueConstraint(
                fields=["period"], condition=models.Q(is_current=True), name="payroll_close_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.number}"


class CloseLine(models.Model):
    """One employee's result in a close version: score, grade and why, pay, and whether it is held."""

    # the close writes 20,000 lines at once: only the indexes reads need (the unique constraint
    # leads with the version; lines are looked up by employee); appraisal, unit and releaser are
    # followed from the line, never searched by
    version = models.ForeignKey(
        CloseVersion,
        verbose_name=_("结算版本"),
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("员工"), on_delete=models.PROTECT, related_name="pay_lines"
    )
    appraisal = models.ForeignKey(
        Appraisal,
        verbose_name=_("考核表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pay_lines",
        db_index=False,
    )
    unit = models.ForeignKey(
        Department, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    category = models.CharField(_("考核类别"), max_length=32, choices=Category.choices)
    position = models.CharField(_("职位"), max_length=100)
    # the name as of the close: an archived pay sheet prints it even after the employee is renamed
    employee_name = models.CharField(_("姓名"), max_length=100, default="")
    standard_salary = models.DecimalField(_("职位标准薪资"), max_digits=12, decimal_places=2)
    form_total = models.DecimalField(_("考核表得分"), max_digits=6, decimal_places=2, null=True)
    discipline_points = models.DecimalField(_("奖惩加减分"), max_digits=6, decimal_places=2)
    final_score = models.DecimalField(_("最终得分"), max_digits=6, decimal_places=2, null=True)
    forced = models.BooleanField(_("强制分布"))
    computed_grade = models.CharField(_("评定等级"), max_length=1, blank=True)
    # why the grade (R-3.3 "rank r of n"): set for a member of a forced-distribution group
    grade_rank = models.PositiveIntegerField(_("组内名次"), null=True, blank=True)
    grade_group_size = models.PositiveIntegerField(_("组内人数"), null=True, blank=True)
    grade_target = models.PositiveIntegerField(_("该等级名额"), null=True, blank=True)
    grade_quota = models.DecimalField(_("该等级比例%"), max_digits=5, decimal_places=2, null=True, blank=True)
    override_grade = models.CharField(_("改判等级"), max_length=1, blank=True)
    override_reason = models.TextField(_("改判理由"), blank=True)
    override_lapsed = models.BooleanField(_("改判已失效"), default=False)
    standard_pay = models.DecimalField(_("标准绩效薪资 S"), max_digits=16, decimal_places=6)
    factor = models.DecimalField(_("绩效系数 f"), max_digits=7, decimal_places=4, null=True)
    pay = models.DecimalField(_("绩效薪资"), max_digits=12, decimal_places=2)
    is_head = models.BooleanField(_("部门负责人"))
    in_pool = models.BooleanField(_("计入奖金池"))
    held = models.BooleanField(_("暂缓发放"))
    held_reason = models.CharField(_("暂缓原因"), max_length=200, blank=True)
    released_at = models.DateTimeField(_("解除暂缓时间"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解除人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    release_note = models.TextField(_("解除说明"), blank=True)

    class Meta:
        verbose_name = _("绩效结算明细")
        verbose_name_plural = _("绩效结算明细")
        ordering = ["version", "employee__number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "employee"], name="payroll_line_unique_employee"),
        ]
        # the few lines still held, by version: the held count of every close on a page (the
        # overview: 2,400 of them) reads this small index instead of every version's lines
        indexes = [
            models.Index(
                fields=["version"],
                condition=models.Q(held=True, released_at__isnull=True),
                name="payroll_line_held_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.version}"

    @property
    def grade(self) -> str:
        """The grade that counts: HR's override, else the computed one."""
        return self.override_grade or self.computed_grade

    @property
    def grade_explanation(self) -> str:
        """Why this grade (等级说明), in the reader's language."""
        forced = None
        if self.grade_rank is not None and self.computed_grade:
            forced = ForcedGrade(
                Grade(self.computed_grade),
                self.grade_rank,
                self.grade_group_size or 0,
                self.grade_quota or Decimal(0),
                self.grade_target or 0,
            )
        grade = Grade(self.computed_grade) if self.computed_grade else None
        return explain_grade(self.final_score, grade, forced, lapsed=self.override_lapsed)

    @property
    def held_reason_text(self) -> str:
        """Why pay is held, in the reader's language."""
        return explain_hold(self.held_reason)

    @property
    def withheld(self) -> bool:
        """Held and not yet released (暂缓发放中)."""
        return self.held and self.released_at is None


class GradeOverride(models.Model):
    """HR overrides an employee's grade for a month, with a written reason (R-3.3). Never edited:
    a later row replaces it; a row with no grade withdraws the override."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("员工"), on_delete=models.PROTECT, related_name="grade_overrides"
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    grade = models.CharField(_("改判等级"), max_length=1, choices=GRADE_CHOICES, blank=True)
    reason = models.TextField(_("改判理由"))
    final_score = models.DecimalField(
        _("改判时的最终得分"),
        max_digits=6,
        decimal_places=2,
        help_text=_("得分变化后改判失效"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("改判人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("等级改判")
        verbose_name_plural = _("等级改判")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.year}-{self.month:02d} → {self.grade or '-'}"


class FundPayout(models.Model):
    """An adjustment reward (调节奖励) paid from a department's quarterly fund, with its reason (R-5.4)."""

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="fund_payouts"
    )
    year = models.PositiveSmallIntegerField(_("年"))
    quarter = models.PositiveSmallIntegerField(
        _("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("获奖员工"), on_delete=models.PROTECT, related_name="fund_payouts"
    )
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2, validators=_POSITIVE)
    reason = models.TextField(_("发放理由"))
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发放人"), on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(_("发放时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调节奖励")
        verbose_name_plural = _("调节奖励")
        ordering = ["year", "quarter", "paid_at", "pk"]

    def __str__(self) -> str:
        return f"{self.department} {self.year}Q{self.quarter} {self.employee.name} {self.amount}"
