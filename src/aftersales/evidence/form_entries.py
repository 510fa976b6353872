"""One accepted proposal as an entry of the form (the JSON of ``aftersales calc score``).

Plain functions on the template's sections: how an entry merges into the form's entries, and
whether the form still holds it (the supervisor may change the form after accepting).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from aftersales.core.forms import Section


def entry_of(section: Section, value: Any) -> Any:
    """The form entry of a proposed value: a graded proposal also carries the measured days."""
    if section.kind == "graded":
        return {"item": value["item"], "score": value["score"]}
    return value


def merged(entries: Mapping[str, Any], section: Section, value: Any) -> dict[str, Any]:
    """``entries`` with ``value`` written into ``section``.

    A deduction adds its item to the behaviours that occurred (an item of an exclusive group
    replaces the group's other item, R-2.3); a band takes the rate, a graded section the band and
    score.
    """
    result = dict(entries)
    if section.kind != "deduction":
        result[section.code] = value
        return result
    item = section.item(value)
    group = item.group if item else None
    kept = [
        code
        for code in result.get(section.code) or []
        if code != value and (group is None or _group_of(section, code) != group)
    ]
    result[section.code] = [*kept, value]
    return result


def holds(entries: Mapping[str, Any], section: Section, value: Any) -> bool:
    """Whether the form's entry of ``section`` is still ``value`` (same item, same band rate)."""
    entry = entries.get(section.code)
    if section.kind == "deduction":
        return isinstance(entry, list) and value in entry
    if section.kind == "band":
        return _number(entry) is not None and _number(entry) == _number(value)
    if isinstance(entry, Mapping) and isinstance(value, Mapping):
        return entry.get("item") == value.get("item")
    return bool(entry == value)


def _group_of(section: Section, code: str) -> str | None:
    item = section.item(code)
    return item.group if item else None


def _number(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
