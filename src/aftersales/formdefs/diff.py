"""What changed between two versions of a form (与上一版本的差异), for HR to read before publishing.

Sections are matched by code, items by code within their section: a section or item is added,
removed or changed (each changed field with its old and new value, as the form prints it), and a
list whose common rows changed order is "reordered". Plain Python, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from aftersales.core.forms import IncidentRange, Item, Section, Template

Status = Literal["added", "removed", "changed"]
_SECTION_FIELDS = ("name", "kind", "points", "heading", "measure", "slots")
# the fields an item of each section kind uses (as core.forms' JSON)
_ITEM_FIELDS = {
    "deduction": ("text", "deduction", "group", "incidents"),
    "choice": ("text", "deduction"),
    "band": ("text", "lower", "upper", "deduction"),
    "graded": ("text", "min", "max"),
    "goals": (),
}


@dataclass(frozen=True)
class Change:
    """One field: ``old`` → ``new`` as written on the form ("" for nothing)."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemDiff:
    code: str
    text: str
    status: Status
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class SectionDiff:
    code: str
    name: str
    status: Status
    changes: tuple[Change, ...]
    items: tuple[ItemDiff, ...]
    reordered: bool


@dataclass(frozen=True)
class FormDiff:
    changes: tuple[Change, ...]
    sections: tuple[SectionDiff, ...]
    reordered: bool

    @property
    def empty(self) -> bool:
        return not (self.changes or self.sections or self.reordered)


def shown(value: object) -> str:
    """A value as the form prints it: 25, 7.5, "3–", "1–2", "30 / 15 / 15"; "" for nothing."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
    if isinstance(value, IncidentRange):
        return f"{value.min}–{'' if value.max is None else value.max}"
    if isinstance(value, tuple):
        return " / ".join(shown(part) for part in value)
    return str(value)


def template_diff(old: Template, new: Template) -> FormDiff:
    """``new`` compared with ``old`` (the version before)."""
    old_sections = {section.code: section for section in old.sections}
    new_codes = {section.code for section in new.sections}
    diffs = [_section_diff(old_sections.get(section.code), section) for section in new.sections]
    diffs += [_section_diff(section, None) for section in old.sections if section.code not in new_codes]
    return FormDiff(
        _changes(old, new, ("name", "grading")),
        tuple(diff for diff in diffs if diff is not None),
        _reordered(old.sections, new.sections),
    )


def _section_diff(old: Section | None, new: Section | None) -> SectionDiff | None:
    if new is None:
        assert old is not None
        return _whole_section(old, "removed")
    if old is None:
        return _whole_section(new, "added")
    old_items = {item.code: item for item in old.items}
    new_codes = {item.code for item in new.items}
    items = [_item_diff(new.kind, old_items.get(item.code), item) for item in new.items]
    items += [_whole_item(old.kind, item, "removed") for item in old.items if item.code not in new_codes]
    changed = tuple(item for item in items if item is not None)
    changes = _changes(old, new, _SECTION_FIELDS)
    reordered = _reordered(old.items, new.items)
    if not (changes or changed or reordered):
        return None
    return SectionDiff(new.code, new.name, "changed", changes, changed, reordered)


def _whole_section(section: Section, status: Status) -> SectionDiff:
    changes = _whole(section, _SECTION_FIELDS, added=status == "added")
    items = tuple(_whole_item(section.kind, item, status) for item in section.items)
    return SectionDiff(section.code, section.name, status, changes, items, False)


def _item_diff(kind: str, old: Item | None, new: Item) -> ItemDiff | None:
    if old is None:
        return _whole_item(kind, new, "added")
    changes = _changes(old, new, _ITEM_FIELDS[kind])
    return ItemDiff(new.code, new.text, "changed", changes) if changes else None


def _whole_item(kind: str, item: Item, status: Status) -> ItemDiff:
    return ItemDiff(item.code, item.text, status, _whole(item, _ITEM_FIELDS[kind], added=status == "added"))


def _changes(old: object, new: object, names: Sequence[str]) -> tuple[Change, ...]:
    pairs = ((name, shown(getattr(old, name)), shown(getattr(new, name))) for name in names)
    return tuple(Change(name, before, after) for name, before, after in pairs if before != after)


def _whole(row: object, names: Sequence[str], *, added: bool) -> tuple[Change, ...]:
    """The fields of an added (old "") or removed (new "") row that have a value."""
    values = [(name, shown(getattr(row, name))) for name in names]
    return tuple(
        Change(name, "" if added else value, value if added else "") for name, value in values if value
    )


def _reordered(old: Sequence[Section | Item], new: Sequence[Section | Item]) -> bool:
    """Whether the rows both versions have stand in another order."""
    common = {row.code for row in old} & {row.code for row in new}
    return [row.code for row in old if row.code in common] != [row.code for row in new if row.code in common]
