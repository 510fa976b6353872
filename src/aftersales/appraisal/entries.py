"""The appraisal form on a page: posted fields → entries (the JSON of ``calc score``), and the
template's sections → rows to lay out like the source form (checklists, choices, bands, goals,
graded criteria).

Field names: a deduction section posts the codes of the behaviours that occurred under its code,
an exclusive group (R-2.3) one code under ``<section>-group-<group>``; a choice section one code;
a band section the rate; a graded section ``<section>-item`` and ``<section>-score``; the goals
section one ``<section>-score`` and one ``goal-check`` per goal, in order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import QueryDict

from aftersales.appraisal.models import Goal
from aftersales.appraisal.scoring import json_ready
from aftersales.core.forms import FormScore, Item, Section, Template

SELF_DESCRIBED_HEADING = "敬业精神"  # form 4.4: these sections carry the employee's self-description


def entries_from_post(template: Template, data: QueryDict) -> tuple[dict[str, Any], list[str]]:
    """The entries and the supervisor's goal checks posted by the form."""
    entries: dict[str, Any] = {}
    for section in template.sections:
        value = _PARSERS[section.kind](section, data)
        if value is not None:
            entries[section.code] = value
    return entries, [text.strip() for text in data.getlist("goal-check")]


def _deductions(section: Section, data: QueryDict) -> list[str]:
    codes = list(data.getlist(section.code))
    for group in dict.fromkeys(item.group for item in section.items if item.group):
        chosen = data.get(f"{section.code}-group-{group}")
        if chosen:
            codes.append(chosen)
    return codes


def _choice(section: Section, data: QueryDict) -> str | None:
    return data.get(section.code) or None


def _band(section: Section, data: QueryDict) -> str | None:
    return (data.get(section.code) or "").strip() or None


def _goals(section: Section, data: QueryDict) -> list[str] | None:
    scores = [score.strip() for score in data.getlist(f"{section.code}-score")]
    return scores if scores and all(scores) else None


def _graded(section: Section, data: QueryDict) -> dict[str, str] | None:
    item = section.item(data.get(f"{section.code}-item") or "")
    if item is None:
        return None
    score = (data.get(f"{section.code}-score") or "").strip()
    if not score and item.min == item.max:
        score = str(item.max)  # a band with one score needs no typing (t ≤ 1 day: 10)
    return {"item": item.code, "score": score}


_PARSERS = {
    "deduction": _deductions,
    "choice": _choice,
    "band": _band,
    "goals": _goals,
    "graded": _graded,
}


# ---------------------------------------------------------------------------------------------
# Rows to render


@dataclass
class Row:
    """One line of a section: an item (checkbox, radio, band or graded level) or an exclusive group."""

    item: Item | None = None
    group: str = ""
    members: list[Item] = field(default_factory=list)
    chosen: bool = False
    chosen_code: str = ""


@dataclass
class SectionView:
    section: Section
    rows: list[Row]
    value: str = ""  # band: the rate; graded: the score
    score: str = ""
    self_description: str = ""
    goals: list[dict[str, Any]] = field(default_factory=list)

    @property
    def self_described(self) -> bool:
        return self.section.heading == SELF_DESCRIBED_HEADING


def section_views(
    template: Template,
    entries: Mapping[str, Any],
    scores: Mapping[str, str],
    goals: Sequence[Goal],
    self_report: Mapping[str, Any],
) -> list[SectionView]:
    described = self_report.get("sections", {}) if isinstance(self_report, Mapping) else {}
    return [
        _section_view(section, entries.get(section.code), scores.get(section.code, ""), goals, described)
        for section in template.sections
    ]


def _section_view(
    section: Section, value: Any, score: str, goals: Sequence[Goal], described: Mapping[str, str]
) -> SectionView:
    view = SectionView(
        section, _rows(section, value), score=score, self_description=described.get(section.code, "")
    )
    if section.kind == "band" and value is not None:
        view.value = str(value)
    if section.kind == "graded" and isinstance(value, Mapping):
        view.value = str(value.get("score", ""))
    if section.kind == "goals":
        view.goals = _goal_rows(section, value, goals)
    return view


def _chosen_codes(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, Mapping):
        return {str(value.get("item", ""))}
    if isinstance(value, list | tuple):
        return {code for code in value if isinstance(code, str)}
    return set()


def _rows(section: Section, value: Any) -> list[Row]:
    chosen = _chosen_codes(value)
    if section.kind == "band" and value not in (None, ""):
        chosen = _band_code(section, value)
    rows: list[Row] = []
    groups: dict[str, Row] = {}
    for item in section.items:
        if item.group is None:
            rows.append(Row(item=item, chosen=item.code in chosen))
            continue
        if item.group not in groups:
            groups[item.group] = Row(group=item.group)
            rows.append(groups[item.group])
        group = groups[item.group]
        group.members.append(item)
        if item.code in chosen:
            group.chosen_code = item.code
    return rows


def _band_code(section: Section, value: Any) -> set[str]:
    try:
        rate = Decimal(str(value))
    except ArithmeticError:
        return set()
    return {item.code for item in section.items if rate.is_finite() and item.covers(rate)}


def _goal_rows(section: Section, value: Any, goals: Sequence[Goal]) -> list[dict[str, Any]]:
    """The agreed goals, or the form's default slots (目标一, 目标二 …) without an agreement."""
    scores = [_goal_score(item) for item in value] if isinstance(value, list | tuple) else []
    if goals:
        rows = [{"goal": goal, "weight": goal.weight, "check": goal.supervisor_check} for goal in goals]
    else:
        rows = [{"goal": None, "weight": weight, "check": ""} for weight in section.slots]
    for index, row in enumerate(rows):
        row["index"] = index + 1
        row["score"] = scores[index] if index < len(scores) else ""
    return rows


def _goal_score(item: Any) -> str:
    return str(item.get("score", "")) if isinstance(item, Mapping) else str(item)


def section_scores(result: FormScore | None, stored: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Section code → score, from a fresh result (preview) or the stored scores."""
    if result is not None:
        return {s.code: json_ready(s.score) for s in result.sections}
    return {str(s["code"]): str(s["score"]) for s in stored}
