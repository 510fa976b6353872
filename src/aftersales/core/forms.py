"""Appraisal form templates (考核表模板) and the scoring of a filled-in form — SPEC §2, R-2.1–R-2.4, R-3.1.

A template is data, versioned (SPEC §2): sections of five kinds, each worth some points, that
together total 100. ``validate_template`` is the check a version passes before HR publishes it;
``score_form`` turns the supervisor's entries into section scores, the form total and the final
monthly score; ``to_dict``/``from_dict`` are the JSON of ``aftersales templates show``.

Entries have the JSON shapes of ``aftersales calc score`` (CONTRACTS.md), so the command line, the
web forms and a stored appraisal speak one language. By section kind:

- ``deduction`` (关键行为扣分): the list of item codes that occurred; missing or null: none occurred.
- ``choice`` (工作态度): one item code; required.
- ``band`` (七日返修, 二次返修): the measured rate in percent; missing or null: not applicable.
- ``goals`` (绩效协议): the supervisor's scores for the default slots, or a list of
  ``{"weight": w, "score": s}``; required.
- ``graded`` (日常工作): ``{"item": code, "score": s}``; required.

Numbers may be ``Decimal``, ``int`` or decimal strings. Errors are ``RuleError`` whose field is a
path such as ``sections[2].items[1].upper`` or ``entries.work_attitude``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Final, Literal, TypeVar, cast

from aftersales.core.errors import RuleError

SectionKind = Literal["deduction", "choice", "band", "goals", "graded"]
Grading = Literal["absolute", "forced"]
SECTION_KINDS: Final[tuple[SectionKind, ...]] = ("deduction", "choice", "band", "goals", "graded")
GRADINGS: Final[tuple[Grading, ...]] = ("absolute", "forced")

FORM_TOTAL: Final = Decimal(100)  # 总分100分: every form totals 100 points
MAX_GOALS: Final = 5  # a performance agreement holds 1–5 goals (SPEC §2, goals)
RATE_MAX: Final = Decimal(100)  # band rates are percentages
# No number of a form or of its entries comes near this; beyond it sums and rounding would overflow.
NUMBER_LIMIT: Final = Decimal(10**9)
# measure of a graded section whose band the system proposes from a response time in days (4.5)
RESPONSE_DAYS: Final = "response_days"
ONE_DAY: Final = Decimal(1)  # t ≤ 1: 1天以内作出反应
THREE_DAYS: Final = Decimal(3)  # t ≥ 3: 3天及以上

_ZERO: Final = Decimal(0)
_CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")
_REQUIRED_KINDS: Final = frozenset({"choice", "goals", "graded"})
_Choice = TypeVar("_Choice", bound=str)


# ---------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True)
class IncidentRange:
    """Monthly incident counts n that select an item of an exclusive group: min ≤ n ≤ max (R-2.3).

    ``max`` None means no upper limit: 一月内出现3次或3次以上手机关机 is ``IncidentRange(3)``,
    偶尔手机关机 is ``IncidentRange(1, 2)``.
    """

    min: int
    max: int | None = None

    def contains(self, count: int) -> bool:
        return self.min <= count and (self.max is None or count <= self.max)


@dataclass(frozen=True)
class Item:
    """One row of a section.

    Deduction and choice items carry the ``deduction`` (扣分); a deduction item may belong to an
    exclusive ``group`` whose ``incidents`` pick the item (R-2.3). Band items are the half-open rate
    interval [lower, upper) in percent, None for an open end (R-2.2), with their deduction. Graded
    items carry the score range [min, max] the supervisor scores within.
    """

    code: str
    text: str
    deduction: Decimal = _ZERO
    group: str | None = None
    incidents: IncidentRange | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None
    min: Decimal | None = None
    max: Decimal | None = None

    def covers(self, rate: Decimal) -> bool:
        """Whether this band's [lower, upper) holds ``rate`` (R-2.2)."""
        return (self.lower is None or self.lower <= rate) and (self.upper is None or rate < self.upper)


