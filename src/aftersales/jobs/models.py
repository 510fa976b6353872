"""A background job (后台任务): one record per request made — who asked, for what, how far it got, and
its file or the reason it failed. The worker (django-tasks) only carries the job's id; everything a
page shows is here, so the pages read the same whichever queue backend runs the work."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Kind(models.TextChoices):
        PAYSHEET_XLSX = "paysheet-xlsx", _("绩效薪资表 Excel")
        PAYSHEET_PDF = "paysheet-pdf", _("绩效薪资表 PDF")
        CLOSE = "close", _("月度结算")
        ROSTER_IMPORT = "roster-import", _("组织架构导入")

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("内容"), max_length=200)
    params = models.JSONField(_("参数"), default=dict)
    # HR's company-wide work (a company close, an import) is seen by every HR user, not only the requester
    company_wide = models.BooleanField(_("全公司"), default=False)
    # the uploaded file a job works on (an import); dropped when the job ends (it may hold initial passwords)
    source = models.BinaryField(null=True, editable=False)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(
        _("文件"), null=True, editable=False
    )  # stored with the job: any worker may write it
    result = models.JSONField(_("结果"), default=dict)
    error = models.TextField(_("失败原因"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="job_requester_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
