"""Walking an appraisal to a state through the actions, as the people whose step it is."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from aftersales.appraisal import services
from aftersales.appraisal.demo import sample_entries
from aftersales.appraisal.models import Appeal, Appraisal, State
from aftersales.appraisal.scoring import agreement_goals, appraisal_template

PERSONA_USERS = {
    "employee": "engineer",
    "supervisor": "regional",
    "head": "head",
    "hr": "hr",
    "outsider": "outsider",
}

# the states in the order the actions reach them; returned and appealed branch off
PATH = [State.DRAFT, State.SELF_REPORTED, State.SCORED, State.REVIEWED, State.CONFIRMED, State.ARCHIVED]


def entries_for(appraisal: Appraisal, seed: int = 0) -> dict[str, Any]:
    weights = [goal.weight for goal in agreement_goals(appraisal)]
    return sample_entries(appraisal_template(appraisal), weights, seed)


def _parties(appraisal: Appraisal) -> dict[str, Any]:
    users = get_user_model().objects.in_bulk(["head", "hr"], field_name="username")
    return {
        "employee": appraisal.employee.user,
        "supervisor": appraisal.employee.supervisor.user,
        "head": users["head"],
        "hr": users["hr"],
    }


def advance(appraisal: Appraisal, target: str) -> Appraisal:
    """Take ``appraisal`` from draft to ``target`` by the actions of SPEC §4."""
    who = _parties(appraisal)
    steps = {
        State.SELF_REPORTED: lambda: services.appraisal_self_report(
            appraisal=appraisal, actor=who["employee"], summary="按计划完成"
        ),
        State.SCORED: lambda: services.appraisal_score(
            appraisal=appraisal, actor=who["supervisor"], entries=entries_for(appraisal)
        ),
        State.REVIEWED: lambda: services.appraisal_review(appraisal=appraisal, actor=who["head"]),
        State.CONFIRMED: lambda: services.appraisal_confirm(appraisal=appraisal, actor=who["employee"]),
        State.ARCHIVED: lambda: services.appraisal_archive(appraisal=appraisal, actor=who["hr"]),
    }
    if target == State.RETURNED:
        advance(appraisal, State.SCORED)
        return services.appraisal_return(appraisal=appraisal, actor=who["head"], comment="请核实")
    if target == State.APPEALED:
        advance(appraisal, State.REVIEWED)
        file_appeal(appraisal, who["employee"])
        return appraisal
    for state in PATH[PATH.index(appraisal.state) + 1 : PATH.index(target) + 1]:
        steps[state]()
    return appraisal


def file_appeal(appraisal: Appraisal, employee_user: Any) -> Appeal:
    section = appraisal_template(appraisal).sections[0].code
    return services.appeal_file(appraisal=appraisal, actor=employee_user, items=[section], reasons="扣分不实")
