"""Access cases of the appraisal pages and API (R-1.1, R-4.1); see tests/access/cases.py.

The objects are the employee 赵磊's: his form of January 2025, walked to the state each step starts
from. Viewing is for the employee, his supervisor, the head and HR; each step for its role only;
the outsider of another department reaches nothing (404).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.access.cases import EVERYONE, STAFF_OF_DEPARTMENT, Case, World

HR = frozenset({"hr"})
EMPLOYEE = frozenset({"employee"})
SUPERVISOR = frozenset({"supervisor"})
HEAD = frozenset({"head"})
PARTIES = frozenset({"employee", "supervisor"})


def _form(world: World, state: str = "draft") -> Any:
    from aftersales.appraisal import services
    from aftersales.appraisal.models import Appraisal, Period
    from aftersales.organisation.models import Department
    from tests.appraisal.helpers import advance

    department = Department.objects.get(code="as")
    if not Period.objects.filter(department=department, year=2025, month=1).exists():
        services.period_open(actor=world.users["hr"], department=department, year=2025, month=1)
    appraisal = Appraisal.objects.get(
        period__year=2025, period__month=1, employee=world.employees["employee"]
    )
    return advance(appraisal, state)


def _pk(state: str = "draft") -> Any:
    return lambda world: {"pk": _form(world, state).pk}


def _appeal(world: World) -> dict[str, int]:
    return {"pk": _form(world, "appealed").appeals.get().pk}


def _agreement(world: World) -> dict[str, int]:
    """An agreement of 赵磊, whose form is switched to 4.5 (goals block of 70) for the purpose."""
    from aftersales.appraisal.models import Agreement, Goal

    appraisal = _form(world)
    appraisal.template_code = "tech_support"
    appraisal.save()
    agreement = Agreement.objects.create(period=appraisal.period, employee=appraisal.employee)
    Goal.objects.create(agreement=agreement, order=0, title="目标", weight=Decimal(70))
    return {"pk": agreement.pk}


def _open_data(world: World) -> dict[str, Any]:
    from aftersales.organisation.models import Department

    department = Department.objects.get(code="as")
    return {
        "department": department.pk,
        "year": 2025,
        "month": 5,
        "agreement_day": 10,
        "review_day": 10,
        "archive_day": 20,
    }


def _data(**values: Any) -> Any:
    return lambda world: values


PAGE_CASES = [
    Case("appraisal:index", EVERYONE),
    Case("appraisal:index", EVERYONE, label="filtered", query="state=draft&overdue=1"),
    Case("appraisal:period-list", EVERYONE),
    Case("appraisal:period-open", HR),
    Case("appraisal:period-open", HR, method="post", data=_open_data),
    Case("appraisal:detail", STAFF_OF_DEPARTMENT, kwargs=_pk()),
    Case("appraisal:detail", STAFF_OF_DEPARTMENT, kwargs=_pk("reviewed"), label="reviewed"),
    Case("appraisal:history", STAFF_OF_DEPARTMENT, kwargs=_pk("scored")),
    Case("appraisal:pdf", STAFF_OF_DEPARTMENT, kwargs=_pk("scored")),
    Case("appraisal:preview", STAFF_OF_DEPARTMENT, kwargs=_pk("self_reported"), method="post", data=_data()),
    Case("appraisal:self-report", EMPLOYEE, kwargs=_pk(), method="post", data=_data(summary="完成")),
    Case("appraisal:score", SUPERVISOR, kwargs=_pk("self_reported"), method="post", data=_data(comment="好")),
    Case("appraisal:review", HEAD, kwargs=_pk("scored"), method="post", data=_data()),
    Case("appraisal:return", HEAD, kwargs=_pk("scored"), method="post", data=_data(comment="请核实")),
    Case("appraisal:confirm", EMPLOYEE, kwargs=_pk("reviewed"), method="post", data=_data()),
    Case(
        "appraisal:confirm-email",
        SUPERVISOR,
        kwargs=_pk("reviewed"),
        method="post",
        data=_data(message="同意"),
    ),
    Case(
        "appraisal:appeal",
        EMPLOYEE,
        kwargs=_pk("reviewed"),
        method="post",
        data=_data(items=["work_arrangement"], reasons="不实"),
    ),
    Case("appraisal:archive", HR, kwargs=_pk("confirmed"), method="post", data=_data()),
    Case(
        "appraisal:appeal-decide",
        HR,
        kwargs=_appeal,
        method="post",
        data=_data(decision="rejected", minutes="维持"),
    ),
    Case("appraisal:agreement", STAFF_OF_DEPARTMENT, kwargs=_agreement),
    Case("appraisal:agreement-sign", PARTIES, kwargs=_agreement, method="post", data=_data()),
    Case(
        "appraisal:agreement-save",
        PARTIES,
        kwargs=_agreement,
        method="post",
        data=_data(title=["目标"], weight=["70"]),
    ),
    Case("appraisal:notifications-read", EVERYONE, method="post", data=_data()),
]


def _period(world: World) -> dict[str, int]:
    return {"pk": _form(world).period_id}


API = "api-appraisal:"
API_CASES = [
    Case(API + "appraisal-list", EVERYONE),
    Case(API + "appraisal-list", EVERYONE, label="filtered", query="state=draft&versions=all"),
    Case(API + "appraisal-detail", STAFF_OF_DEPARTMENT, kwargs=_pk()),
    Case(
        API + "appraisal-self-report",
        EMPLOYEE,
        kwargs=_pk(),
        method="post",
        json=True,
        data=_data(summary="完成"),
    ),
    Case(
        API + "appraisal-score",
        SUPERVISOR,
        kwargs=_pk("self_reported"),
        method="post",
        json=True,
        data=_data(entries={}),
    ),
    Case(API + "appraisal-review", HEAD, kwargs=_pk("scored"), method="post", json=True, data=_data()),
    Case(
        API + "appraisal-return",
        HEAD,
        kwargs=_pk("scored"),
        method="post",
        json=True,
        data=_data(comment="请核实"),
    ),
    Case(API + "appraisal-confirm", EMPLOYEE, kwargs=_pk("reviewed"), method="post", json=True, data=_data()),
    Case(
        API + "appraisal-confirm-email",
        SUPERVISOR,
        kwargs=_pk("reviewed"),
        method="post",
        json=True,
        data=_data(message="同意"),
    ),
    Case(
        API + "appraisal-appeal",
        EMPLOYEE,
        kwargs=_pk("reviewed"),
        method="post",
        json=True,
        data=_data(items=["work_arrangement"], reasons="不实"),
    ),
    Case(API + "appraisal-archive", HR, kwargs=_pk("confirmed"), method="post", json=True, data=_data()),
    Case(API + "appeal-list", EVERYONE),
    Case(API + "appeal-detail", STAFF_OF_DEPARTMENT, kwargs=_appeal),
    Case(
        API + "appeal-decide",
        HR,
        kwargs=_appeal,
        method="post",
        json=True,
        data=_data(upheld=False, minutes="维持"),
    ),
    Case(API + "period-list", EVERYONE),
    Case(API + "period-list", HR, method="post", json=True, data=_open_data, label="open"),
    Case(API + "period-detail", STAFF_OF_DEPARTMENT, kwargs=_period),
    Case(API + "agreement-list", EVERYONE),
    Case(API + "agreement-detail", STAFF_OF_DEPARTMENT, kwargs=_agreement),
    Case(API + "agreement-sign", PARTIES, kwargs=_agreement, method="post", json=True, data=_data()),
    Case(
        API + "agreement-save",
        PARTIES,
        kwargs=_agreement,
        method="post",
        json=True,
        data=_data(goals=[{"title": "目标", "weight": "70"}]),
    ),
    # API twin of the page act (tests/api/test_twins.py)
    Case("api-appraisal:notifications-read", EVERYONE, method="post", json=True),
]

CASES = PAGE_CASES + API_CASES
