"""Published versions of the appraisal forms (考核表模板版本) and HR's drafts of the next one.

A ``FormTemplate`` row is one version of one form; it never changes once stored, because appraisals
pin the version they were made with (SPEC §2). ``definition`` holds the template's JSON
(core.forms.to_dict). A version takes effect from its ``effective_from`` month on; the months before
keep the version that was in force then (docs/user-guide/templates.md).

A ``FormDraft`` is the copy HR edits in the app before publishing it as the next version.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core.forms import Template, from_dict
from aftersales.core.periods import Month


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
    # the first day of the first month this version applies to; null: in force since always
    # (the versions stored before months were given, and those published without one)
    effective_from = models.DateField(_("生效月份"), null=True, blank=True)

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

    @property
    def effective_month(self) -> Month | None:
        return None if self.effective_from is None else Month.of(self.effective_from)


def first_day(month: Month) -> date:
    """How a month is stored in ``effective_from``."""
    return date(month.year, month.month, 1)


class FormDraft(models.Model):
    """HR's working copy of a form (考核表模板草稿): what the editor holds, as typed.

    ``definition`` has the shape of ``core.forms.to_dict`` with every value a string ("" for
    nothing), so that what HR typed survives even when it is not valid yet (formdefs.editor).
    One draft per form at a time; publishing turns it into the next version and deletes it.
    """

    code = models.CharField(_("代码"), max_length=64, unique=True)
    base_version = models.PositiveIntegerField(_("复制自版本"))
    definition = models.JSONField(_("草稿内容"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("考核表模板草稿")
        verbose_name_plural = _("考核表模板草稿")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} (draft of v{self.base_version + 1})"