@dataclass(frozen=True)
class Section:
    """A block of the form (考核项目) worth ``points``; its ``kind`` says how it is scored.

    ``slots`` are the default goal weights of a goals section (目标一 30, 目标二 15, …). ``heading``
    is the printed form's group heading (敬业精神, 日常工作); ``measure`` names what a band or
    graded section is measured on (a KPI of R-10, or a response time in days).
    """

    code: str
    name: str
    kind: SectionKind
    points: Decimal
    items: tuple[Item, ...] = ()
    slots: tuple[Decimal, ...] = ()
    heading: str | None = None
    measure: str | None = None

    def item(self, code: str) -> Item | None:
        return next((item for item in self.items if item.code == code), None)


@dataclass(frozen=True)
class Template:
    """One version of an appraisal form (考核表).

    ``grading`` is absolute (绝对标准) or forced distribution (强制比例分布).
    """

    code: str
    name: str
    version: int
    grading: Grading
    sections: tuple[Section, ...]

    @property
    def total(self) -> Decimal:
        return sum((section.points for section in self.sections), _ZERO)

    def section(self, code: str) -> Section | None:
        return next((section for section in self.sections if section.code == code), None)


@dataclass(frozen=True)
class SectionScore:
    """A section's score; ``applied`` are the item codes that decided it (the deducted behaviours,
    the chosen level, the band the rate fell in, or the graded band)."""

    code: str
    name: str
    points: Decimal
    score: Decimal
    applied: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormScore:
    """The scored form: section scores, their sum (form total) and the final monthly score (R-3.1)."""

    template: str
    version: int
    sections: tuple[SectionScore, ...]
    form_total: Decimal
    final: Decimal


# ---------------------------------------------------------------------------------------------
# Proposals from measured facts (SPEC §11)


def group_item_for_incidents(section: Section, group: str, count: int) -> Item | None:
    """The item of exclusive ``group`` that ``count`` incidents in the month select, or None (R-2.3).

    For the phone-off group (手机关机): n ≥ 3 → the −5 item, 1 ≤ n ≤ 2 → the −3 item, 0 → nothing.
    """
    if count < 0:
        raise RuleError("must be at least 0", "count")
    members = [item for item in section.items if item.group == group]
    if not members:
        raise RuleError(f"section {section.code!r} has no group {group!r}", "group")
    return next((item for item in members if item.incidents and item.incidents.contains(count)), None)


def band_for_rate(section: Section, rate: Decimal) -> Item:
    """The band of a band section that holds ``rate`` (R-2.2)."""
    band = next((item for item in section.items if item.covers(rate)), None)
    if band is None:
        raise RuleError(f"no band of section {section.code!r} holds {_text(rate)}", "rate")
    return band


def graded_item_for_response(section: Section, days: Decimal) -> Item:
    """The band proposed for a response time of ``days`` (4.5): t ≤ 1 → the first, 1 < t < 3 → the
    second, t ≥ 3 → the third. The supervisor still picks the score inside its range."""
    if section.kind != "graded" or section.measure != RESPONSE_DAYS:
        raise RuleError(f"section {section.code!r} is not graded on a response time", "section")
    if days < 0:
        raise RuleError("must be at least 0", "days")
    if days <= ONE_DAY:
        return section.items[0]
    return section.items[1] if days < THREE_DAYS else section.items[2]


# ---------------------------------------------------------------------------------------------
# Validation before publishing


def validate_template(template: Template) -> None:
    """Refuse a template that may not be published (SPEC §2, R-2.4); the error names the field."""
    _check_code(template.code, "code")
    _check_text(template.name, "name")
    if template.version < 1:
        raise RuleError("must be at least 1", "version")
    if template.grading not in GRADINGS:
        raise RuleError(f"must be one of {', '.join(GRADINGS)}", "grading")
    if not template.sections:
        raise RuleError("must hold at least one section", "sections")
    _check_unique([section.code for section in template.sections], "sections", "code")
    for index, section in enumerate(template.sections):
        _check_section(section, f"sections[{index}]")
    if template.total != FORM_TOTAL:
        raise RuleError(f"points must sum to {FORM_TOTAL}, not {_text(template.total)}", "sections")


