"""``{% export_link %}``: the list's "导出 Excel" link, carrying the current filters (web/exporting.py)."""

from __future__ import annotations

from typing import Any

from django import template

from aftersales.ui.exporting import export_query

register = template.Library()


@register.inclusion_tag("web/_export_link.html", takes_context=True)
def export_link(context: dict[str, Any]) -> dict[str, Any]:
    return {"href": export_query(context["request"])}
