"""The field records' links in the service area's menu."""

from __future__ import annotations

from typing import Any

from django import template

from aftersales.service.record_kinds import KINDS

register = template.Library()


@register.simple_tag
def record_kind_links() -> list[tuple[str, Any]]:
    return [(kind.slug, kind.title) for kind in KINDS.values()]
