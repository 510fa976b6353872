"""The small persona organisation every test starts with (built by tests/factories.py, not the demo).

售后服务部 (head 王建国) with its units, 综合管理部 (HR) and 营销管理部 (the outsider). The personas
of the access matrix (tests/access/cases.py PERSONAS) and the other people tests act as, under the
usernames the tests use; numbers, departments and positions are the demo's (aftersales/demo.py), so the
``demo`` fixture can load the whole demo on top of them; the pay settings at their defaults. Nothing
else: no appraisal, order, part or pay record; a test builds what it reads.

Look people up by username (``employee("engineer")``), never by number.
"""

from __future__ import annotations

from decimal import Decimal
from importlib import import_module
from typing import Any

from django.contrib.auth import get_user_model

from aftersales.organisation import roles
from aftersales.organisation.models import Category, Department, Employee
from aftersales.payroll.models import PaySettings
from tests.factories import (
    DepartmentFactory,
    EmployeeFactory,
    PositionFactory,
    RegionFactory,
    UserFactory,
    role_groups,
)

# Persona passwords hashed fast: the production hasher is deliberately slow (~0.4 s a user). Only for a
# database no real server logs in to: a server checks passwords with the production hashers.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

DEPARTMENTS = [  # code, name, parent
    ("as", "售后服务部", None),
    ("as-tech", "技术支持", "as"),
    ("as-quality", "质量", "as"),
    ("as-training", "培训", "as"),
    ("as-parts", "配件库房", "as"),
    ("as-repair", "返修组", "as"),
    ("as-field", "现场服务", "as"),
    ("hrd", "综合管理部", None),
    ("sales", "营销管理部", None),
]

POSITIONS = [  # code, name, category, standard salary
    ("head", "部长", Category.TECH_SUPPORT, "9000"),
    ("tech_lead", "技术支持主管", Category.TECH_SUPPORT, "7000"),
    ("tech_support", "技术支持工程师", Category.TECH_SUPPORT, "5000"),
    ("tech_improvement", "技改工程师", Category.TECH_IMPROVEMENT, "5000"),
    ("regional_supervisor", "区域主管", Category.REGIONAL_SUPERVISOR, "6500"),
    ("field_engineer", "服务工程师", Category.FIELD_SERVICE, "5500"),
    ("repair_lead", "返修组长", Category.REPAIR, "6000"),
    ("repair_technician", "返修技术员", Category.REPAIR, "4500"),
    ("warehouse_keeper", "库管员", Category.TECH_SUPPORT, "4500"),
    ("dispatcher", "服务调度", Category.TECH_SUPPORT, "4500"),
    ("hr_specialist", "人力资源专员", Category.TECH_SUPPORT, "6000"),
]

S, R, T = Category.TECH_SUPPORT, Category.REPAIR, Category.FIELD_SERVICE
# username, number, name, unit, position, category, supervisor, salary, roles, region
PEOPLE: list[tuple[str, str, str, str, str, str, str | None, str, tuple[str, ...], str | None]] = [
    ("head", "E001", "王建国", "as", "head", S, None, "9000", (roles.HEAD,), None),
    ("supervisor", "E002", "李明", "as-tech", "tech_lead", S, "head", "7000", (roles.SUPERVISOR,), None),
    ("support", "E003", "张伟", "as-tech", "tech_support", S, "supervisor", "5000", (), None),
    (
        "improver",
        "E004",
        "刘洋",
        "as-tech",
        "tech_improvement",
        Category.TECH_IMPROVEMENT,
        "supervisor",
        "5000",
        (),
        None,
    ),
    (
        "regional",
        "E005",
        "陈刚",
        "as-field",
        "regional_supervisor",
        Category.REGIONAL_SUPERVISOR,
        "head",
        "6500",
        (roles.SUPERVISOR,),
        "north",
    ),
    ("engineer", "E006", "赵磊", "as-field", "field_engineer", T, "regional", "5500", (), "north"),
    ("engineer2", "E007", "孙涛", "as-field", "field_engineer", T, "regional", "5500", (), "north"),
    ("engineer3", "E008", "周鹏", "as-field", "field_engineer", T, "regional", "5000", (), "south"),
    ("repairlead", "E009", "吴强", "as-repair", "repair_lead", R, "head", "6000", (roles.SUPERVISOR,), None),
    ("technician", "E010", "郑浩", "as-repair", "repair_technician", R, "repairlead", "4500", (), None),
    ("technician2", "E011", "冯军", "as-repair", "repair_technician", R, "repairlead", "4500", (), None),
    (
        "keeper",
        "E012",
        "何静",
        "as-parts",
        "warehouse_keeper",
        S,
        "supervisor",
        "4500",
        (roles.WAREHOUSE,),
        None,
    ),
    (
        "dispatcher",
        "E013",
        "林芳",
        "as-tech",
        "dispatcher",
        S,
        "supervisor",
        "4500",
        (roles.DISPATCHER,),
        None,
    ),
    ("hr", "H001", "马丽", "hrd", "hr_specialist", S, None, "6000", (roles.HR,), None),
    ("outsider", "S001", "钱进", "sales", "tech_support", S, None, "5000", (), None),
]
USERNAMES = [person[0] for person in PEOPLE]


