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
    Case("api-organisation:employee-list", EVERYONE),
    Case("api-organisation:employee-detail", STAFF_OF_DEPARTMENT, kwargs=_engineer),
    Case(
        "api-organisation:employee-detail",
        frozenset({"supervisor", "head", "hr"}),
        kwargs=_colleague,
        label="colleague",
    ),
]
