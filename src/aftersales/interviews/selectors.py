"""Reads of interviews and training requests, scoped by R-1.1, and HR's interview audit (R-4.4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404

from aftersales.core.interview_rules import Block
from aftersales.interviews.models import Interview, TrainingRequest
from aftersales.organisation.access import (
    AnyUser,
    employee_of,
    headed_departments,
    is_company_wide,
)
from aftersales.organisation.models import Employee


def _employee_scope(user: AnyUser, prefix: str) -> Q:
    """Q over the ``<prefix>`` employees ``user`` may see: self, direct reports, departments headed."""
    me = employee_of(user)
    if me is None:
        return Q(pk__in=[])
    scope = Q(**{prefix: me}) | Q(**{f"{prefix}__supervisor": me})
    departments = headed_departments(user)
    if departments:
        scope |= Q(**{f"{prefix}__department_id__in": departments})
    return scope


def interviews_visible_to(user: AnyUser) -> QuerySet[Interview]:
    """Interviews of the employees the user may see, plus those the user held as supervisor."""
    queryset = Interview.objects.select_related(
        "employee", "supervisor", "position", "department", "training_request"
    )
    if is_company_wide(user):
        return queryset
    me = employee_of(user)
    return queryset.filter(_employee_scope(user, "employee") | Q(supervisor=me)) if me else queryset.none()


def may_record_interview(me: Employee | None, employee: Employee) -> bool:
    """Only the employee's direct supervisor (直接主管) records their interviews (R-4.4)."""
    return me is not None and employee.supervisor_id == me.pk


def may_correct_interview(me: Employee | None, interview: Interview) -> bool:
    """Only the supervisor who held the interview corrects it."""
    return me is not None and interview.supervisor_id == me.pk


def get_interview_for_user(user: AnyUser, pk: int) -> Interview:
    """The interview with its items if the user may see it, else 404."""
    try:
        return interviews_visible_to(user).prefetch_related("items").get(pk=pk)
    except Interview.DoesNotExist:
        raise Http404 from None


def training_requests_visible_to(user: AnyUser) -> QuerySet[TrainingRequest]:
    """HR sees every request; others those of the employees they may see (their own, their team's)."""
    queryset = TrainingRequest.objects.select_related("employee", "employee__department", "interview")
    if is_company_wide(user):
        return queryset
    return queryset.filter(_employee_scope(user, "employee"))


def get_training_request_for_user(user: AnyUser, pk: int) -> TrainingRequest:
    try:
        return training_requests_visible_to(user).get(pk=pk)
    except TrainingRequest.DoesNotExist:
        raise Http404 from None


# ---------------------------------------------------------------------------------------------
# who is missing an interview


def _interviewed_between(first: date, until: date) -> Exists:
    return Exists(Interview.objects.filter(employee=OuterRef("pk"), held_on__gte=first, held_on__lte=until))


def employees_missing_interview(block: Block, *, as_of: date | None = None) -> QuerySet[Employee]:
    """Employees with a direct supervisor, employed during the block, and no interview covering it.

    Covered means an interview dated in the block or after it up to ``as_of`` (``block_covered`` in
    ``core.interview_rules``; here the same rule as one query).
    """
    until = max(as_of or block.last_day, block.last_day)
    return (
        Employee.objects.filter(supervisor__isnull=False, active_from__lte=block.last_day)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=block.first_day))
        .exclude(_interviewed_between(block.first_day, until))
        .select_related("supervisor", "department", "position")
        .order_by("supervisor__number", "number")
    )


@dataclass
class SupervisorGaps:
    """One supervisor and the employees they have not interviewed in the block."""

    supervisor: Employee
    employees: list[Employee] = field(default_factory=list)


def interview_audit(year: int, block: int, *, as_of: date | None = None) -> list[SupervisorGaps]:
    """HR's audit (R-4.4): the missing interviews of the block, grouped per supervisor. One query."""
    groups: dict[int, SupervisorGaps] = {}
    for employee in employees_missing_interview(Block(year, block), as_of=as_of):
        supervisor = employee.supervisor
        assert supervisor is not None  # filtered in the query
        groups.setdefault(supervisor.pk, SupervisorGaps(supervisor)).employees.append(employee)
    return list(groups.values())


def reports_with_last_interview(supervisor: Employee, today: date) -> QuerySet[Employee]:
    """The supervisor's current direct reports, each annotated with ``last_interview`` (date or None)."""
    return (
        Employee.objects.filter(supervisor=supervisor)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=today))
        .select_related("department", "position")
        .annotate(last_interview=Max("interviews__held_on"))
        .order_by("number")
    )