def migrations_data() -> None:
    """What the data migrations store (role groups, the built-in forms, the reasons catalogue): a
    transactional test's flush removes it with the rest (idempotent)."""
    from django.apps import apps

    from aftersales.formdefs.services import ensure_builtin_templates

    role_groups()
    ensure_builtin_templates()
    import_module("aftersales.discipline.migrations.0002_seed_reasons").seed_reasons(apps, None)


def build_personas() -> None:
    """Build the persona organisation (idempotent: what exists is kept)."""
    migrations_data()
    UserFactory(username="admin", first_name="管理员", is_staff=True, is_superuser=True, roles=[roles.ADMIN])
    departments: dict[str, Department] = {}
    for code, name, parent in DEPARTMENTS:
        departments[code] = DepartmentFactory(code=code, name=name, parent=departments.get(parent or ""))
    field = departments["as-field"]
    regions = {
        code: RegionFactory(code=code, name=name, department=field)
        for code, name in [("north", "华北区域"), ("south", "华南区域")]
    }
    positions = {
        code: PositionFactory(code=code, name=name, category=category, standard_salary=Decimal(salary))
        for code, name, category, salary in POSITIONS
    }
    people: dict[str, Employee] = {}
    for username, number, name, unit, position, category, boss, salary, extra, region in PEOPLE:
        people[username] = EmployeeFactory(
            number=number,
            name=name,
            user=UserFactory(username=username, first_name=name, roles=extra),
            department=departments[unit],
            region=regions[region] if region else None,
            position=positions[position],
            category=category,
            supervisor=people[boss] if boss else None,
            standard_salary=Decimal(salary),
        )
    if departments["as"].head_id is None:
        departments["as"].head = people["head"]
        departments["as"].save(update_fields=["head"])
    PaySettings.stored()  # the company's pay settings, stored at their defaults


_SESSIONS: dict[str, str] = {}  # username -> the key of a session logged in when the database was set up


def log_in_once(usernames: list[str]) -> None:
    """Log these personas in once, when the test database is set up (outside any test's transaction),
    so tests that ask as many personas many times (the access matrix) reuse the sessions instead of
    logging in for every request (a login writes a session, the last login time and an access log)."""
    from django.conf import settings
    from django.test import Client

    for username in usernames:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        _SESSIONS[username] = client.cookies[settings.SESSION_COOKIE_NAME].value


def logged_in(client: Any, user: Any) -> None:
    """``client.force_login(user)``, through the session made by ``log_in_once`` while it is still in
    the database (a transactional test's flush removes it; then the client logs in)."""
    from django.conf import settings
    from django.contrib.sessions.models import Session

    key = _SESSIONS.get(user.username)
    if key and Session.objects.filter(session_key=key).exists():
        client.cookies[settings.SESSION_COOKIE_NAME] = key
    else:
        client.force_login(user)


def personas_present() -> bool:
    return get_user_model().objects.filter(username="outsider").exists()


def employee(username: str) -> Employee:
    """The persona's employee record (``employee("engineer")`` is 赵磊)."""
    return Employee.objects.select_related("user", "department").get(user__username=username)


def numbers(*usernames: str) -> set[str]:
    """The employee numbers of the personas named (for pages and files that show numbers)."""
    return set(Employee.objects.filter(user__username__in=usernames).values_list("number", flat=True))


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)
