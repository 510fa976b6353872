"""Rewards and penalties (奖惩, SPEC §6): the reasons catalogue, the records, dismissal cases.

The rules (points per month, the yearly standing) live in ``aftersales.core.discipline``; the rows here
are converted to its ``Record`` at the edge (``DisciplineRecord.to_domain``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core import discipline as rules
from aftersales.organisation.models import Employee

_DIGITS = "零一二三四五六七八九"


def chinese_number(number: int) -> str:
    """1 → 一, 14 → 十四, 20 → 二十, 35 → 三十五, 105 → 一百零五 (article and clause numbers; from
    10000 on, Arabic digits)."""
    if number >= 10000:
        return str(number)
    if number < 100:
        tens, units = divmod(number, 10)
        if tens == 0:
            return _DIGITS[units]
        return f"{_DIGITS[tens] if tens > 1 else ''}十{_DIGITS[units] if units else ''}"
    parts: list[str] = []
    gap = False  # a zero digit between two others is read once (一千零一十)
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, value)
        if digit:
            parts.append(("零" if gap else "") + _DIGITS[digit] + unit)
            gap = False
        else:
            gap = bool(parts)
    return "".join(parts)


class Kind(models.TextChoices):
    """R-6.1 kinds (奖惩种类); the values are those of ``core.discipline.Kind``."""

    COMMENDATION = rules.Kind.COMMENDATION.value, _("嘉奖")
    MERIT = rules.Kind.MERIT.value, _("记功")
    MAJOR_MERIT = rules.Kind.MAJOR_MERIT.value, _("记大功")
    WARNING = rules.Kind.WARNING.value, _("警告")
    DEMERIT = rules.Kind.DEMERIT.value, _("记过")
    MAJOR_DEMERIT = rules.Kind.MAJOR_DEMERIT.value, _("记大过")
    REMOVAL = rules.Kind.REMOVAL.value, _("解职")
    DISMISSAL = rules.Kind.DISMISSAL.value, _("解雇")


REWARDS = frozenset({Kind.COMMENDATION, Kind.MERIT, Kind.MAJOR_MERIT})


class RewardReason(models.Model):
    """An article of the rewards-and-penalties rules (R-6.4), editable by HR.

    ``clause`` numbers the sub-rules of an article that has several (art. 14 has five); 0 is the
    whole article.
    """

    article = models.PositiveSmallIntegerField(_("条"))
    clause = models.PositiveSmallIntegerField(_("款"), default=0, help_text=_("0 表示整条"))
    text = models.TextField(_("条文"))
    suggested_kind = models.CharField(_("建议奖惩"), max_length=20, choices=Kind.choices)
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("奖惩事由")
        verbose_name_plural = _("奖惩事由")
        ordering = ["article", "clause"]
        constraints = [
            models.UniqueConstraint(fields=["article", "clause"], name="discipline_reason_article")
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.text}"

    @property
    def label(self) -> str:
        """第十四条第三款 — in English "Art. 14(3)": the rules are cited in the reader's numbering."""
        if not (get_language() or "zh").startswith("zh"):
            return f"Art. {self.article}" + (f"({self.clause})" if self.clause else "")
        clause = f"第{chinese_number(self.clause)}款" if self.clause else ""
        return f"第{chinese_number(self.article)}条{clause}"


class Status(models.TextChoices):
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class DisciplineRecord(models.Model):
    """A reward or penalty of one employee (奖惩记录); only approved records count (R-6.2, R-6.3)."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("员工"), on_delete=models.PROTECT, related_name="discipline_records"
    )
    kind = models.CharField(_("奖惩种类"), max_length=20, choices=Kind.choices)
    reason = models.ForeignKey(
        RewardReason,
        verbose_name=_("奖惩事由"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    reason_text = models.TextField(_("事由说明"), blank=True)
    effective_date = models.DateField(_("生效日期"), help_text=_("积分计入该日期所在月份的考核"))
    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="discipline_records_issued",
    )
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discipline_records_decided",
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    note = models.TextField(_("审批意见"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("奖惩记录")
        verbose_name_plural = _("奖惩记录")
        ordering = ["-effective_date", "-id"]
        indexes = [
            models.Index(fields=["employee", "status", "effective_date"]),
            models.Index(fields=["effective_date", "id"], name="discipline_date_id"),
            # the changes after a close (payroll.changes): approvals after a time by an index range,
            # and the latest approval per effective day read from this index alone
            models.Index(
                fields=["status", "approved_at", "effective_date", "kind"], name="discipline_status_approved"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reason__isnull=False) | ~models.Q(reason_text=""),
                name="discipline_record_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.get_kind_display()} {self.effective_date}"

    def get_absolute_url(self) -> str:
        return reverse("discipline:record-detail", args=[self.pk])

    def to_domain(self) -> rules.Record:
        return rules.Record(rules.Kind(self.kind), self.effective_date)

    @property
    def points(self) -> int:
        """R-6.2 points on the month of effect (0 for removal and dismissal)."""
        return rules.POINTS.get(rules.Kind(self.kind), 0)

    @property
    def description(self) -> str:
        """The free-text reason, else the catalogue's wording."""
        return self.reason_text or (self.reason.text if self.reason else "")

    @property
    def is_reward(self) -> bool:
        return self.kind in REWARDS


class CaseStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    DECIDED = "decided", _("已决定")


class DismissalCase(models.Model):
    """R-6.3 step 4: three or more net major demerits in a year — an HR case, not an automatic act."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("员工"), on_delete=models.PROTECT, related_name="dismissal_cases"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    major_demerits = models.PositiveSmallIntegerField(
        _("净大过次数"), help_text=_("立案时相抵折算后剩余的大过次数")
    )
    raised_at = models.DateTimeField(_("立案时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    decision = models.TextField(_("处理决定"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dismissal_cases_decided",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("解雇审议")
        verbose_name_plural = _("解雇审议")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year"],
                condition=models.Q(status="open"),
                name="discipline_one_open_case_per_employee_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.year}"
