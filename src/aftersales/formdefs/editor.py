"""HR's form editor: a draft as typed ↔ the posted fields ↔ the template JSON of the rules core.

A draft's data has the shape of ``core.forms.to_dict`` with every value a string ("" for nothing),
item fields flat (``"incidents.min"``), so whatever HR typed is kept, valid or not. The name of each
input is the path the core's errors use (``sections[2].items[1].upper``): an error lands next to the
input it names, or on the nearest item, section or the form when it names no input (``place``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.core.errors import RuleError
from aftersales.core.forms import SECTION_KINDS, Template, from_dict, to_dict, validate_template
from aftersales.formdefs.messages import rule_message

Data = dict[str, Any]

# the inputs of an item, by section kind (the keys of core.forms' JSON; incidents flattened)
ITEM_FIELDS: dict[str, tuple[str, ...]] = {
    "deduction": ("code", "text", "deduction", "group", "incidents.min", "incidents.max"),
    "choice": ("code", "text", "deduction"),
    "band": ("code", "text", "lower", "upper", "deduction"),
    "graded": ("code", "text", "min", "max"),
}
SECTION_FIELDS = ("code", "name", "points", "heading", "measure")
NUMBERS = frozenset({"points", "deduction", "lower", "upper", "min", "max"})
COUNTS = frozenset({"incidents.min", "incidents.max"})
OPTIONAL = frozenset({"heading", "measure", "group", "lower", "upper"})
COUNT_DIGITS = 9  # a longer count is no count (and Python reads no more than 4300 digits)

FIELD_LABELS = {
    "name": gettext_lazy("名称"),
    "grading": gettext_lazy("评级方式"),
    "code": gettext_lazy("代码"),
    "kind": gettext_lazy("类型"),
    "points": gettext_lazy("分值"),
    "heading": gettext_lazy("分组标题"),
    "measure": gettext_lazy("衡量指标"),
    "slots": gettext_lazy("目标权重"),
    "text": gettext_lazy("内容"),
    "deduction": gettext_lazy("扣分"),
    "group": gettext_lazy("互斥组"),
    "incidents": gettext_lazy("次数范围"),
    "incidents.min": gettext_lazy("次数下限"),
    "incidents.max": gettext_lazy("次数上限"),
    "lower": gettext_lazy("比率下限(%)"),
    "upper": gettext_lazy("比率上限(%)"),
    "min": gettext_lazy("最低分"),
    "max": gettext_lazy("最高分"),
}

_SECTION_KEY = re.compile(r"sections\[(\d+)\]\.(code|name|kind|points|heading|measure)")
_ITEM_KEY = re.compile(r"sections\[(\d+)\]\.items\[(\d+)\]\.([a-z.]+)")
_SLOT_KEY = re.compile(r"sections\[(\d+)\]\.slots\[(\d+)\]")
_LAST_STEP = re.compile(r"(\.[a-z_]+|\[\d+\])$")


# ---------------------------------------------------------------------------------------------
# Draft data ↔ template JSON


def _string(value: object) -> str:
    return "" if value is None else str(value)


def draft_data(template: Template) -> Data:
    """The editor's data of a published version: every value as the form shows it."""
    definition = to_dict(template)
    sections = [_section_data(section) for section in definition["sections"]]  # type: ignore[attr-defined]
    return {"name": template.name, "grading": template.grading, "sections": sections}


def _section_data(section: Mapping[str, Any]) -> Data:
    data: Data = {key: _string(section.get(key)) for key in (*SECTION_FIELDS, "kind")}
    if section["kind"] == "goals":
        data["slots"] = [_string(slot) for slot in section["slots"]]
    else:
        data["items"] = [_item_data(item, section["kind"]) for item in section["items"]]
    return data


def _item_data(item: Mapping[str, Any], kind: str) -> dict[str, str]:
    incidents = item.get("incidents") or {}
    flat = {**item, "incidents.min": incidents.get("min"), "incidents.max": incidents.get("max")}
    return {key: _string(flat.get(key)) for key in ITEM_FIELDS[kind]}


def definition_of(data: Data, code: str) -> dict[str, Any]:
    """The template JSON of ``core.forms.from_dict`` (blanks → null, counts → integers)."""
    return {
        "code": code,
        "name": data["name"],
        "grading": data["grading"],
        "sections": [_section_definition(section) for section in data["sections"]],
    }


