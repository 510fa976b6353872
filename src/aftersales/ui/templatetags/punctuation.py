"""Punctuation that follows the interface language (docs/i18n.md, "Punctuation between pieces").

A full-width mark typed in a template next to a translated string or a value shows in English too
("Employee signature：…", "A、B"). Where the mark sits *between* pieces (a label and its value, the items
of a list), take it from these tags instead: Chinese keeps exactly the character it had, English gets
its own punctuation from the catalogue (msgctxt "punctuation"; the marks are in
``aftersales/punctuation.py``, which Python code uses too).

    {% load punctuation %}
    {% translate "员工签字" %}{% colon %}{{ name }}               员工签字：王建国 / Employee signature: Wang
    {% for a in items %}{{ a }}{% if not forloop.last %}{% list_sep %}{% endif %}{% endfor %}
    {{ labels|join_list }}                                          甲、乙 / A, B
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from aftersales import punctuation

register = template.Library()


register.simple_tag(punctuation.colon, name="colon")
register.simple_tag(punctuation.list_sep, name="list_sep")
register.simple_tag(punctuation.comma, name="comma")
register.simple_tag(punctuation.semicolon, name="semicolon")


@register.filter(needs_autoescape=True)
def join_list(items: Iterable[Any], autoescape: bool = True) -> str:
    """The items joined with the list separator: ``{{ labels|join_list }}`` for ``{{ labels|join:"、" }}``."""
    separator = punctuation.list_sep()
    if not autoescape:
        return separator.join(str(item) for item in items)
    return mark_safe(conditional_escape(separator).join(conditional_escape(item) for item in items))