def _check_code(code: str, field: str) -> None:
    if not _CODE.fullmatch(code):
        raise RuleError("must be a lower-case ASCII code (a-z, 0-9, _; at most 64 characters)", field)


def _check_text(text: str, field: str) -> None:
    if not text.strip():
        raise RuleError("must not be empty", field)


def _check_unique(codes: Sequence[str], path: str, key: str) -> None:
    seen: set[str] = set()
    for index, code in enumerate(codes):
        if code in seen:
            raise RuleError(f"duplicate code {code!r}", f"{path}[{index}].{key}")
        seen.add(code)


def _check_amount(value: Decimal, field: str, *, positive: bool = False) -> None:
    """Points and deductions are finite; a deduction is written without its minus sign."""
    if not value.is_finite() or value < 0 or (positive and value == 0):
        raise RuleError("must be greater than 0" if positive else "must not be negative", field)


def _check_section(section: Section, path: str) -> None:
    _check_code(section.code, f"{path}.code")
    _check_text(section.name, f"{path}.name")
    if section.heading is not None:
        _check_text(section.heading, f"{path}.heading")
    if section.kind not in SECTION_KINDS:
        raise RuleError(f"must be one of {', '.join(SECTION_KINDS)}", f"{path}.kind")
    _check_amount(section.points, f"{path}.points", positive=True)
    _check_measure(section, path)
    if section.kind == "goals":
        _check_goals(section, path)
    else:
        _check_items(section, path)


def _check_measure(section: Section, path: str) -> None:
    if section.measure is None:
        return
    if section.kind == "band":
        _check_code(section.measure, f"{path}.measure")
    elif section.kind == "graded":
        if section.measure != RESPONSE_DAYS:
            raise RuleError(f"must be {RESPONSE_DAYS!r} or null", f"{path}.measure")
        if len(section.items) != 3:
            raise RuleError("a section graded on response time needs exactly three bands", f"{path}.items")
    else:
        raise RuleError(f"not used in a {section.kind} section", f"{path}.measure")


def _check_goals(section: Section, path: str) -> None:
    if section.items:
        raise RuleError("a goals section has slots, not items", f"{path}.items")
    if not 1 <= len(section.slots) <= MAX_GOALS:
        raise RuleError(f"must hold 1 to {MAX_GOALS} goal slots", f"{path}.slots")
    for index, weight in enumerate(section.slots):
        _check_amount(weight, f"{path}.slots[{index}]", positive=True)
    slot_sum = sum(section.slots, _ZERO)
    if slot_sum != section.points:
        raise RuleError(
            f"must sum to the section's {_text(section.points)} points, not {_text(slot_sum)}",
            f"{path}.slots",
        )


# item attributes each kind uses; the others must stay unset
_ITEM_ATTRIBUTES: Final[Mapping[str, frozenset[str]]] = {
    "deduction": frozenset({"deduction", "group", "incidents"}),
    "choice": frozenset({"deduction"}),
    "band": frozenset({"deduction", "lower", "upper"}),
    "graded": frozenset({"min", "max"}),
}
_MIN_ITEMS: Final[Mapping[str, int]] = {"deduction": 1, "choice": 2, "band": 1, "graded": 1}


