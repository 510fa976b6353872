"""Who may take which step of an appraisal (R-4.1: only the role named at each step).

The roles of a step are relations to the appraised employee, not just group membership:
the employee themself, their direct supervisor (直接主管), the head of their department (部长), or
HR (company-wide). ``STEPS`` is the one table both the actions (services.py) and the pages (which
buttons to show) read.

Separation of duties (R-4.1): nobody takes a step on their own form other than the self-report and
the confirmation or appeal. A step whose only holder is the appraised person passes on
(``stand_in``): to another holder of the role (another HR user, another head above the department);
where there is none, to the appraised person's direct supervisor; when that supervisor scored the
form, to the head of the supervisor's department or a user with the ``admin`` role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from aftersales.appraisal.models import Appraisal, State
from aftersales.organisation import roles
from aftersales.organisation.access import Who, has_role, viewer_for
from aftersales.organisation.models import Department, Employee

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


# the step each state waits for (the one the page says who must take)
PENDING_ACTION: dict[str, str] = {
    State.DRAFT: "self_report",
    State.SELF_REPORTED: "score",
    State.RETURNED: "score",
    State.SCORED: "review",
    State.REVIEWED: "confirm",
    State.APPEALED: "decide_appeal",
    State.CONFIRMED: "archive",
}


def acting_employee(user: Who) -> Employee | None:
    """The user's employee record (the request's viewer's)."""
    return viewer_for(user).employee


def headed_departments(user: Who) -> frozenset[int]:
    return viewer_for(user).headed


def is_employee_of(user: Who, employee: Employee) -> bool:
    me = acting_employee(user)
    return me is not None and me.pk == employee.pk


def is_supervisor_of(user: Who, employee: Employee) -> bool:
    me = acting_employee(user)
    return me is not None and employee.supervisor_id == me.pk


def is_head_of(user: Who, employee: Employee) -> bool:
    return employee.department_id in headed_departments(user)


def is_hr(user: Who) -> bool:
    return has_role(user, roles.HR)


_ROLE_CHECKS: dict[str, Callable[[Who, Employee], bool]] = {
    EMPLOYEE: is_employee_of,
    SUPERVISOR: is_supervisor_of,
    HEAD: is_head_of,
    HR: lambda user, _employee: is_hr(user),
}


def holds_role(user: Who, role: str, employee: Employee) -> bool:
    return _ROLE_CHECKS[role](user, employee)


# ---------------------------------------------------------------------------------------------
# Separation of duties

# the steps a person takes on their own form; every other step on it passes on
OWN_STEPS = frozenset({"self_report", "confirm", "appeal"})


def _department_tree(user: Who) -> dict[int, tuple[int | None, int | None]]:
    """Department id → (parent id, head's employee id), read once per request."""

    def read() -> dict[int, tuple[int | None, int | None]]:
        rows = Department.objects.values_list("pk", "parent_id", "head_id")
        return {pk: (parent, head) for pk, parent, head in rows}

    return viewer_for(user).memo("organisation.department_tree", read)


def heads_above(user: Who, department_id: int) -> set[int]:
    """Employee ids of the heads of a department and of every department above it."""
    node: int | None
    tree, heads, node = _department_tree(user), set(), department_id
    seen: set[int] = set()
    while node is not None and node not in seen:
        seen.add(node)
        parent, head = tree.get(node, (None, None))
        if head is not None:
            heads.add(head)
        node = parent
    return heads


def hr_user_ids(user: Who) -> set[int]:
    """Active logins holding the HR role (superusers hold every role), read once per request."""

    def read() -> set[int]:
        rows = get_user_model().objects.filter(
            Q(groups__name=roles.HR) | Q(is_superuser=True), is_active=True
        )
        return set(rows.values_list("pk", flat=True))

    return viewer_for(user).memo("appraisal.hr_user_ids", read)


def _other_holders(user: Who, role: str, employee: Employee) -> bool:
    """Whether someone other than the appraised person holds ``role`` for their form."""
    if role == HEAD:
        return bool(heads_above(user, employee.department_id) - {employee.pk})
    if role == HR:
        return bool(hr_user_ids(user) - {employee.user_id})
    return True  # the employee's own supervisor is never the employee


