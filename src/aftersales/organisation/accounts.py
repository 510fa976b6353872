"""Logins and roles in the app (R-1.1): a login is made from an employee, roles come from the fixed
list of ``roles.py``, leaving an employee blocks the login and keeps every record.

Roles are stored as Django groups named by the fixed codes; nothing else decides access, so a group
of any other name (人力资源 typed by hand in the admin) grants nothing and is not shown. Every change
is written to ``AccountEvent`` with who, when and why.

Rules of this module (docs/rules.md "Logins and roles"):
- HR and system administrators manage logins and roles; nobody changes their own roles.
- Only a system administrator grants or takes away the 系统管理员 role.
- A login gets either a one-time set-password link (Django's password-reset token: it expires after
  ``PASSWORD_RESET_TIMEOUT`` and is spent once the password is set) or an initial password that must
  be changed at the first sign-in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from aftersales.core.errors import ActionError
from aftersales.organisation import roles
from aftersales.organisation.access import employee_of, has_role
from aftersales.organisation.models import Account, AccountEvent, Employee
from aftersales.organisation.viewer import forget_viewer

USERNAME_MAX = 150


class AccountError(ActionError, ValueError):
    """A refused account action; ``field`` names the input it concerns."""


def may_manage_accounts(user: Any) -> bool:
    return bool(user.is_authenticated) and (has_role(user, roles.HR) or has_role(user, roles.ADMIN))


def _check_manager(actor: Any) -> None:
    if not may_manage_accounts(actor):
        raise PermissionDenied


def role_codes(user: Any) -> list[str]:
    """The fixed roles ``user`` holds, in the order of ``roles.ALL_ROLES``."""
    if user is None:
        return []
    names = set(user.groups.values_list("name", flat=True))
    return [code for code in roles.ALL_ROLES if code in names]


def role_labels(codes: Iterable[str]) -> list[str]:
    return [str(roles.ROLE_LABELS[code]) for code in codes if code in roles.ROLE_LABELS]


def ensure_role_groups() -> dict[str, Group]:
    return {code: Group.objects.get_or_create(name=code)[0] for code in roles.ALL_ROLES}


def _clean_roles(codes: Iterable[str]) -> set[str]:
    wanted = {code.strip() for code in codes if code and code.strip()}
    unknown = sorted(wanted - set(roles.ALL_ROLES))
    if unknown:
        raise AccountError(_("未知的角色：%(roles)s") % {"roles": "、".join(unknown)}, "roles")
    return wanted


def check_role_change(*, actor: Any, user: Any, before: set[str], after: set[str]) -> None:
    """Raise if ``actor`` may not change ``user``'s roles from ``before`` to ``after``."""
    if before == after:
        return
    if actor is not None and user is not None and actor.pk == user.pk:
        raise AccountError(_("不能变更自己的角色（职责分离）"), "roles")
    if roles.ADMIN in (before ^ after) and actor is not None and not has_role(actor, roles.ADMIN):
        raise AccountError(_("只有系统管理员可以授予或取消系统管理员角色"), "roles")


def roles_set(*, user: Any, codes: Iterable[str], actor: Any, reason: str = "") -> bool:
    """Give ``user`` exactly the fixed roles ``codes`` (other groups are left alone); True if changed."""
    if actor is not None:
        _check_manager(actor)
    after = _clean_roles(codes)
    with transaction.atomic():
        before = set(role_codes(user))
        check_role_change(actor=actor, user=user, before=before, after=after)
        if before == after:
            return False
        groups = ensure_role_groups()
        user.groups.remove(*[groups[code] for code in before - after])
        user.groups.add(*[groups[code] for code in after - before])
        forget_viewer(user)
        added = role_labels(sorted(after - before, key=roles.ALL_ROLES.index))
        removed = role_labels(sorted(before - after, key=roles.ALL_ROLES.index))
        detail = "; ".join(
            part
            for part in (
                _("增加：%(roles)s") % {"roles": "、".join(added)} if added else "",
                _("取消：%(roles)s") % {"roles": "、".join(removed)} if removed else "",
            )
            if part
        )
        AccountEvent.objects.create(
            user=user, actor=actor, action=AccountEvent.Action.ROLES, detail=detail[:300], reason=reason
        )
    return True


@dataclass(frozen=True)
class BulkRow:
    employee: Employee
    ok: bool
    message: str


def roles_bulk(
    *,
    employees: Iterable[Employee],
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    actor: Any,
    reason: str,
) -> list[BulkRow]:
    """Add and/or remove roles for many employees; each row stands alone (done, or refused with why)."""
    _check_manager(actor)
    to_add, to_remove = _clean_roles(add), _clean_roles(remove)
    rows = []
    for employee in employees:
        if employee.user is None:
            rows.append(BulkRow(employee, False, _("没有登录账号")))
            continue
        current = set(role_codes(employee.user))
        try:
            changed = roles_set(
                user=employee.user, codes=(current | to_add) - to_remove, actor=actor, reason=reason
            )
        except AccountError as refused:
            rows.append(BulkRow(employee, False, str(refused)))
        else:
            rows.append(BulkRow(employee, True, _("已变更") if changed else _("无变化")))
    return rows


def _clean_username(username: str) -> str:
    username = (username or "").strip()
    if not username:
        raise AccountError(_("请填写登录名"), "username")
    user_model = get_user_model()
    try:
        user_model._meta.get_field("username").run_validators(username)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages), "username") from None
    if len(username) > USERNAME_MAX:
        raise AccountError(_("登录名过长"), "username")
    if user_model.objects.filter(username__iexact=username).exists():
        raise AccountError(_("登录名 %(name)s 已被使用") % {"name": username}, "username")
    return username