def _check_items(section: Section, path: str) -> None:
    if section.slots:
        raise RuleError("only goals sections have slots", f"{path}.slots")
    if len(section.items) < _MIN_ITEMS[section.kind]:
        raise RuleError(
            f"a {section.kind} section needs at least {_MIN_ITEMS[section.kind]} item(s)", f"{path}.items"
        )
    _check_unique([item.code for item in section.items], f"{path}.items", "code")
    for index, item in enumerate(section.items):
        _check_item(section, item, f"{path}.items[{index}]")
    if section.kind == "band":
        _check_band_cover(section.items, f"{path}.items")
    if section.kind == "deduction":
        _check_groups(section.items, f"{path}.items")


def _check_item(section: Section, item: Item, path: str) -> None:
    _check_code(item.code, f"{path}.code")
    _check_text(item.text, f"{path}.text")
    allowed = _ITEM_ATTRIBUTES[section.kind]
    for name in ("group", "incidents", "lower", "upper", "min", "max"):
        if name not in allowed and getattr(item, name) is not None:
            raise RuleError(f"not used in a {section.kind} section", f"{path}.{name}")
    if "deduction" not in allowed and item.deduction != 0:
        raise RuleError(f"not used in a {section.kind} section", f"{path}.deduction")
    # a behaviour that occurred always costs points; a choice level or band may cost none (−0)
    if "deduction" in allowed:
        _check_amount(item.deduction, f"{path}.deduction", positive=section.kind == "deduction")
    if section.kind == "band":
        _check_band(item, path)
    if section.kind == "graded":
        _check_graded(item, section.points, path)


def _check_band(item: Item, path: str) -> None:
    for name, bound in (("lower", item.lower), ("upper", item.upper)):
        if bound is not None and not (bound.is_finite() and 0 <= bound <= RATE_MAX):
            raise RuleError(f"must be between 0 and {RATE_MAX} or null", f"{path}.{name}")
    if item.lower is not None and item.upper is not None and item.lower >= item.upper:
        raise RuleError(f"must be greater than lower ({_text(item.lower)})", f"{path}.upper")


def _check_band_cover(items: Sequence[Item], path: str) -> None:
    """The bands tile the rates from 0 up without gap or overlap (R-2.2, R-2.4)."""
    order = sorted(range(len(items)), key=lambda j: (items[j].lower is not None, items[j].lower or _ZERO))
    first, last = order[0], order[-1]
    if items[first].lower not in (None, _ZERO):
        raise RuleError(
            f"must be 0 or null: no band holds the rates below {_text(items[first].lower)}",
            f"{path}[{first}].lower",
        )
    for below, above in pairwise(order):
        _check_adjacent(items, below, above, path)
    if items[last].upper is not None:
        raise RuleError(
            f"must be null: no band holds the rates from {_text(items[last].upper)}", f"{path}[{last}].upper"
        )


def _check_adjacent(items: Sequence[Item], below: int, above: int, path: str) -> None:
    upper, lower = items[below].upper, items[above].lower
    if upper is None or lower is None or upper > lower:
        raise RuleError(f"overlaps the band {path}[{below}]", f"{path}[{above}].lower")
    if upper < lower:
        raise RuleError(
            f"leaves a gap: no band holds the rates from {_text(upper)} to {_text(lower)}",
            f"{path}[{below}].upper",
        )


def _check_graded(item: Item, points: Decimal, path: str) -> None:
    low = _graded_bound(item.min, points, f"{path}.min")
    high = _graded_bound(item.max, points, f"{path}.max")
    if low > high:
        raise RuleError(f"must be at least min ({_text(low)})", f"{path}.max")


def _graded_bound(bound: Decimal | None, points: Decimal, field: str) -> Decimal:
    if bound is None:
        raise RuleError("is required", field)
    if not (bound.is_finite() and 0 <= bound <= points):
        raise RuleError(f"must be between 0 and {_text(points)}", field)
    return bound


