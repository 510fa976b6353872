"""Who may see which employees (R-1.1): employee ⊂ team ⊂ department ⊂ company.

Lists filter in the queryset, never after. Every page, export and API call goes through these.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404

from aftersales.organisation import roles
from aftersales.organisation.models import Department, Employee

AnyUser = User | AnonymousUser  # request.user


def has_role(user: AnyUser, role: str) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_role_cache", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_cache = cache  # type: ignore[attr-defined]
    return role in cache


def is_company_wide(user: AnyUser) -> bool:
    """HR and admins reach every department."""
    return has_role(user, roles.HR) or has_role(user, roles.ADMIN)


def employee_of(user: AnyUser) -> Employee | None:
    """The employee record of a login, looked up once per user object — i.e. once per request, like
    the roles in ``has_role`` (a request loads its user afresh)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_employee_cache"):
        user._employee_cache = Employee.objects.filter(user=user).first()  # type: ignore[attr-defined]
    return user._employee_cache  # type: ignore[attr-defined]


def headed_department_ids(employee: Employee) -> set[int]:
    """Departments the employee heads, with all their units (looked up once per employee object)."""
    if not hasattr(employee, "_headed_cache"):
        employee._headed_cache = frozenset(_headed_department_ids(employee))  # type: ignore[attr-defined]
    return set(employee._headed_cache)  # type: ignore[attr-defined]


def _headed_department_ids(employee: Employee) -> set[int]:
    return department_subtree_ids(Department.objects.filter(head=employee).values_list("id", flat=True))


def department_subtree_ids(root_ids: Iterable[int]) -> set[int]:
    """The departments ``root_ids`` with all their units, to any depth (one query per level)."""
    frontier = set(root_ids)
    result = set(frontier)
    while frontier:
        frontier = (
            set(Department.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - result
        )
        result |= frontier
    return result


def leads(user: AnyUser, employee: Employee) -> bool:
    """Whether ``user`` is ``employee``'s leader: their direct supervisor or their department's head."""
    me = employee_of(user)
    if me is None or me.pk == employee.pk:
        return False
    return employee.supervisor_id == me.pk or employee.department_id in headed_department_ids(me)


def employees_visible_to(user: AnyUser) -> QuerySet[Employee]:
    """The employees whose records ``user`` may see."""
    queryset = Employee.objects.select_related("department", "region", "position", "supervisor")
    if is_company_wide(user):
        return queryset
    me = employee_of(user)
    if me is None:
        return queryset.none()
    scope = Q(pk=me.pk) | Q(supervisor=me)
    departments = headed_department_ids(me)
    if departments:
        scope |= Q(department_id__in=departments)
    return queryset.filter(scope)


def employees_managed_by(user: AnyUser) -> QuerySet[Employee]:
    """The employees ``user`` appraises as direct supervisor (直接主管)."""
    me = employee_of(user)
    if me is None:
        return Employee.objects.none()
    return Employee.objects.filter(supervisor=me)


def get_employee_for_user(user: AnyUser, pk: int) -> Employee:
    """The employee if ``user`` may see them, else 404 (not 403: do not reveal that it exists)."""
    try:
        return employees_visible_to(user).get(pk=pk)
    except Employee.DoesNotExist:
        raise Http404 from None
