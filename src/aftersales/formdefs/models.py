"""Published versions of the appraisal forms (考核表模板版本).

A row is one version of one form; it never changes once stored, because appraisals pin the
version they were made with (SPEC §2). ``definition`` holds the template's JSON (core.forms.to_dict).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import Template, from_dict


class FormTemplate(models.Model):
    class Grading(models.TextChoices):
        ABSOLUTE = "absolute", _("绝对标准")
        FORCED = "forced", _("强制比例分布")

    code = models.CharField(_("代码"), max_length=64)
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("名称"), max_length=200)
    grading = models.CharField(_("评级方式"), max_length=16, choices=Grading.choices)
    definition = models.JSONField(_("定义"))
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    # PROTECT: who published a version stays on record (users are deactivated, not deleted)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("考核表模板")
        verbose_name_plural = _("考核表模板")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="formdefs_formtemplate_code_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code} v{self.version})"

    def to_domain(self) -> Template:
        return from_dict(self.definition)
