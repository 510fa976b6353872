"""R-1.1 access matrix of the use of results (every page and API URL × every persona).

Cases are seen by HR (all), the department head (the department's), the direct supervisor (the
team's) and the employee (their own); only HR decides and runs the evaluation.
"""

from __future__ import annotations

from typing import Any

from tests.access.cases import EVERYONE, STAFF_OF_DEPARTMENT, Case, World

HR = frozenset({"hr"})
ABOVE_THE_TEAM = frozenset({"head", "hr"})


def _case(world: World, employee: Any) -> dict[str, Any]:
    from aftersales.results.models import CaseKind, ResultCase

    case = ResultCase.objects.create(
        employee=employee, kind=CaseKind.WORK_REPORT, year=2016, facts={"composites": {"2016": "55.00"}}
    )
    return {"pk": case.pk}


def _engineers_case(world: World) -> dict[str, Any]:
    """A case of 赵磊 (the employee persona)."""
    return _case(world, world.employees["employee"])


def _other_team_case(world: World) -> dict[str, Any]:
    """A case of 张伟 (技术支持, reports to 李明): neither 赵磊's nor 陈刚's team."""
    return _case(world, world.employee("support"))


def _decision(world: World) -> dict[str, Any]:
    return {"decision": "keep", "note": "述职通过,维持现职"}


def _month(world: World) -> dict[str, Any]:
    return {"year": 2016, "month": 3}


CASES = [
    Case("results:index", EVERYONE),
    Case(
        "results:index",
        EVERYONE,
        label="filtered",
        query="kind=work_report&status=open&year=2016&employee=赵",
    ),
    Case("results:case-detail", STAFF_OF_DEPARTMENT, kwargs=_engineers_case),
    Case("results:case-detail", ABOVE_THE_TEAM, kwargs=_other_team_case, label="other-team"),
    Case("results:case-decide", HR, kwargs=_engineers_case, method="post", data=_decision),
    Case("results:composites", EVERYONE),
    Case("results:composites", EVERYONE, label="year", query="year=2016"),
    Case("results:key-talent", EVERYONE),
    Case("results:evaluate", HR),
    Case("results:evaluate", HR, method="post", data=_month),
    Case("api-results:case-list", EVERYONE),
    Case("api-results:case-detail", STAFF_OF_DEPARTMENT, kwargs=_engineers_case),
    Case("api-results:case-detail", ABOVE_THE_TEAM, kwargs=_other_team_case, label="other-team"),
    Case("api-results:case-decide", HR, kwargs=_engineers_case, method="post", data=_decision, json=True),
    Case("api-results:composite-list", EVERYONE, query="year=2016"),
    Case("api-results:key-talent", EVERYONE),
    Case("api-results:evaluate", HR, method="post", data=_month, json=True),
]


def _work_report(world: World) -> dict[str, Any]:
    return {"date": "2017-01-20", "text": "年度述职报告", "outcome": "passed", "note": ""}


CASES += [
    Case("results:case-work-report", HR, kwargs=_engineers_case, method="post", data=_work_report),
    Case(
        "api-results:case-work-report",
        HR,
        kwargs=_engineers_case,
        method="post",
        data=_work_report,
        json=True,
    ),
]
