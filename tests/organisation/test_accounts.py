"""Logins and roles in the app (R-1.1, issue 10 item 3): fixed roles with Chinese names, a login made
from an employee, an initial password changed at the first sign-in, a one-time link, leaving blocks the
login and keeps every record; every change audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from aftersales.organisation import accounts, roles
from aftersales.organisation.models import Account, AccountEvent, Department, Employee, Position

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(personas):
    return get_user_model().objects.get(username="hr")


@pytest.fixture
def newcomer(personas):
    return Employee.objects.create(
        number="N900",
        name="新员工",
        department=Department.objects.get(code="as-field"),
        position=Position.objects.get(code="field_engineer"),
        category="field_service",
        standard_salary=Decimal("5500"),
        active_from=date(2025, 1, 1),
        email="n900@example.com",
    )


def _sign_in(client, username, password) -> bool:
    """Through the login page, as a person does (axes needs the request)."""
    response = client.post(reverse("web:login"), {"username": username, "password": password})
    return response.status_code == 302


def _login_page(client, hr, newcomer, **data):
    client.force_login(hr)
    body = {"username": "n900", "email": "", "method": "link", "password": "", "roles": ["employee"], **data}
    return client.post(reverse("organisation:employee-account", args=[newcomer.pk, "login"]), body)


def test_r_1_1_hr_creates_a_login_with_a_one_time_link_that_sets_the_password_once(client, hr, newcomer):
    response = _login_page(client, hr, newcomer)
    assert response.status_code == 200
    newcomer.refresh_from_db()
    user = newcomer.user
    assert user.username == "n900" and not user.has_usable_password()
    assert user.email == "n900@example.com"  # taken from the employee
    link = response.context["set_password_link"]
    assert "/password/set/" in link
    assert AccountEvent.objects.filter(user=user, actor=hr, action="created").exists()

    client.logout()
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert form.context["validlink"]
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else path
    done = client.post(set_url, {"new_password1": "Ganzhou#2026x", "new_password2": "Ganzhou#2026x"})
    assert done.status_code == 302
    assert _sign_in(client, "n900", "Ganzhou#2026x")
    client.logout()
    again = client.get(path, follow=True)  # spent once used
    assert not again.context["validlink"]
    assert "链接无效" in again.content.decode()


def test_r_1_1_an_initial_password_must_be_changed_at_the_first_sign_in(client, hr, newcomer):
    _login_page(client, hr, newcomer, method="password", password="Chushi#2026a")
    newcomer.refresh_from_db()
    assert Account.objects.get(user=newcomer.user).must_change_password
    client.logout()
    assert _sign_in(client, "n900", "Chushi#2026a")
    home = client.get(reverse("web:home"))
    assert home.status_code == 302 and home["Location"] == reverse("web:password-change")
    api = client.get("/api/me/")
    assert api.status_code == 403
    # the menu's htmx fragment is refused, not answered with the password page (htmx would swap it
    # in, and its menu would ask again, endlessly)
    fragment = client.get(reverse("todo:count"), headers={"HX-Request": "true"})
    assert fragment.status_code == 403
    page = client.get(reverse("web:password-change"))
    assert "初始密码" in page.content.decode()
    changed = client.post(
        reverse("web:password-change"),
        {"old_password": "Chushi#2026a", "new_password1": "Ziji#2026bb", "new_password2": "Ziji#2026bb"},
    )
    assert changed.status_code == 302
    assert not Account.objects.get(user=newcomer.user).must_change_password
    assert client.get(reverse("web:home")).status_code == 200


def test_a_weak_initial_password_is_refused_naming_the_field_and_nothing_is_made(client, hr, newcomer):
    response = _login_page(client, hr, newcomer, method="password", password="123")
    assert response.status_code == 400
    assert response.context["login_form"].errors["password"]
    newcomer.refresh_from_db()
    assert newcomer.user is None
    assert not get_user_model().objects.filter(username="n900").exists()


def test_a_login_name_in_use_is_refused_naming_the_field(client, hr, newcomer):
    response = _login_page(client, hr, newcomer, username="ENGINEER")
    assert response.status_code == 400
    assert "已被使用" in response.context["login_form"].errors["username"][0]


def test_r_1_1_roles_are_a_fixed_list_and_a_free_form_group_grants_nothing(client, hr, personas):
    engineer = get_user_model().objects.get(username="engineer")
    engineer.groups.add(Group.objects.create(name="人力资源"))
    client.force_login(engineer)
    assert client.get(reverse("organisation:import")).status_code == 403
    assert client.get(reverse("payroll:settings")).status_code == 403
    home = client.get(reverse("web:home")).content.decode()
    assert "人力资源" not in home.split("</nav>", 1)[1]  # not shown as a role
    with pytest.raises(accounts.AccountError) as refused:
        accounts.roles_set(user=engineer, codes=["人力资源"], actor=hr)
    assert refused.value.field == "roles"


def test_r_4_1_nobody_changes_their_own_roles_and_only_an_admin_grants_admin(hr, personas):
    with pytest.raises(accounts.AccountError, match="自己"):
        accounts.roles_set(user=hr, codes=["hr", "head"], actor=hr)
    engineer = get_user_model().objects.get(username="engineer")
    with pytest.raises(accounts.AccountError, match="系统管理员"):
        accounts.roles_set(user=engineer, codes=["employee", "admin"], actor=hr)
    admin = get_user_model().objects.get(username="admin")
    assert accounts.roles_set(user=engineer, codes=["employee", "admin"], actor=admin, reason="值班")
    assert accounts.role_codes(engineer) == ["employee", "admin"]
    event = AccountEvent.objects.filter(user=engineer, action="roles").first()
    assert event.actor == admin and "系统管理员" in event.detail and event.reason == "值班"


def test_roles_are_changed_on_the_employee_page_with_a_reason(client, hr, personas):
    engineer = Employee.objects.get(user__username="engineer")
    client.force_login(hr)
    url = reverse("organisation:employee-account", args=[engineer.pk, "roles"])
    missing = client.post(url, {"roles": ["employee", "dispatcher"], "reason": ""})
    assert missing.status_code == 400 and missing.context["roles_form"].errors["reason"]
    assert accounts.role_codes(engineer.user) == ["employee"]
    client.post(url, {"roles": ["employee", "dispatcher"], "reason": "兼任调度"})
    assert accounts.role_codes(engineer.user) == ["employee", "dispatcher"]
    page = client.get(reverse("organisation:employee-detail", args=[engineer.pk])).content.decode()
    assert "员工、服务调度" in page and "兼任调度" in page


def test_bulk_roles_answer_per_row(client, hr, newcomer, personas):
    engineer = Employee.objects.get(user__username="engineer")
    me = Employee.objects.get(user=hr)
    client.force_login(hr)
    response = client.post(
        reverse("organisation:roles-bulk"),
        {
            "employees": [engineer.pk, newcomer.pk, me.pk],
            "action": "add",
            "role": "warehouse",
            "reason": "盘点",
        },
    )
    rows = {row.employee.pk: row for row in response.context["rows"]}
    assert rows[engineer.pk].ok and "warehouse" in accounts.role_codes(engineer.user)
    assert not rows[newcomer.pk].ok and "没有登录账号" in rows[newcomer.pk].message
    assert not rows[me.pk].ok and "自己" in rows[me.pk].message
    assert "warehouse" not in accounts.role_codes(hr)


def test_r_1_1_leaving_blocks_the_login_and_keeps_every_record(client, hr, personas):
    engineer = Employee.objects.get(user__username="engineer")
    appraisals = engineer.appraisals.count() if hasattr(engineer, "appraisals") else None
    client.force_login(hr)
    client.post(
        reverse("organisation:employee-account", args=[engineer.pk, "deactivate"]),
        {"on": "2025-06-30", "reason": "合同到期"},
    )
    engineer.refresh_from_db()
    assert engineer.active_to == date(2025, 6, 30) and not engineer.user.is_active
    assert not _sign_in(client, "engineer", "demo1234")
    assert Employee.objects.filter(pk=engineer.pk).exists()
    if appraisals is not None:
        assert engineer.appraisals.count() == appraisals
    assert engineer.history.first().history_change_reason == "合同到期"
    client.force_login(hr)
    client.post(
        reverse("organisation:employee-account", args=[engineer.pk, "reactivate"]), {"reason": "返聘"}
    )
    engineer.refresh_from_db()
    assert engineer.active_to is None and engineer.user.is_active
    actions = list(AccountEvent.objects.filter(user=engineer.user).values_list("action", flat=True))
    assert actions[:2] == ["reactivated", "deactivated"]


def test_hr_cannot_deactivate_herself(hr):
    me = Employee.objects.get(user=hr)
    with pytest.raises(accounts.AccountError):
        accounts.employee_deactivate(employee=me, on=date(2025, 6, 30), actor=hr, reason="x")


def test_the_django_admin_is_for_superusers_only(client, hr):
    client.force_login(hr)
    hr.is_staff = True
    hr.save()
    assert client.get("/admin/").status_code == 302  # sent to the admin's login
    client.force_login(get_user_model().objects.get(username="admin"))
    assert client.get("/admin/").status_code == 200


def test_the_role_groups_exist_after_migrate(db):
    assert set(roles.ALL_ROLES) <= set(Group.objects.values_list("name", flat=True))


def test_a_refused_bulk_role_change_answers_in_place_with_the_reason(client, hr, personas):
    """Issue 11: a refused step answers with its reason (400) instead of redirecting to the roster."""
    client.force_login(hr)
    response = client.post(reverse("organisation:roles-bulk"), {"action": "add", "role": "warehouse"})
    body = response.content.decode()
    assert response.status_code == 400 and 'id="refusal"' in body and 'id="bulk-result"' not in body
    assert response.context["form"].errors.keys() >= {"employees", "reason"}
