"""The edge between stored appraisals and the rules core (core.forms): the pinned template, scoring
of entries, and the JSON snapshot kept with every transition."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from aftersales.appraisal.models import Appraisal, Goal
from aftersales.core.builtin_forms import work_columns
from aftersales.core.errors import ActionError, RuleError
from aftersales.core.forms import FormScore, Section, Template, score_form
from aftersales.formdefs.selectors import template_get


class ScoreError(ActionError):
    """The entries of a form break a rule of its template."""


def appraisal_template(appraisal: Appraisal) -> Template:
    """The template version the appraisal pinned when its period was opened (SPEC §2)."""
    cached: Template | None = getattr(appraisal, "_template", None)
    if cached is None:
        cached = template_get(code=appraisal.template_code, version=appraisal.template_version)
        if cached is None:
            raise LookupError(f"template {appraisal.template_code} v{appraisal.template_version} is missing")
        appraisal._template = cached  # type: ignore[attr-defined]
    return cached


def goals_section(template: Template) -> Section | None:
    return next((section for section in template.sections if section.kind == "goals"), None)


def template_work_columns(template: Template) -> tuple[str, ...]:
    """The columns of the form's 工作情况 rows (forms 4.1–4.3), none for a form with an agreement."""
    return work_columns(template.code, has_goals=goals_section(template) is not None)


def agreement_goals(appraisal: Appraisal) -> list[Goal]:
    return list(
        Goal.objects.filter(
            agreement__period_id=appraisal.period_id, agreement__employee_id=appraisal.employee_id
        )
    )


def score_entries(
    appraisal: Appraisal, entries: Mapping[str, Any], goals: Sequence[Goal]
) -> tuple[dict[str, Any], FormScore]:
    """Score ``entries`` on the pinned template with the month's discipline points (R-3.1).

    With an agreement, the goals section takes one score per agreed goal (a number, or an object
    with ``score``) and is stored as ``{"weight", "score"}`` pairs with the agreed weights.
    """
    template = appraisal_template(appraisal)
    normalised = dict(entries)
    section = goals_section(template)
    if section is not None and goals and normalised.get(section.code) is not None:
        normalised[section.code] = _goal_entries(normalised[section.code], goals, f"entries.{section.code}")
    try:
        result = score_form(template, normalised, discipline_points=appraisal.discipline_points)
    except RuleError as exc:
        raise ScoreError(exc.message, exc.field) from None
    return normalised, result


def _goal_entries(value: Any, goals: Sequence[Goal], field: str) -> list[dict[str, Any]]:
    if not isinstance(value, list | tuple) or len(value) != len(goals):
        raise ScoreError(f"must hold {len(goals)} scores, one per agreed goal", field)
    pairs = []
    for index, (item, goal) in enumerate(zip(value, goals, strict=True)):
        score = item.get("score") if isinstance(item, Mapping) else item
        if isinstance(item, Mapping) and "weight" in item and Decimal(str(item["weight"])) != goal.weight:
            raise ScoreError(f"must be the agreed weight {goal.weight:g}", f"{field}[{index}].weight")
        pairs.append({"weight": goal.weight, "score": score})
    return pairs


def json_ready(value: Any) -> Any:
    """Decimals as strings ("87.5"), as everywhere in the JSON interfaces (CONTRACTS.md)."""
    if isinstance(value, Decimal):
        return (
            f"{value.normalize():f}"
            if value != value.to_integral_value()
            else str(value.quantize(Decimal(1)))
        )
    if isinstance(value, Mapping):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    return value


_SNAPSHOT_FIELDS = (
    "state",
    "version",
    "template_code",
    "template_version",
    "self_report",
    "entries",
    "section_scores",
    "supervisor_comment",
    "form_total",
    "discipline_points",
    "final_score",
    "grade",
    "confirmed_channel",
    "confirmation_evidence",
)
# the fields of an agreed goal kept in snapshots (and shown by the API)
GOAL_FIELDS = (
    "title",
    "weight",
    "deadline_requirement",
    "quality_requirement",
    "completion",
    "self_description",
    "supervisor_check",
    "supervisor_score",
)


def snapshot_of(appraisal: Appraisal) -> dict[str, Any]:
    """The form as it is now, kept with a transition (R-4.1 history)."""
    data = {name: getattr(appraisal, name) for name in _SNAPSHOT_FIELDS}
    data["goals"] = [
        {name: getattr(goal, name) for name in GOAL_FIELDS} for goal in agreement_goals(appraisal)
    ]
    return json_ready(data)
