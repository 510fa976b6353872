"""Access matrix of the roster pages and API (R-1.1).

Everyone sees the roster page, filtered to their scope; an employee's page and API record only
within scope (the outsider gets 404); import and export of the whole roster are HR's.
"""

from __future__ import annotations

from tests.access.cases import EVERYONE, STAFF_OF_DEPARTMENT, Case

ONLY_HR = frozenset({"hr"})


def _engineer(world):
    return {"pk": world.employees["employee"].pk}


def _colleague(world):
    """孙涛: another engineer of 陈刚's — not the employee persona's to see."""
    return {"pk": world.employee("engineer2").pk}


CASES = [
    Case("organisation:index", EVERYONE),
    Case("organisation:employee-detail", STAFF_OF_DEPARTMENT, kwargs=_engineer),
    Case(
        "organisation:employee-detail",
        frozenset({"supervisor", "head", "hr"}),
        kwargs=_colleague,
        label="colleague",
    ),
    Case("organisation:import", ONLY_HR),
    Case("organisation:import", ONLY_HR, method="post", data=lambda w: {}, label="empty"),
    Case("organisation:export", ONLY_HR),
    Case("organisation:structure", ONLY_HR),
    Case("organisation:new", ONLY_HR, kwargs=lambda w: {"kind": "department"}),
    Case(
        "organisation:edit",
        ONLY_HR,
        kwargs=lambda w: {"kind": "position", "pk": w.employees["employee"].position_id},
    ),
    Case("organisation:employee-new", ONLY_HR),
    Case("organisation:employee-edit", ONLY_HR, kwargs=_engineer),
    Case(
        "organisation:employee-account",
        ONLY_HR,
        kwargs=lambda w: {"pk": w.employees["employee"].pk, "action": "link"},
        method="post",
        data=lambda w: {},
    ),
    Case(
        "organisation:roles-bulk",
        ONLY_HR,
        method="post",
        data=lambda w: {
            "employees": [w.employees["employee"].pk],
            "action": "add",
            "role": "dispatcher",
            "reason": "x",
        },
    ),
    Case("api-organisation:employee-list", EVERYONE),
    Case("api-organisation:employee-detail", STAFF_OF_DEPARTMENT, kwargs=_engineer),
    Case(
        "api-organisation:employee-detail",
        frozenset({"supervisor", "head", "hr"}),
        kwargs=_colleague,
        label="colleague",
    ),
]