def _section_definition(section: Data) -> dict[str, Any]:
    result: dict[str, Any] = {"code": section["code"], "name": section["name"], "kind": section["kind"]}
    result["points"] = section["points"]
    for key in ("heading", "measure"):
        if section[key].strip():
            result[key] = section[key]
    if section["kind"] == "goals":
        result["slots"] = list(section["slots"])
    else:
        result["items"] = [_item_definition(item, section["kind"]) for item in section["items"]]
    return result


def _item_definition(item: Mapping[str, str], kind: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key in ITEM_FIELDS[kind]:
        if key not in COUNTS:
            result[key] = None if key in OPTIONAL and not item[key].strip() else item[key]
    if kind == "deduction" and (item["incidents.min"].strip() or item["incidents.max"].strip()):
        result["incidents"] = {"min": _count(item["incidents.min"]), "max": _count(item["incidents.max"])}
    return result


def _count(text: str) -> int | str | None:
    """An incident count as the core reads it; a non-number stays text so the core names it."""
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isdecimal() and len(text) <= COUNT_DIGITS else text


def template_of(data: Data, code: str) -> Template:
    """The draft as a template the core accepts for publishing, or ``RuleError`` naming the field."""
    template = from_dict(definition_of(data, code))
    validate_template(template)
    return template


# ---------------------------------------------------------------------------------------------
# Posted fields → draft data


def data_from_post(post: Mapping[str, str]) -> Data:
    """The whole draft as posted by the editor; indices renumbered in the order posted."""
    sections: dict[int, Data] = {}
    items: dict[tuple[int, int], dict[str, str]] = {}
    slots: dict[tuple[int, int], str] = {}
    for key, value in post.items():
        if match := _SECTION_KEY.fullmatch(key):
            sections.setdefault(int(match[1]), {})[match[2]] = value
        elif match := _ITEM_KEY.fullmatch(key):
            items.setdefault((int(match[1]), int(match[2])), {})[match[3]] = value
        elif match := _SLOT_KEY.fullmatch(key):
            slots[(int(match[1]), int(match[2]))] = value
    posted = [
        sections[index]
        | {
            "items": [items[key] for key in sorted(items) if key[0] == index],
            "slots": [slots[key] for key in sorted(slots) if key[0] == index],
        }
        for index in sorted(sections)
    ]
    return data_of({"name": post.get("name", ""), "grading": post.get("grading", ""), "sections": posted})


def data_of(draft: Mapping[str, Any]) -> Data:
    """The draft as this module keeps it, from the editor's fields or the API's body (the same shape):
    each section has the inputs of its kind — slots for goals, else items with their kind's fields —
    and an input not given is blank, as an empty box on the page."""
    return {
        "name": draft.get("name", ""),
        "grading": draft.get("grading", ""),
        "sections": [_section_of(section) for section in draft.get("sections", [])],
    }


def _section_of(given: Mapping[str, Any]) -> Data:
    kind = given.get("kind", "")
    section: Data = {key: given.get(key, "") for key in (*SECTION_FIELDS, "kind")}
    if kind == "goals":
        section["slots"] = list(given.get("slots", []))
    else:
        keys = ITEM_FIELDS.get(kind, ())
        section["items"] = [{name: item.get(name, "") for name in keys} for item in given.get("items", [])]
    return section


# ---------------------------------------------------------------------------------------------
# Checking


def check(data: Data, code: str) -> dict[str, str]:
    """Path → message of what stands in the way of publishing; empty when the draft is valid.

    Every blank that must be filled and every number that is not one are reported at once; then
    the first refusal of the rules core (``validate_template`` stops at the first).
    """
    errors = dict(_typing_errors(data))
    if errors:
        return errors
    try:
        template_of(data, code)
    except RuleError as error:
        return {error.field: rule_message(error.message)}
    return {}


def _typing_errors(data: Data) -> Iterable[tuple[str, str]]:
    values = [("name", "name", data["name"])]
    for s, section in enumerate(data["sections"]):
        path = f"sections[{s}]"
        values += [(f"{path}.{key}", key, section[key]) for key in ("code", "name", "points")]
        values += [(f"{path}.slots[{i}]", "points", slot) for i, slot in enumerate(section.get("slots", []))]
        for i, item in enumerate(section.get("items", [])):
            values += [(f"{path}.items[{i}].{key}", key, value) for key, value in item.items()]
    for field, key, value in values:
        message = _typing_error(key, value.strip())
        if message:
            yield field, message


def _typing_error(key: str, text: str) -> str:
    if not text:
        return _("必须填写") if key not in OPTIONAL and key not in COUNTS else ""
    if key in COUNTS and not text.isdecimal():
        return _("须为整数")
    if key in NUMBERS:
        try:
            number = Decimal(text)
        except InvalidOperation:
            return _("须为数字")
        if not number.is_finite():
            return _("须为数字")
    return ""


def place(errors: Mapping[str, str], shown: Iterable[str]) -> dict[str, list[str]]:
    """Each error on the path of the input it names, else on the nearest shown item or section,
    else on the form (""): ``sections[1].items`` → ``sections[1]``."""
    shown = set(shown)
    placed: dict[str, list[str]] = {}
    for path, message in errors.items():
        target = path
        while target and target not in shown:
            shorter = _LAST_STEP.sub("", target)
            target = shorter if shorter != target else ""  # "sections", "total": the form's
        placed.setdefault(target, []).append(message)
    return placed


# ---------------------------------------------------------------------------------------------
# Adding, removing and moving rows


def apply(data: Data, operation: str, new_kind: str = "deduction") -> Data:
    """The draft after one editor button: ``add-item:S``, ``remove-item:S:I``, ``up-item:S:I``,
    ``down-item:S:I``, ``add-slot:S``, ``remove-slot:S:I``, ``add-section``, ``remove-section:S``,
    ``up-section:S``, ``down-section:S``. An unknown or stale button changes nothing."""
    name, _sep, arguments = operation.partition(":")
    try:
        numbers = [int(argument) for argument in arguments.split(":") if argument]
        _OPERATIONS[name](data, numbers, new_kind)
    except (KeyError, IndexError, ValueError):
        pass
    return data


def _add_item(data: Data, numbers: list[int], new_kind: str) -> None:
    section = data["sections"][numbers[0]]
    codes = {item["code"] for item in section["items"]}
    fields = dict.fromkeys(ITEM_FIELDS[section["kind"]], "")
    section["items"].append(fields | {"code": _new_code("item", codes)})


def _remove_item(data: Data, numbers: list[int], new_kind: str) -> None:
    del data["sections"][numbers[0]]["items"][numbers[1]]


def _move(rows: list[Any], index: int, step: int) -> None:
    other = index + step
    if 0 <= other < len(rows) and 0 <= index < len(rows):
        rows[index], rows[other] = rows[other], rows[index]


def _add_slot(data: Data, numbers: list[int], new_kind: str) -> None:
    data["sections"][numbers[0]]["slots"].append("")


def _remove_slot(data: Data, numbers: list[int], new_kind: str) -> None:
    del data["sections"][numbers[0]]["slots"][numbers[1]]


def _add_section(data: Data, numbers: list[int], new_kind: str) -> None:
    if new_kind not in SECTION_KINDS:
        raise KeyError(new_kind)
    codes = {section["code"] for section in data["sections"]}
    section: Data = dict.fromkeys(SECTION_FIELDS, "") | {"kind": new_kind}
    section["code"] = _new_code("section", codes)
    if new_kind == "goals":
        section["slots"] = [""]
    else:
        section["items"] = [dict.fromkeys(ITEM_FIELDS[new_kind], "") | {"code": "item_1"}]
    data["sections"].append(section)


def _remove_section(data: Data, numbers: list[int], new_kind: str) -> None:
    del data["sections"][numbers[0]]


def _new_code(prefix: str, taken: set[str]) -> str:
    number = len(taken) + 1
    while f"{prefix}_{number}" in taken:
        number += 1
    return f"{prefix}_{number}"


_OPERATIONS = {
    "add-item": _add_item,
    "remove-item": _remove_item,
    "up-item": lambda data, n, kind: _move(data["sections"][n[0]]["items"], n[1], -1),
    "down-item": lambda data, n, kind: _move(data["sections"][n[0]]["items"], n[1], 1),
    "add-slot": _add_slot,
    "remove-slot": _remove_slot,
    "add-section": _add_section,
    "remove-section": _remove_section,
    "up-section": lambda data, n, kind: _move(data["sections"], n[0], -1),
    "down-section": lambda data, n, kind: _move(data["sections"], n[0], 1),
}
