"""Who is asking: the one ``Viewer`` of a request, which every area's permission predicates read (R-1.1).

A request loads its login afresh, so the login object is the request's: ``viewer_for(user)`` builds the
viewer on first use and keeps it on the login (the only attribute the project caches on a user), and
every later question of the request — a page, its navigation, its services — gets the same viewer.
``viewer_for`` takes a viewer too, so predicates accept either the login or its viewer.

The viewer is immutable; its facts are read from the database the first time a predicate asks for
them (a page pays only for what it asks, once): the employee record, the roles, the departments the
employee heads (with all their units), the employees in scope (employee ⊂ team ⊂ department ⊂
company). ``memo`` keeps other per-request reads that predicates share (the department tree, …).

This is a bottom module: it imports only the organisation's models and role names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q

from aftersales.organisation import roles
from aftersales.organisation.models import Department, Employee

AnyUser = User | AnonymousUser  # request.user
T = TypeVar("T")

_ATTRIBUTE = "_viewer"


@dataclass(frozen=True, eq=False)
class Viewer:
    """The login behind a request and what it may reach; build it with ``viewer_for``."""

    user: Any  # the login (a user, or AnonymousUser)
    user_id: int | None
    is_authenticated: bool
    is_superuser: bool
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    # -- roles -------------------------------------------------------------------------------

    @cached_property
    def roles(self) -> frozenset[str]:
        """The role names the login holds (its groups); a superuser holds every role."""
        if not self.is_authenticated:
            return frozenset()
        if self.is_superuser:
            return frozenset(roles.ALL_ROLES)
        return frozenset(self.user.groups.values_list("name", flat=True))

    def has_role(self, role: str) -> bool:
        if not self.is_authenticated:
            return False
        return self.is_superuser or role in self.roles

    @property
    def company_wide(self) -> bool:
        """HR and admins reach every department."""
        return self.has_role(roles.HR) or self.has_role(roles.ADMIN)

    # -- the person --------------------------------------------------------------------------

    @cached_property
    def employee(self) -> Employee | None:
        """The login's employee record (None for a login without one, e.g. a bare admin)."""
        if not self.is_authenticated:
            return None
        return Employee.objects.filter(user=self.user).first()

    @cached_property
    def headed(self) -> frozenset[int]:
        """The departments the employee heads, with all their units (to any depth)."""
        me = self.employee
        if me is None:
            return frozenset()
        return frozenset(headed_department_ids(me))

    @cached_property
    def has_reports(self) -> bool:
        """Whether anyone reports to the employee directly (they are someone's 直接主管)."""
        me = self.employee
        return me is not None and me.reports.exists()

    def is_me(self, employee: Employee) -> bool:
        return self.employee is not None and employee.pk == self.employee.pk

    # -- scope (R-1.1) -------------------------------------------------------------------------

    @cached_property
    def scope(self) -> Q | None:
        """The employees whose records the login may see, as a filter on Employee: themself, their
        direct reports and the departments they head; ``None`` for company-wide (everyone)."""
        if self.company_wide:
            return None
        me = self.employee
        if me is None:
            return Q(pk__in=[])
        scope = Q(pk=me.pk) | Q(supervisor=me)
        if self.headed:
            scope |= Q(department_id__in=self.headed)
        return scope

    # -- other reads of this request ---------------------------------------------------------

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per request under ``key`` (per-request reads predicates share)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


def viewer_for(who: AnyUser | Viewer) -> Viewer:
    """The viewer of a login (built once per login object, i.e. once per request), or ``who`` itself."""
    if isinstance(who, Viewer):
        return who
    cached = getattr(who, _ATTRIBUTE, None)
    if isinstance(cached, Viewer):
        return cached
    authenticated = bool(who.is_authenticated)
    viewer = Viewer(
        user=who,
        user_id=who.pk if authenticated else None,
        is_authenticated=authenticated,
        is_superuser=authenticated and bool(getattr(who, "is_superuser", False)),
    )
    if authenticated:
        setattr(who, _ATTRIBUTE, viewer)
    return viewer


def forget_viewer(user: Any) -> None:
    """Drop the viewer kept on ``user`` (after its roles or its employee record change)."""
    if user is not None and isinstance(getattr(user, _ATTRIBUTE, None), Viewer):
        delattr(user, _ATTRIBUTE)


def headed_department_ids(employee: Employee) -> set[int]:
    """Departments ``employee`` heads, with all their units (read afresh; a login's own are
    ``viewer_for(user).headed``, read once per request)."""
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
