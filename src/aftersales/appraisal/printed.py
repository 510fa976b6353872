"""An appraisal as the paper form HR archives (人力资源部留存归档): everything the form's page shows,
turned into the plain values ``printing.render_appraisal_pdf`` takes — header, 工作情况 rows, the
agreement's goals with their texts, self-descriptions, the supervisor's comment, the month's one
result (R-3.1) and who signed each step, when."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.appraisal.models import Appraisal, Goal, State
from aftersales.appraisal.outcome import result_of
from aftersales.appraisal.scoring import agreement_goals, appraisal_template, goals_section
from aftersales.core.forms import to_dict

# the form's signer → the step that signs for him (the latest transition into that state)
SIGNING_STEPS = {
    "考评人(直接主管)": State.SCORED,
    "部门负责人(审核)": State.REVIEWED,
    "人力资源部(归档)": State.ARCHIVED,
}


def printed_form(appraisal: Appraisal) -> dict[str, Any]:
    """The keyword arguments of ``render_appraisal_pdf`` for this appraisal."""
    template = appraisal_template(appraisal)
    month = result_of(appraisal)  # the month's one final score and grade
    entries = dict(appraisal.entries)
    section = goals_section(template)
    if section is not None:
        entries[section.code] = _goal_slots(agreement_goals(appraisal), entries.get(section.code))
    pending = month.pending and month.final_score is not None
    return {
        "template": to_dict(template),
        "header": _header(appraisal),
        "section_scores": appraisal.section_scores or None,
        "entries": entries,
        "total": appraisal.form_total,
        "grade": month.grade or None,
        "final": {
            "discipline_points": month.discipline_points,
            "final_score": month.final_score,
            "note": month.explanation or (_("强制分布等级在月度结算时确定") if pending else ""),
        },
        "self_report": appraisal.self_report if isinstance(appraisal.self_report, dict) else {},
        "comment": appraisal.supervisor_comment,
        "signatures": signatures(appraisal),
    }


def _header(appraisal: Appraisal) -> dict[str, Any]:
    employee = appraisal.employee
    supervisor = employee.supervisor
    return {  # an archived form prints who it was about as of the archive (name, position, supervisor)
        "name": appraisal.printed_name,
        "department": employee.department.name,
        "region": employee.region.name if employee.region else "",
        "month": f"{appraisal.period.year}-{appraisal.period.month:02d}",
        "position": appraisal.printed_position,
        "supervisor": appraisal.printed_supervisor,
        "supervisor_position": supervisor.position.name if supervisor else "",
        "supervisor_department": supervisor.department.name if supervisor else "",
    }


def _goal_slots(goals: list[Goal], scored: Any) -> Any:
    """The agreed goals with their texts and the supervisor's scores; without an agreement the
    entry as it is (the template's default slots)."""
    if not goals:
        return scored
    scores = list(scored) if isinstance(scored, list | tuple) else []
    return [
        {
            "title": goal.title,
            "weight": str(goal.weight),
            "deadline": goal.deadline_requirement,
            "quality": goal.quality_requirement,
            "completion": goal.completion,
            "self_report": goal.self_description,
            "check": goal.supervisor_check,
            "score": _score(scores[index]) if index < len(scores) else goal.supervisor_score,
        }
        for index, goal in enumerate(goals)
    ]


def _score(value: Any) -> Any:
    return value.get("score") if isinstance(value, dict) else value


def signatures(appraisal: Appraisal) -> dict[str, dict[str, Any]]:
    """Who took each signed step of this version and on which day (R-4.1); the employee signs by
    confirming (also when the supervisor recorded an e-mail confirmation, R-4.2)."""
    latest: dict[str, Any] = {}
    step: Any
    for step in appraisal.transitions.select_related("actor__employee").order_by("at", "pk"):
        latest[step.to_state] = step
    signed: dict[str, dict[str, Any]] = {}
    if appraisal.confirmed_at:
        signed["被考核人"] = {"name": appraisal.printed_name, "date": _local_day(appraisal.confirmed_at)}
    for signer, state in SIGNING_STEPS.items():
        step = latest.get(state)
        if step is not None:
            signed[signer] = {"name": _person(step.actor), "date": _local_day(step.at)}
    return signed


def _person(user: Any) -> str:
    if user is None:
        return ""
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else user.get_full_name() or user.get_username()


def _local_day(moment: Any) -> Any:
    return timezone.localdate(moment)
