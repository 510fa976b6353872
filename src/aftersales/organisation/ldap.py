"""Enterprise sign-in (企业登录): the company directory (LDAP / Active Directory) checks the password.

django-auth-ldap finds or creates the Django user of the directory login name; this backend then ties
that user to its employee record and refuses a deactivated login. Roles are never read from the
directory: they stay the app's groups (``roles.py``), so someone the directory knows but the app does
not may sign in and reaches nothing. Switched on by ``AFTERSALES_LDAP_URI`` (settings, docs/operations.md).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_auth_ldap.backend import LDAPBackend

from aftersales.organisation.models import Employee


class EmployeeLDAPBackend(LDAPBackend):
    def authenticate_ldap_user(self, ldap_user: Any, password: str) -> Any:
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None or not user.is_active:  # 离职停用: the directory may still know the password
            return None
        employee_link_by_email(user=user)
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
