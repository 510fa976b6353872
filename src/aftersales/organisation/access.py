"""Who may see which employees (R-1.1): employee ⊂ team ⊂ department ⊂ company.

Lists filter in the queryset, never after. Every page, export and API call goes through these.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from aftersales.organisation.models import Employee
from aftersales.organisation.viewer import (
    AnyUser,
    Viewer,
    department_subtree_ids,
    headed_department_ids,
    viewer_for,
)

# A predicate takes the login or its viewer (``viewer_for`` turns either into the viewer).
Who = AnyUser | Viewer

__all__ = [
    "AnyUser",
    "Viewer",
    "Who",
    "department_subtree_ids",
    "employee_of",
    "employees_managed_by",
    "employees_visible_to",
    "get_employee_for_user",
    "has_role",
    "headed_department_ids",
    "headed_departments",
    "is_company_wide",
    "leads",
    "viewer_for",
]


def has_role(user: Who, role: str) -> bool:
    return viewer_for(user).has_role(role)


def is_company_wide(user: Who) -> bool:
    """HR and admins reach every department."""
    return viewer_for(user).company_wide


def employee_of(user: Who) -> Employee | None:
    """The employee record of a login (the viewer's, read once per request)."""
    return viewer_for(user).employee


def headed_departments(user: Who) -> frozenset[int]:
    """Departments (with all their units) the login's employee heads, read once per request."""
    return viewer_for(user).headed


def leads(user: Who, employee: Employee) -> bool:
    """Whether ``user`` is ``employee``'s leader: their direct supervisor or their department's head."""
    viewer = viewer_for(user)
    me = viewer.employee
    if me is None or me.pk == employee.pk:
        return False
    return employee.supervisor_id == me.pk or employee.department_id in viewer.headed


def employees_visible_to(user: Who) -> QuerySet[Employee]:
    """The employees whose records ``user`` may see."""
    queryset = Employee.objects.select_related("department", "region", "position", "supervisor")
    viewer = viewer_for(user)
    if viewer.scope is None:
        return queryset
    if viewer.employee is None:
        return queryset.none()
    return queryset.filter(viewer.scope)


def employees_managed_by(user: Who) -> QuerySet[Employee]:
    """The employees ``user`` appraises as direct supervisor (直接主管)."""
    me = employee_of(user)
    if me is None:
        return Employee.objects.none()
    return Employee.objects.filter(supervisor=me)


def get_employee_for_user(user: Who, pk: int) -> Employee:
    """The employee if ``user`` may see them, else 404 (not 403: do not reveal that it exists)."""
    try:
        return employees_visible_to(user).get(pk=pk)
    except Employee.DoesNotExist:
        raise Http404 from None
