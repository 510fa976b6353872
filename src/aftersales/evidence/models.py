"""Proposed form entries and their evidence (SPEC §11, 依据记录的考核建议).

At the close of a month the recorded facts — complaints, late incident reports, phone-off
incidents, open warranty items, repair KPIs, response times — propose entries on the employees'
forms. Each ``Proposal`` is one entry for one section of one appraisal, with the records behind it
(``evidence``); the direct supervisor accepts it (the entry is written into the form and keeps the
link) or rejects it with a reason. Labels are copied from the pinned template version when the
proposal is made, so a list needs no template look-up (pinned versions never change).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.appraisal.models import Appraisal


class Source(models.TextChoices):
    """The kind of fact a proposal comes from; each maps to one target on the form (rules.TARGETS)."""

    COMPLAINT = "complaint", _("经核实的用户投诉")
    INCIDENT = "incident", _("重大行车事故逾期通知/报告")
    PHONE_OFF = "phone_off", _("手机关机记录")
    PARTS_UNSETTLED = "parts_unsettled", _("三包件逾期未销帐")
    OLD_PART_MISSING = "old_part_missing", _("旧件逾期未返回")
    SEVEN_DAY = "seven_day", _("七日返修完成率")
    SECOND_REPAIR = "second_repair", _("二次返修率")
    COMPLAINT_RESPONSE = "complaint_response", _("投诉响应时间")
    QUALITY_RESPONSE = "quality_response", _("质量信息响应时间")
    LEFT_POST = "left_post", _("私自离开工作地点记录")
    LATENESS = "lateness", _("迟到、早退、旷工、电话闲聊记录")
    SUPPORT_NEEDED = "support_needed", _("需他人支援的问题汇报")
    WRITTEN_COMPLAINT = "written_complaint", _("事先未沟通的书面质量投诉")
    ROUTINE_REPORTS = "routine_reports", _("服务月报、质量通报未按时提交或不合格")
    MARKET_INFO = "market_info", _("营销与竞争对手信息不足")
    PAID_SERVICE = "paid_service", _("有偿服务未经同意或未如数上缴")
    EXPENSE_CLAIM = "expense_claim", _("借款逾期未报销")
    ESCALATION_LATE = "escalation_late", _("较大问题逾期汇报")
    REGION_COMPLAINTS = "region_complaints", _("区域内经核实的投诉")
    CUSTOMER_VISITS = "customer_visits", _("客户走访不足")
    REGION_SUMMARY = "region_summary", _("区域工作总结未按时提交或不合格")
    REGION_UNREPORTED = "region_unreported", _("区域内考勤与重大事件未报")
    FILING_LAG = "filing_lag", _("来电来函归档滞后")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("待决定")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("已驳回")


class Proposal(models.Model):
    """One proposed entry of an appraisal form, with the records that support it.

    ``value`` has the entry's JSON shape (``aftersales calc score``): an item code for a deduction
    (or the item an exclusive group's count picks, R-2.3), the rate in percent for a band, and
    ``{"item", "score", "days"}`` for a section graded on a response time. ``measured`` is the
    figure behind it (a count, a rate, days). ``evidence`` lists ``{kind, id, label, date}``.
    """

    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("绩效考核表"), on_delete=models.CASCADE, related_name="evidence_proposals"
    )
    section = models.CharField(_("考核项目代码"), max_length=64)
    section_name = models.CharField(_("考核项目"), max_length=100)
    source = models.CharField(_("依据类型"), max_length=24, choices=Source.choices)
    value = models.JSONField(_("建议内容"))
    item_text = models.CharField(_("建议条目"), max_length=300)
    deduction = models.DecimalField(_("扣分"), max_digits=5, decimal_places=2, null=True, blank=True)
    measured = models.CharField(_("实测值"), max_length=30, blank=True)
    evidence = models.JSONField(_("依据记录"), default=list)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    reason = models.TextField(_("驳回理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核建议")
        verbose_name_plural = _("考核建议")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # one open proposal per target and source: re-running refreshes it (idempotent)
            models.UniqueConstraint(
                fields=["appraisal", "section", "source"],
                condition=models.Q(status="proposed"),
                name="evidence_proposal_one_open",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.section_name}: {self.item_text}"

    @property
    def is_open(self) -> bool:
        return self.status == Status.PROPOSED