def _check_groups(items: Sequence[Item], path: str) -> None:
    """Exclusive groups (R-2.3): two or more items; incident counts, if any, tile 1, 2, … without gap."""
    for index, item in enumerate(items):
        if item.group is None and item.incidents is not None:
            raise RuleError(
                "only items of an exclusive group have incident counts", f"{path}[{index}].incidents"
            )
        if item.group is not None:
            _check_code(item.group, f"{path}[{index}].group")
    for group in dict.fromkeys(item.group for item in items if item.group is not None):
        members = [index for index, item in enumerate(items) if item.group == group]
        if len(members) < 2:
            raise RuleError(
                f"exclusive group {group!r} needs at least two items", f"{path}[{members[0]}].group"
            )
        _check_incidents(items, members, path)


def _check_incidents(items: Sequence[Item], members: Sequence[int], path: str) -> None:
    with_counts = [index for index in members if items[index].incidents is not None]
    if not with_counts:
        return  # a plain exclusive group: at most one of its items is given
    if len(with_counts) != len(members):
        missing = next(index for index in members if items[index].incidents is None)
        raise RuleError(
            "is required: the other items of its group have incident counts", f"{path}[{missing}].incidents"
        )
    counted = [(incidents, index) for index in members if (incidents := items[index].incidents) is not None]
    ranges = sorted(counted, key=lambda r: r[0].min)
    expected = 1
    for incidents, index in ranges:
        field = f"{path}[{index}].incidents"
        if incidents.min != expected:
            raise RuleError(f"min must be {expected} so that every incident count selects one item", field)
        if incidents.max is not None and incidents.max < incidents.min:
            raise RuleError("max must be at least min", field)
        if incidents.max is None and index != ranges[-1][1]:
            raise RuleError("only the item for the most incidents may have no max", field)
        expected = (incidents.max or 0) + 1
    if ranges[-1][0].max is not None:
        raise RuleError(
            "max must be null: every count from 1 up must select an item",
            f"{path}[{ranges[-1][1]}].incidents",
        )


# ---------------------------------------------------------------------------------------------
# Scoring a filled-in form


def score_form(
    template: Template,
    entries: Mapping[str, object],
    discipline_points: Decimal | int = 0,
    cap: Decimal | int = FORM_TOTAL,
) -> FormScore:
    """Score ``entries`` (see the module docstring) on ``template``.

    Each section scores within [0, its points] (R-2.1–R-2.3), so the form total lies in [0, 100];
    the final score adds the month's discipline points (R-6.2) and is clamped to [0, cap] (R-3.1).
    """
    for code in entries:
        if template.section(code) is None:
            raise RuleError(f"unknown section of template {template.code!r}", f"entries.{code}")
    points = _number(discipline_points, "discipline_points")
    ceiling = _number(cap, "cap", minimum=_ZERO)
    sections = tuple(_score_section(section, entries) for section in template.sections)
    total = sum((section.score for section in sections), _ZERO)
    final = min(max(total + points, _ZERO), ceiling)
    return FormScore(template.code, template.version, sections, total, final)


_Scored = tuple[Decimal, tuple[str, ...]]


def _score_section(section: Section, entries: Mapping[str, object]) -> SectionScore:
    field = f"entries.{section.code}"
    value = entries.get(section.code)
    if value is None and section.kind in _REQUIRED_KINDS:
        raise RuleError("is required", field)
    score, applied = _SCORERS[section.kind](section, value, field)
    return SectionScore(section.code, section.name, section.points, score, applied)


def _score_deductions(section: Section, value: object, field: str) -> _Scored:
    """R-2.1: points − Σ deductions of the behaviours that occurred, each counted once, floored at 0."""
    if value is None:
        return section.points, ()
    if not isinstance(value, list | tuple):
        raise RuleError("must be a list of item codes", field)
    items = [_item_of(section, code, f"{field}[{index}]") for index, code in enumerate(value)]
    _check_exclusive(items, field)
    occurred = list({item.code: item for item in items}.values())  # 每月每项只扣一次
    deducted = sum((item.deduction for item in occurred), _ZERO)
    return max(_ZERO, section.points - deducted), tuple(item.code for item in occurred)


