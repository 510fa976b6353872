"""Who sees and who acts on service records (R-1.1 applied to §8).

A record is about employees (the engineers of a work order, the employee complained against …): it is
visible to whoever may see one of those employees (``organisation.access.employees_visible_to``:
the employee, their supervisor, the department head, HR), and to the dispatchers of its department.
Acting needs more: dispatching is for dispatchers and heads, a report is written by the engineers
sent, approved by their supervisor or the head — never by one of the engineers sent, whose work it
reports (separation of duties, R-4.1).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from aftersales.organisation import roles
from aftersales.organisation.access import (
    Who,
    employees_visible_to,
    is_company_wide,
    viewer_for,
)
from aftersales.organisation.models import Employee
from aftersales.organisation.viewer import Viewer
from aftersales.service.models import Assignment, ServiceReport, WorkOrder


@dataclass(frozen=True)
class Reach:
    """What a user reaches in the service area, computed once per request (a few queries)."""

    company_wide: bool
    me: Employee | None
    home_department_id: int | None  # the department (root) the user belongs to
    managed_department_ids: frozenset[int]  # departments run by the user: headed, or dispatched for

    @property
    def runs_a_department(self) -> bool:
        return bool(self.managed_department_ids)


def reach(user: Who) -> Reach:
    """The user's reach, worked out from the request's viewer once per request."""
    viewer = viewer_for(user)
    return viewer.memo("service.reach", lambda: _reach(viewer))


def _reach(viewer: Viewer) -> Reach:
    me = viewer.employee
    home = me.department.root.pk if me is not None else None
    managed = set(viewer.headed)
    if home is not None and viewer.has_role(roles.DISPATCHER):
        managed.add(home)
    return Reach(viewer.company_wide, me, home, frozenset(managed))


def employee_scope(user: Who, field: str = "employee") -> Q:
    """Records about an employee the user may see, or of a department the user runs."""
    r = reach(user)
    return Q(**{f"{field}__in": employees_visible_to(user).values("pk")}) | Q(
        department_id__in=r.managed_department_ids
    )


def orders_visible_to(user: Who) -> QuerySet[WorkOrder]:
    """Engineers see the orders they are sent on, supervisors their engineers', heads/HR/dispatchers all
    of their department's; an outsider nothing."""
    queryset = WorkOrder.objects.all()
    if is_company_wide(user):
        return queryset
    if reach(user).me is None:
        return queryset.none()
    sent = Assignment.objects.filter(engineer__in=employees_visible_to(user).values("pk")).values("order")
    return queryset.filter(Q(pk__in=sent) | Q(department_id__in=reach(user).managed_department_ids))


def runs_department(user: Who, department_id: int) -> bool:
    """Dispatchers and heads run their department's service: receive, dispatch, cancel, record."""
    return department_id in reach(user).managed_department_ids


def is_assigned(user: Who, order: WorkOrder) -> bool:
    me = reach(user).me
    return me is not None and any(a.engineer_id == me.pk for a in order.assignments.all())


def can_record_milestone(user: Who, order: WorkOrder) -> bool:
    return is_assigned(user, order) or runs_department(user, order.department_id)


def leads(user: Who, employee: Employee, department_id: int) -> bool:
    """The employee's direct supervisor, or the head of the department (the "leader" who approves)."""
    r = reach(user)
    if r.me is None or r.me.pk == employee.pk:
        return False
    return employee.supervisor_id == r.me.pk or department_id in viewer_for(user).headed


def employees_led_by(user: Who) -> QuerySet[Employee]:
    """The employees whose leader the user is (their supervisor, or head of their department)."""
    me = reach(user).me
    if me is None:
        return Employee.objects.none()
    headed = viewer_for(user).headed
    return Employee.objects.filter(Q(supervisor=me) | Q(department_id__in=headed)).exclude(pk=me.pk)


def leads_anyone(user: Who) -> bool:
    """Whether the user leads anyone (``employees_led_by``), asked once per request."""
    return viewer_for(user).memo("service.leads_anyone", lambda: employees_led_by(user).exists())


def is_own_report(user: Who, report: ServiceReport) -> bool:
    """Whether the report is about the user's own work: they are its engineer (who wrote it) or were
    sent on its order (any engineer sent may fill it in). Nobody approves such a report (R-4.1)."""
    me = reach(user).me
    return me is not None and (report.engineer_id == me.pk or is_assigned(user, report.order))


def can_approve(user: Who, report: ServiceReport) -> bool:
    """The leader of the report's engineer — not an engineer of the report (R-4.1)."""
    return not is_own_report(user, report) and leads(user, report.engineer, report.order.department_id)


def can_revise(user: Who, report: ServiceReport) -> bool:
    return is_assigned(user, report.order) or can_approve(user, report)


def in_department(user: Who, department_id: int) -> bool:
    r = reach(user)
    return r.company_wide or r.home_department_id == department_id
