"""Punctuation that follows the interface language (docs/i18n.md, "Punctuation between pieces").

Chinese keeps its full-width marks; English gets its own from the catalogue (msgctxt "punctuation").
Templates use the tags of ``web/templatetags/punctuation.py``; Python code joining translated pieces
(error messages, notes) uses these functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import pgettext


def colon() -> str:
    """Between a label and what follows it: "：" in Chinese, ": " in English."""
    # Translators: after a label, before its value; keep the trailing space.
    return pgettext("punctuation", "：")


def list_sep() -> str:
    """Between the items of a list: "、" in Chinese, ", " in English."""
    # Translators: between the items of a list; keep the trailing space.
    return pgettext("punctuation", "、")


def comma() -> str:
    """Between clauses or entries that Chinese separates with a comma: "，" in Chinese, ", " in English."""
    # Translators: between entries that Chinese separates with a comma; keep the trailing space.
    return pgettext("punctuation", "，")


def semicolon() -> str:
    """Between longer entries: "；" in Chinese, "; " in English."""
    # Translators: between longer entries; keep the trailing space.
    return pgettext("punctuation", "；")


def join_list(items: Iterable[object]) -> str:
    """The items joined with the list separator ("甲、乙" / "A, B")."""
    return list_sep().join(str(item) for item in items)