def _check_exclusive(items: Sequence[Item], field: str) -> None:
    """R-2.3: one item per exclusive group; its incident count decides which."""
    chosen: dict[str, Item] = {}
    for index, item in enumerate(items):
        if item.group is None:
            continue
        other = chosen.setdefault(item.group, item)
        if other.code != item.code:
            raise RuleError(
                f"{item.code!r} and {other.code!r} exclude each other (group {item.group!r}): give one",
                f"{field}[{index}]",
            )


def _score_choice(section: Section, value: object, field: str) -> _Scored:
    """工作态度: exactly one level; points − its deduction."""
    if not isinstance(value, str):
        raise RuleError("must be one item code", field)
    item = _item_of(section, value, field)
    return max(_ZERO, section.points - item.deduction), (item.code,)


def _score_band(section: Section, value: object, field: str) -> _Scored:
    """R-2.2: the rate picks a band; null means not applicable (R-10.2, R-10.3): no deduction."""
    if value is None:
        return section.points, ()
    band = band_for_rate(section, _number(value, field, minimum=_ZERO, maximum=RATE_MAX))
    return max(_ZERO, section.points - band.deduction), (band.code,)


def _score_goals(section: Section, value: object, field: str) -> _Scored:
    """绩效协议: Σ supervisor scores, each within its goal's weight."""
    if not isinstance(value, list | tuple) or not value:
        raise RuleError(f"must be a list of 1 to {MAX_GOALS} goals", field)
    if isinstance(value[0], Mapping):
        scores = _weighted_goal_scores(section, value, field)
    else:
        scores = _slot_scores(section, value, field)
    return sum(scores, _ZERO), ()


def _slot_scores(section: Section, values: Sequence[object], field: str) -> list[Decimal]:
    if len(values) != len(section.slots):
        slots = ", ".join(_text(slot) for slot in section.slots)
        raise RuleError(f"must hold {len(section.slots)} scores, one per default goal ({slots})", field)
    return [
        _number(value, f"{field}[{index}]", minimum=_ZERO, maximum=slot)
        for index, (value, slot) in enumerate(zip(values, section.slots, strict=True))
    ]


def _weighted_goal_scores(section: Section, values: Sequence[object], field: str) -> list[Decimal]:
    if len(values) > MAX_GOALS:
        raise RuleError(f"must hold 1 to {MAX_GOALS} goals", field)
    goals = [_goal(value, f"{field}[{index}]") for index, value in enumerate(values)]
    weights = sum((weight for weight, _ in goals), _ZERO)
    if weights != section.points:
        raise RuleError(f"goal weights must sum to {_text(section.points)}, not {_text(weights)}", field)
    return [score for _, score in goals]


def _goal(value: object, field: str) -> tuple[Decimal, Decimal]:
    data = _fields(value, field, ("weight", "score"), ("weight", "score"))
    weight = _number(data["weight"], f"{field}.weight", minimum=_ZERO)
    if weight == 0:
        raise RuleError("must be greater than 0", f"{field}.weight")
    return weight, _number(data["score"], f"{field}.score", minimum=_ZERO, maximum=weight)


def _score_graded(section: Section, value: object, field: str) -> _Scored:
    """日常工作: the chosen band and a score inside its range."""
    data = _fields(value, field, ("item", "score"), ("item", "score"))
    code = data["item"]
    if not isinstance(code, str):
        raise RuleError("must be an item code", f"{field}.item")
    item = _item_of(section, code, f"{field}.item")
    score = _number(data["score"], f"{field}.score", minimum=item.min, maximum=item.max)
    return score, (item.code,)


_SCORERS: Final[Mapping[str, Callable[[Section, object, str], _Scored]]] = {
    "deduction": _score_deductions,
    "choice": _score_choice,
    "band": _score_band,
    "goals": _score_goals,
    "graded": _score_graded,
}


