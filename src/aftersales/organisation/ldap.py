"""Enterprise sign-in (企业登录): the company directory (LDAP / Active Directory) checks the password.

django-auth-ldap finds or creates the Django user of the directory login name; this backend then ties
that user to its employee record and refuses a deactivated login. Roles are never read from the
directory: they stay the app's groups (``roles.py``), so someone the directory knows but the app does
not may sign in and reaches nothing. Switched on by ``AFTERSALES_LDAP_URI`` (settings, docs/operations.md).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_auth_ldap.backend import LDAPBackend

from aftersales.organisation.models import AccountEvent, Employee


class EmployeeLDAPBackend(LDAPBackend):
    def get_or_build_user(self, username: str, ldap_user: Any) -> tuple[Any, bool]:
        user, built = super().get_or_build_user(username, ldap_user)
        ldap_user.built_here = built  # the login is new: its first sign-in through the directory
        return user, built

    def authenticate_ldap_user(self, ldap_user: Any, password: str) -> Any:
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None or not user.is_active:  # 离职停用: the directory may still know the password
            return None
        if getattr(ldap_user, "built_here", False):
            AccountEvent.objects.create(
                user=user, actor=None, action=AccountEvent.Action.CREATED, detail=_("企业目录首次登录")
            )
        employee = employee_link_by_email(user=user)
        if employee is not None:
            AccountEvent.objects.create(
                user=user,
                actor=None,
                action=AccountEvent.Action.LINKED,
                detail=_("按电子邮箱关联员工 %(number)s %(name)s")
                % {"number": employee.number, "name": employee.name},
            )
        return user


def employee_link_by_email(*, user: Any) -> Employee | None:
    """Attach ``user`` to the one employee without a login who has the directory's e-mail address.

    A user who already has an employee keeps it; no match, or several (a shared mailbox), links nothing —
    HR links such a login by hand."""
    if not user.email or Employee.objects.filter(user=user).exists():
        return None
    with transaction.atomic():
        matches = list(
            Employee.objects.select_for_update().filter(user__isnull=True, email__iexact=user.email)[:2]
        )
        if len(matches) != 1:
            return None
        matches[0].user = user
        matches[0].save(update_fields=["user"])
    return matches[0]
