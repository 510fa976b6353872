"""What a user reads on a page: its text and tooltips — and the developer notation that must not be
there (issue 13): rule ids (R-8.2, in docs only), half-open interval notation ("[, 70)") and formula
symbols standing in for words ("d=0.980 · P=…")."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S | re.I)
_TOOLTIP = re.compile(r'\b(?:title|placeholder|aria-label)="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
_HEADING = re.compile(r"<th\b[^>]*>\s*[^<]{0,3}\s*</th>")
NOTATION = (
    re.compile(r"\bR-\d+(?:\.\d+)*"),  # a rule id
    re.compile(r"\[\s*[\d.]*\s*,\s*[\d.∞]*\s*\)"),  # [lower, upper)
    re.compile(r"(?<![A-Za-z])[dBP]\s*=\s*[\d.,]"),  # d=0.980, P = 4,750
    re.compile(r"<th\b[^>]*>\s*[dPS]\s*</th>"),  # a column headed by a formula symbol (B is a grade)
)


def visible_text(html: str) -> str:
    """The page's text and its tooltips, tags and scripts removed."""
    shown = _HIDDEN.sub(" ", html)
    tooltips = " ".join(_TOOLTIP.findall(shown))
    return unescape(_TAG.sub(" ", shown) + " " + tooltips)


def developer_notation(response: Any) -> list[str]:
    """The developer notation an HTML page shows (empty for anything else)."""
    if "text/html" not in response.get("Content-Type", "") or not hasattr(response, "content"):
        return []
    return notation_in(response.content.decode())


def notation_in(html: str) -> list[str]:
    """Developer notation in a page's text, tooltips and column headings."""
    text = visible_text(html) + " " + " ".join(_HEADING.findall(_HIDDEN.sub(" ", html)))
    return [match.group(0) for pattern in NOTATION for match in pattern.finditer(text)]