def passes_on(user: Who, appraisal: Appraisal, action: str) -> bool:
    """Whether the step's only holder is the appraised person, so it passes on (R-4.1)."""
    if action in OWN_STEPS:
        return False
    return not _other_holders(user, STEPS[action].role, appraisal.employee)


def scorer_id(appraisal: Appraisal) -> int | None:
    """The login that scored this version of the form (its latest step to ``scored``)."""
    if not hasattr(appraisal, "_scorer_id"):
        step = appraisal.transitions.filter(to_state=State.SCORED).order_by("-at", "-pk").first()
        appraisal._scorer_id = step.actor_id if step else None  # type: ignore[attr-defined]
    return appraisal._scorer_id  # type: ignore[attr-defined]


def stand_in_reason(user: Who, appraisal: Appraisal, action: str) -> str:
    """Why ``user`` takes a step that passed on (R-4.1), or "" when ``user`` may not take it.

    The direct supervisor stands in unless they scored the form; then the head of the supervisor's
    department, or a user with the ``admin`` role."""
    if not passes_on(user, appraisal, action) or is_employee_of(user, appraisal.employee):
        return ""
    employee = appraisal.employee
    scorer = scorer_id(appraisal)
    supervisor = employee.supervisor
    supervisor_scored = (
        supervisor is not None and supervisor.user_id is not None and supervisor.user_id == scorer
    )
    if supervisor is not None and not supervisor_scored:
        return (
            _("被考核人本人是该步骤唯一的办理人，由其直接主管代办。")
            if is_supervisor_of(user, employee)
            else ""
        )
    if viewer_for(user).user_id == scorer:
        return ""
    if has_role(user, roles.ADMIN):
        return _("被考核人本人是该步骤唯一的办理人，评分人不能再审，由系统管理员代办。")
    if supervisor is not None and supervisor.department_id in headed_departments(user):
        return _("被考核人本人是该步骤唯一的办理人，评分人不能再审，由评分人所在部门负责人代办。")
    return ""


def may_act(user: Who, appraisal: Appraisal, action: str) -> bool:
    """The role check of a step with separation of duties (R-4.1): the appraised person takes only
    their own steps; another step is taken by a holder of its role other than them, or — when
    they are its only holder — by the stand-in."""
    step = STEPS[action]
    employee = appraisal.employee
    if step.role == EMPLOYEE:
        return is_employee_of(user, employee)
    if is_employee_of(user, employee):
        return False
    if holds_role(user, step.role, employee):
        return True
    return step.role in (HEAD, HR) and bool(stand_in_reason(user, appraisal, action))


def may_take(user: Who, appraisal: Appraisal, action: str) -> bool:
    """Whether ``user`` may take ``action`` on ``appraisal`` now (right role, right state, current)."""
    step = STEPS[action]
    return appraisal.is_current and appraisal.state in step.states and may_act(user, appraisal, action)


def available_actions(user: Who, appraisal: Appraisal) -> set[str]:
    return {action for action in STEPS if may_take(user, appraisal, action)}


def stand_ins(appraisal: Appraisal) -> list[Any]:
    """The logins a step passes on to when the appraised person is its only holder (R-4.1): the
    direct supervisor unless they scored the form; else the head of the supervisor's department and
    the users with the ``admin`` role — never the appraised person or the scorer."""
    employee, supervisor = appraisal.employee, appraisal.employee.supervisor
    scorer = scorer_id(appraisal)
    if supervisor is not None and supervisor.user_id is not None and supervisor.user_id != scorer:
        return [supervisor.user]
    users = get_user_model().objects.filter(
        Q(groups__name=roles.ADMIN) | Q(is_superuser=True), is_active=True
    )
    if supervisor is not None:
        heads = heads_above_department(supervisor.department)
        users = users | get_user_model().objects.filter(employee__pk__in=heads, is_active=True)
    excluded = {employee.user_id, scorer}
    return [user for user in users.distinct().order_by("pk") if user.pk not in excluded]


def heads_above_department(department: Department) -> set[int]:
    """Employee ids of the heads of a department and of those above it."""
    node: Department | None
    heads, node = set(), department
    while node is not None:
        if node.head_id is not None:
            heads.add(node.head_id)
        node = node.parent
    return heads