def _item_of(section: Section, code: object, field: str) -> Item:
    item = section.item(code) if isinstance(code, str) else None
    if item is None:
        raise RuleError(f"unknown item {code!r} of section {section.code!r}", field)
    return item


# ---------------------------------------------------------------------------------------------
# JSON (``aftersales templates show``, the stored definition of a published version)

# JSON keys of an item, by section kind, in output order (CONTRACTS.md)
_ITEM_KEYS: Final[Mapping[str, tuple[str, ...]]] = {
    "deduction": ("code", "text", "deduction", "group", "incidents"),
    "choice": ("code", "text", "deduction"),
    "band": ("code", "text", "lower", "upper", "deduction"),
    "graded": ("code", "text", "min", "max"),
}
_ITEM_REQUIRED: Final[Mapping[str, tuple[str, ...]]] = {
    "deduction": ("code", "text", "deduction"),
    "choice": ("code", "text", "deduction"),
    "band": ("code", "text", "lower", "upper", "deduction"),
    "graded": ("code", "text", "min", "max"),
}


def to_dict(template: Template) -> dict[str, object]:
    """The template as JSON: decimals as strings ("30"), open band ends as null."""
    return {
        "code": template.code,
        "name": template.name,
        "version": template.version,
        "total": _text(template.total),
        "grading": template.grading,
        "sections": [_section_dict(section) for section in template.sections],
    }


def _section_dict(section: Section) -> dict[str, object]:
    data: dict[str, object] = {"code": section.code, "name": section.name, "kind": section.kind}
    data["points"] = _text(section.points)
    if section.heading is not None:
        data["heading"] = section.heading
    if section.measure is not None:
        data["measure"] = section.measure
    if section.kind == "goals":
        data["slots"] = [_text(slot) for slot in section.slots]
    else:
        data["items"] = [_item_dict(item, section.kind) for item in section.items]
    return data


def _item_dict(item: Item, kind: str) -> dict[str, object]:
    data: dict[str, object] = {}
    for key in _ITEM_KEYS[kind]:
        value = getattr(item, key)
        if isinstance(value, IncidentRange):
            data[key] = {"min": value.min, "max": value.max}
        elif key != "incidents":  # incident counts only on the items of a counted group
            data[key] = _text(value) if isinstance(value, Decimal) else value
    return data


def from_dict(data: object) -> Template:
    """Read a template from its JSON (``to_dict``'s shape); the structure is checked here, the
    rules by ``validate_template``. Unknown fields are refused."""
    root = _fields(
        data,
        "",
        ("code", "name", "version", "total", "grading", "sections"),
        ("code", "name", "grading", "sections"),
    )
    version = _integer(root.get("version", 1), "version")
    grading = _choice(root["grading"], "grading", GRADINGS)
    sections = tuple(
        _section(value, f"sections[{index}]")
        for index, value in enumerate(_list(root["sections"], "sections"))
    )
    template = Template(
        _string(root["code"], "code"), _string(root["name"], "name"), version, grading, sections
    )
    if "total" in root and _number(root["total"], "total") != template.total:
        raise RuleError(f"must equal the sum of the section points ({_text(template.total)})", "total")
    return template


def _section(value: object, path: str) -> Section:
    keys = ("code", "name", "kind", "points", "heading", "measure", "items", "slots")
    data = _fields(value, path, keys, ("code", "name", "kind", "points"))
    kind = _choice(data["kind"], f"{path}.kind", SECTION_KINDS)
    content = "slots" if kind == "goals" else "items"
    if content not in data:
        raise RuleError("is required", f"{path}.{content}")
    other = "items" if kind == "goals" else "slots"
    if other in data:
        raise RuleError(f"not used in a {kind} section", f"{path}.{other}")
    return Section(
        code=_string(data["code"], f"{path}.code"),
        name=_string(data["name"], f"{path}.name"),
        kind=kind,
        points=_number(data["points"], f"{path}.points"),
        items=tuple(
            _item(item, kind, f"{path}.items[{i}]")
            for i, item in enumerate(_list(data.get("items", []), f"{path}.items"))
        ),
        slots=tuple(
            _number(slot, f"{path}.slots[{i}]")
            for i, slot in enumerate(_list(data.get("slots", []), f"{path}.slots"))
        ),
        heading=_optional_string(data.get("heading"), f"{path}.heading"),
        measure=_optional_string(data.get("measure"), f"{path}.measure"),
    )


