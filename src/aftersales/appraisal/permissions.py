"""Who may take which step of an appraisal (R-4.1: only the role named at each step).

The roles of a step are relations to the appraised employee, not just group membership:
the employee themself, their direct supervisor (直接主管), the head of their department (部长), or
HR (company-wide). ``STEPS`` is the one table both the actions (services.py) and the pages (which
buttons to show) read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aftersales.appraisal.models import Appraisal, State
from aftersales.organisation import roles
from aftersales.organisation.access import AnyUser, employee_of, has_role, headed_department_ids
from aftersales.organisation.models import Employee

EMPLOYEE = "employee"
SUPERVISOR = "supervisor"
HEAD = "head"
HR = "hr"


@dataclass(frozen=True)
class Step:
    role: str
    states: frozenset[str]


# action name → the role that takes it and the states it starts from (SPEC §4)
STEPS: dict[str, Step] = {
    "self_report": Step(EMPLOYEE, frozenset({State.DRAFT})),
    "score": Step(SUPERVISOR, frozenset({State.SELF_REPORTED, State.SCORED, State.RETURNED})),
    "review": Step(HEAD, frozenset({State.SCORED})),
    "return": Step(HEAD, frozenset({State.SCORED})),
    "confirm": Step(EMPLOYEE, frozenset({State.REVIEWED})),
    "confirm_by_email": Step(SUPERVISOR, frozenset({State.REVIEWED})),
    "appeal": Step(EMPLOYEE, frozenset({State.REVIEWED})),
    "decide_appeal": Step(HR, frozenset({State.APPEALED})),
    "archive": Step(HR, frozenset({State.CONFIRMED})),
}


def acting_employee(user: AnyUser) -> Employee | None:
    """The user's employee record, looked up once per request (users act many times per page)."""
    if not hasattr(user, "_appraisal_employee"):
        user._appraisal_employee = employee_of(user)  # type: ignore[union-attr]
    return user._appraisal_employee  # type: ignore[union-attr, no-any-return]


def headed_departments(user: AnyUser) -> set[int]:
    if not hasattr(user, "_appraisal_headed"):
        me = acting_employee(user)
        user._appraisal_headed = headed_department_ids(me) if me else set()  # type: ignore[union-attr]
    return user._appraisal_headed  # type: ignore[union-attr, no-any-return]


def is_employee_of(user: AnyUser, employee: Employee) -> bool:
    me = acting_employee(user)
    return me is not None and me.pk == employee.pk


def is_supervisor_of(user: AnyUser, employee: Employee) -> bool:
    me = acting_employee(user)
    return me is not None and employee.supervisor_id == me.pk


def is_head_of(user: AnyUser, employee: Employee) -> bool:
    return employee.department_id in headed_departments(user)


def is_hr(user: AnyUser) -> bool:
    return has_role(user, roles.HR)


_ROLE_CHECKS: dict[str, Callable[[AnyUser, Employee], bool]] = {
    EMPLOYEE: is_employee_of,
    SUPERVISOR: is_supervisor_of,
    HEAD: is_head_of,
    HR: lambda user, _employee: is_hr(user),
}


def holds_role(user: AnyUser, role: str, employee: Employee) -> bool:
    return _ROLE_CHECKS[role](user, employee)


def may_take(user: AnyUser, appraisal: Appraisal, action: str) -> bool:
    """Whether ``user`` may take ``action`` on ``appraisal`` now (right role, right state, current)."""
    step = STEPS[action]
    return (
        appraisal.is_current
        and appraisal.state in step.states
        and holds_role(user, step.role, appraisal.employee)
    )


def available_actions(user: AnyUser, appraisal: Appraisal) -> set[str]:
    return {action for action in STEPS if may_take(user, appraisal, action)}
