"""Filters of the form pages, and whether the menu offers them (no link leads to a refusal)."""

from __future__ import annotations

from django import template

from aftersales.appraisal.presentation import KIND_LABELS
from aftersales.formdefs.editor import FIELD_LABELS
from aftersales.formdefs.models import FormTemplate
from aftersales.organisation.access import AnyUser, is_company_wide

register = template.Library()
_CODE_LABELS = {"grading": dict(FormTemplate.Grading.choices), "kind": KIND_LABELS}


@register.filter
def edits_forms(user: AnyUser) -> bool:
    """Whether ``user`` may open the form pages (HR)."""
    return is_company_wide(user)


@register.filter
def field_label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))


@register.filter
def field_value(value: str, key: str) -> str:
    """A value of a diff as the page shows it: codes of the grading and section kind by name."""
    return str(_CODE_LABELS.get(key, {}).get(value, value))