def _item(value: object, kind: str, path: str) -> Item:
    data = _fields(value, path, _ITEM_KEYS[kind], _ITEM_REQUIRED[kind])
    return Item(
        code=_string(data["code"], f"{path}.code"),
        text=_string(data["text"], f"{path}.text"),
        deduction=_number(data.get("deduction", _ZERO), f"{path}.deduction"),
        group=_optional_string(data.get("group"), f"{path}.group"),
        incidents=_incidents(data.get("incidents"), f"{path}.incidents"),
        lower=_optional_number(data.get("lower"), f"{path}.lower"),
        upper=_optional_number(data.get("upper"), f"{path}.upper"),
        min=_optional_number(data.get("min"), f"{path}.min"),
        max=_optional_number(data.get("max"), f"{path}.max"),
    )


def _incidents(value: object, path: str) -> IncidentRange | None:
    if value is None:
        return None
    data = _fields(value, path, ("min", "max"), ("min",))
    most = data.get("max")
    return IncidentRange(
        _integer(data["min"], f"{path}.min"), None if most is None else _integer(most, f"{path}.max")
    )


# ---------------------------------------------------------------------------------------------
# Reading JSON-shaped values


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _fields(
    value: object, path: str, allowed: Iterable[str], required: Iterable[str]
) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise RuleError("must be an object", path)
    allowed = tuple(allowed)
    for key in value:
        if key not in allowed:
            raise RuleError("unknown field", _join(path, str(key)))
    for key in required:
        if key not in value:
            raise RuleError("is required", _join(path, key))
    return cast(Mapping[str, object], value)


def _list(value: object, field: str) -> Sequence[object]:
    if not isinstance(value, list | tuple):
        raise RuleError("must be a list", field)
    return value


def _string(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise RuleError("must be a string", field)
    return value


def _optional_string(value: object, field: str) -> str | None:
    return None if value is None else _string(value, field)


def _choice(value: object, field: str, choices: tuple[_Choice, ...]) -> _Choice:
    if value not in choices:
        raise RuleError(f"must be one of {', '.join(choices)}", field)
    return value


def _integer(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError("must be an integer", field)
    return value


def _number(
    value: object, field: str, *, minimum: Decimal | None = None, maximum: Decimal | None = None
) -> Decimal:
    """A Decimal from a JSON number or decimal string (a float goes through its shortest repr)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str | float):
        raise RuleError("must be a number or a decimal string", field)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise RuleError("must be a number or a decimal string", field) from None
    if not number.is_finite():
        raise RuleError("must be a finite number", field)
    _check_range(number, field, -NUMBER_LIMIT, NUMBER_LIMIT)
    _check_range(number, field, minimum, maximum)
    return number


def _optional_number(value: object, field: str) -> Decimal | None:
    return None if value is None else _number(value, field)


def _check_range(number: Decimal, field: str, minimum: Decimal | None, maximum: Decimal | None) -> None:
    if minimum is not None and maximum is not None and not minimum <= number <= maximum:
        raise RuleError(f"must be between {_text(minimum)} and {_text(maximum)}", field)
    if minimum is not None and number < minimum:
        raise RuleError(f"must be at least {_text(minimum)}", field)
    if maximum is not None and number > maximum:
        raise RuleError(f"must be at most {_text(maximum)}", field)


def _text(value: Decimal | None) -> str:
    """A decimal as written on the form: no exponent, no trailing zeros ("30", "87.5")."""
    if value is None:
        return "null"
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")
