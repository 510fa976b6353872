from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from aftersales.appraisal.presentation import KIND_LABELS, STATE_CLASSES, band_range, grade_label
from aftersales.appraisal.scoring import json_ready
from aftersales.core.forms import Template

register = template.Library()


@register.filter
def state_class(state: str) -> str:
    return STATE_CLASSES.get(state, "text-bg-light")


@register.filter
def grade_name(grade: str) -> str:
    return grade_label(grade)


@register.filter
def points(value: Decimal | str | None) -> str:
    """A score as written on the form: 87.5, 100 (no trailing zeros); a dash when there is none."""
    if value in (None, ""):
        return "—"
    return str(json_ready(Decimal(str(value))))


@register.filter
def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


@register.filter
def section_name(code: str, form: Template) -> str:
    section = form.section(code)
    return section.name if section else code


@register.filter
def rate_range(item: object) -> str:
    """A band item's rates in words: 70%以下, 90%至100%以下, 100%及以上."""
    return band_range(getattr(item, "lower", None), getattr(item, "upper", None))


@register.filter
def posted(typed: Any, name: str) -> str:
    """The value posted for ``name`` when a refused step shows its form again, else ""."""
    return typed.get(name, "") if typed else ""


@register.filter
def posted_all(typed: Any, name: str) -> list[str]:
    """Every value posted for ``name`` (ticked boxes), for a refused step's form."""
    return typed.getlist(name) if typed else []


@register.simple_tag(takes_context=True)
def invalid(context: Any, *names: str) -> str:
    """ " is-invalid" on the control of the field a refused step named (``error_field``)."""
    return " is-invalid" if context.get("error_field") in names else ""
