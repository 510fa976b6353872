"""Admin: published versions are read-only; adding one publishes it through ``template_publish``
in force since always (no effective month). HR edits and publishes forms from a month on in the
app (/formdefs/)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from aftersales.core.errors import RuleError
from aftersales.core.forms import from_dict, validate_template
from aftersales.formdefs.models import FormTemplate
from aftersales.formdefs.services import template_publish


class PublishForm(forms.ModelForm):
    """The JSON of ``aftersales templates show``, edited; the version number is assigned on publishing."""

    class Meta:
        model = FormTemplate
        fields = ["definition", "note"]

    def clean_definition(self) -> Any:
        definition = self.cleaned_data["definition"]
        try:
            validate_template(from_dict(definition))
        except RuleError as exc:
            raise ValidationError(str(exc)) from None
        return definition


@admin.register(FormTemplate)
class FormTemplateAdmin(admin.ModelAdmin):
    list_display = ("code", "version", "name", "grading", "effective_from", "published_at", "published_by")
    list_filter = ("code", "grading")
    search_fields = ("code", "name")
    form = PublishForm
    readonly_fields = (
        "code",
        "version",
        "name",
        "grading",
        "definition_json",
        "effective_from",
        "published_at",
        "published_by",
        "note",
    )

    def get_fields(self, request: HttpRequest, obj: FormTemplate | None = None) -> Any:
        return ("definition", "note") if obj is None else self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: FormTemplate | None = None) -> Any:
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: FormTemplate | None = None) -> bool:
        return False  # appraisals pin a version: a published one never changes

    def has_delete_permission(self, request: HttpRequest, obj: FormTemplate | None = None) -> bool:
        return False

    @admin.display(description=_("定义"))
    def definition_json(self, obj: FormTemplate) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.definition, ensure_ascii=False, indent=2))

    def save_model(self, request: HttpRequest, obj: FormTemplate, form: Any, change: bool) -> None:
        published = template_publish(
            definition=form.cleaned_data["definition"], actor=request.user, note=form.cleaned_data["note"]
        )
        # the admin goes on with ``obj`` (log entry, redirect): let it stand for the stored row
        obj.pk, obj.code, obj.version, obj.name = (
            published.pk,
            published.code,
            published.version,
            published.name,
        )
