"""R-1.1 access matrix for rewards and penalties (every page and API URL × every persona)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.access.cases import EVERYONE, STAFF_OF_DEPARTMENT, Case, World

DECIDERS = frozenset({"head", "hr"})  # the employee's department head or HR, not the proposer
PROPOSERS = frozenset({"supervisor", "head", "hr"})
HR = frozenset({"hr"})


def _record(world: World) -> Any:
    """A record of 赵磊 (employee) proposed by his supervisor 陈刚."""
    from aftersales.discipline.services import record_propose

    return record_propose(
        employee=world.employees["employee"],
        kind="merit",
        effective_date=date(2023, 3, 1),
        reason_text="用户来函表扬",
        actor=world.users["supervisor"],
    )


def _record_kwargs(world: World) -> dict[str, Any]:
    return {"pk": _record(world).pk}


def _engineer(world: World) -> dict[str, Any]:
    return {"pk": world.employees["employee"].pk}


def _reason(world: World) -> dict[str, Any]:
    from aftersales.discipline.models import RewardReason

    return {"pk": RewardReason.objects.get(article=11).pk}


def _case(world: World) -> dict[str, Any]:
    from aftersales.discipline.models import DismissalCase

    return {
        "pk": DismissalCase.objects.create(
            employee=world.employees["employee"], year=2023, major_demerits=3
        ).pk
    }


def _proposal(world: World) -> dict[str, Any]:
    return {
        "employee": world.employees["employee"].pk,
        "kind": "commendation",
        "reason_text": "故障处理及时",
        "effective_date": "2023-03-01",
    }


def _reason_data(world: World) -> dict[str, Any]:
    return {
        "article": 16,
        "clause": 0,
        "text": "维修工作奖励(补充)",
        "suggested_kind": "merit",
        "active": "on",
    }


CASES = [
    Case("discipline:index", EVERYONE),
    Case("discipline:index", EVERYONE, label="filtered", query="status=proposed&year=2023&employee=赵"),
    Case("discipline:propose", PROPOSERS),
    Case("discipline:propose", PROPOSERS, method="post", data=_proposal),
    Case("discipline:record-detail", STAFF_OF_DEPARTMENT, kwargs=_record_kwargs),
    Case("discipline:record-approve", DECIDERS, kwargs=_record_kwargs, method="post"),
    Case(
        "discipline:record-reject",
        DECIDERS,
        kwargs=_record_kwargs,
        method="post",
        data=lambda w: {"note": "不属实"},
    ),
    Case("discipline:standing", STAFF_OF_DEPARTMENT, kwargs=_engineer),
    Case("discipline:standing", STAFF_OF_DEPARTMENT, kwargs=_engineer, label="year", query="year=2023"),
    Case("discipline:reasons", EVERYONE),
    Case("discipline:reason-create", HR),
    Case("discipline:reason-create", HR, method="post", data=_reason_data),
    Case("discipline:reason-edit", HR, kwargs=_reason),
    Case("discipline:reason-edit", HR, kwargs=_reason, method="post", data=_reason_data),
    Case("discipline:cases", HR),
    Case("discipline:case-decide", HR, kwargs=_case, method="post", data=lambda w: {"decision": "留用察看"}),
    Case("api-discipline:record-list", EVERYONE),
    Case("api-discipline:record-list", PROPOSERS, method="post", data=_proposal, json=True),
    Case("api-discipline:record-detail", STAFF_OF_DEPARTMENT, kwargs=_record_kwargs),
    Case("api-discipline:record-approve", DECIDERS, kwargs=_record_kwargs, method="post", json=True),
    Case("api-discipline:record-reject", DECIDERS, kwargs=_record_kwargs, method="post", json=True),
    Case("api-discipline:standing", STAFF_OF_DEPARTMENT, kwargs=_engineer, query="year=2023"),
    Case("api-discipline:reason-list", EVERYONE),
    # API twins of the page acts (tests/api/test_twins.py)
    Case("api-discipline:reason-create", HR, method="post", data=_reason_data, json=True),
    Case("api-discipline:reason-edit", HR, kwargs=_reason, method="post", data=_reason_data, json=True),
    Case(
        "api-discipline:case-decide",
        HR,
        kwargs=_case,
        method="post",
        data=lambda w: {"decision": "留用察看"},
        json=True,
    ),
]