@dataclass(frozen=True)
class NewLogin:
    user: Any
    set_password_path: str  # "" when an initial password was given


def set_password_path(user: Any) -> str:
    """The one-time link to set a password (Django's reset token: expires, spent when used)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("web:password-set", kwargs={"uidb64": uid, "token": token})


def login_create(
    *,
    employee: Employee,
    username: str,
    email: str = "",
    password: str = "",
    codes: Iterable[str] = (roles.EMPLOYEE,),
    actor: Any,
    reason: str = "",
) -> NewLogin:
    """Make ``employee``'s login: with ``password`` an initial one to be changed at the first sign-in,
    without it a one-time set-password link (returned as a path)."""
    if actor is not None:
        _check_manager(actor)
    if employee.user_id is not None:
        raise AccountError(_("%(name)s 已有登录账号") % {"name": employee.name}, "username")
    if employee.active_to is not None and employee.active_to < timezone.localdate():
        raise AccountError(_("员工已离职，不能创建登录账号"), "username")
    username = _clean_username(username)
    email = (email or employee.email or "").strip()
    user_model = get_user_model()
    if password:
        probe = user_model(username=username, email=email, first_name=employee.name)
        try:
            validate_password(password, probe)
        except ValidationError as error:
            raise AccountError(" ".join(error.messages), "password") from None
    with transaction.atomic():
        user = user_model(username=username, email=email, first_name=employee.name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        Account.objects.create(user=user, must_change_password=bool(password))
        employee.user = user
        if email and not employee.email:
            employee.email = email
        employee._change_reason = reason or _("创建登录账号")  # type: ignore[attr-defined]
        employee.save()
        AccountEvent.objects.create(
            user=user,
            actor=actor,
            action=AccountEvent.Action.CREATED,
            detail=_("登录名 %(name)s") % {"name": username},
            reason=reason,
        )
        AccountEvent.objects.create(
            user=user,
            actor=actor,
            action=AccountEvent.Action.PASSWORD_SET if password else AccountEvent.Action.PASSWORD_LINK,
        )
        roles_set(user=user, codes=codes, actor=None, reason=reason)
    return NewLogin(user=user, set_password_path="" if password else set_password_path(user))


def password_link_issue(*, employee: Employee, actor: Any) -> str:
    """A new one-time set-password link for an existing login (the old password stops working)."""
    _check_manager(actor)
    user = employee.user
    if user is None:
        raise AccountError(_("%(name)s 没有登录账号") % {"name": employee.name}, "username")
    if actor.pk == user.pk:
        raise AccountError(_("请在“修改密码”中修改自己的密码"), "username")
    with transaction.atomic():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        AccountEvent.objects.create(user=user, actor=actor, action=AccountEvent.Action.PASSWORD_LINK)
    return set_password_path(user)


def employee_deactivate(*, employee: Employee, on: date, actor: Any, reason: str) -> Employee:
    """The employee leaves on ``on``: the login is blocked at once, every record stays.
    ``actor`` None is the system (the command line), allowed like in ``login_create``."""
    if actor is not None:
        _check_manager(actor)
    if not (reason or "").strip():
        raise AccountError(_("请填写原因"), "reason")
    me = employee_of(actor) if actor is not None else None
    if me is not None and me.pk == employee.pk:
        raise AccountError(_("不能停用自己的账号（职责分离）"), "on")
    if on < employee.active_from:
        raise AccountError(_("离职日期不能早于入职日期"), "on")
    with transaction.atomic():
        employee.active_to = on
        employee._change_reason = reason  # type: ignore[attr-defined]
        employee.save()
        if employee.user is not None and employee.user.is_active:
            employee.user.is_active = False
            employee.user.save(update_fields=["is_active"])
            AccountEvent.objects.create(
                user=employee.user, actor=actor, action=AccountEvent.Action.DEACTIVATED, reason=reason
            )
    return employee


def employee_reactivate(*, employee: Employee, actor: Any, reason: str) -> Employee:
    """Undo a departure (rehired, or recorded by mistake): the login works again (``actor`` None:
    the system)."""
    if actor is not None:
        _check_manager(actor)
    if not (reason or "").strip():
        raise AccountError(_("请填写原因"), "reason")
    with transaction.atomic():
        employee.active_to = None
        employee._change_reason = reason  # type: ignore[attr-defined]
        employee.save()
        if employee.user is not None and not employee.user.is_active:
            employee.user.is_active = True
            employee.user.save(update_fields=["is_active"])
            AccountEvent.objects.create(
                user=employee.user, actor=actor, action=AccountEvent.Action.REACTIVATED, reason=reason
            )
    return employee


MUST_CHANGE_KEY = "_must_change_password"


def password_changed(user: Any, request: Any = None) -> None:
    """The user has set their own password: the initial-password flag is cleared."""
    Account.objects.filter(user=user, must_change_password=True).update(must_change_password=False)
    if request is not None:
        request.session.pop(MUST_CHANGE_KEY, None)


def remember_must_change(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """At sign-in (``user_logged_in``) the flag is read once and kept in the session, so pages pay
    no query for it."""
    if request is not None and hasattr(request, "session"):
        if Account.objects.filter(user=user, must_change_password=True).exists():
            request.session[MUST_CHANGE_KEY] = True
        else:
            request.session.pop(MUST_CHANGE_KEY, None)


def must_change_password(request: Any) -> bool:
    return bool(request.user.is_authenticated and request.session.get(MUST_CHANGE_KEY))
