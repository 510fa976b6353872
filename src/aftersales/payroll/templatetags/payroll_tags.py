"""The pay line's grade badge and pay figure, made in Python: the pay sheet shows them on 100 lines
a page, where an included template per cell cost more than the rest of the row."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from aftersales.payroll.models import CloseLine

register = template.Library()

GRADE_CLASS = {"A": "text-bg-success", "B": "text-bg-primary", "C": "text-bg-info", "D": "text-bg-warning"}


@register.simple_tag
def grade_badge(line: CloseLine) -> SafeString:
    """The grade as a badge (— without one), marked 改判 with the reason when HR overrode it."""
    if not line.grade:
        return mark_safe("—")
    badge = format_html(
        '<span class="badge {}">{}</span>', GRADE_CLASS.get(line.grade, "text-bg-danger"), line.grade
    )
    if not line.override_grade:
        return badge
    return format_html(
        '{} <span class="badge text-bg-light border" title="{}">{}</span>',
        badge,
        line.override_reason,
        _("改判"),
    )


@register.simple_tag
def pay_figure(line: CloseLine) -> SafeString:
    """The pay, grouped by thousands with two decimals, and whether it is held (暂缓) or released."""
    pay = floatformat(line.pay, "2g")
    if line.withheld:
        return format_html(
            '{} <span class="badge text-bg-warning" title="{}">{}</span>',
            pay,
            line.held_reason_text,
            _("暂缓"),
        )
    if line.held:
        return format_html('{} <span class="badge text-bg-success">{}</span>', pay, _("已解除"))
    return format_html("{}", pay)
