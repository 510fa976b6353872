"""Access matrix of the roster pages and API (R-1.1).

Everyone sees the roster page, filtered to their scope; an employee's page and API record only
within scope (the outsider gets 404); import and export of the whole roster are HR's.
"""

from __future__ import annotations

from tests.access.cases import EVERYONE, STAFF_OF_DEPARTMENT, Case

ONLY_HR = frozenset({"hr"})


def _engineer(world):
    return {"pk": world.employees["employee"].pk}


def _colleague(world):
    """孙涛: another engineer of 陈刚's — not the employee persona's to see."""
    return {"pk": world.employee("engineer2").pk}


def _as_is(world):
    """The engineer's record as it stands, with a reason: a change that changes nothing."""
    e = world.employees["employee"]
    fields = ["number", "name", "email", "phone", "category", "standard_salary", "active_from"]
    data = {name: str(getattr(e, name)) for name in fields}
    ids = {"department": e.department_id, "region": e.region_id, "position": e.position_id}
    return data | ids | {"supervisor": e.supervisor_id, "reason": "核对"}


def _new_employee(world):
    return _as_is(world) | {"number": "N901", "name": "新员工", "email": "", "reason": "入职"}


def _newcomer(world, left=False):
    """A new employee without a login (and, ``left``, who has left)."""
    from datetime import date

    from aftersales.organisation.models import Employee

    e = world.employees["employee"]
    newcomer = Employee.objects.create(
        number="N900",
        name="新员工",
        department_id=e.department_id,
        position_id=e.position_id,
        category=e.category,
        standard_salary=e.standard_salary,
        active_from=date(2025, 1, 1),
        active_to=date(2025, 6, 30) if left else None,
    )
    return {"pk": newcomer.pk}


def _login(world):
    return {"username": "n900", "email": "", "method": "link", "password": "", "roles": ["employee"]}


def _root(world):
    return {"pk": world.employees["employee"].department.root.pk}


def _department(world):
    root = world.employees["employee"].department.root
    return {
        "code": root.code,
        "name": root.name,
        "head": root.head_id,
        "head_in_pool": True,
        "reason": "核对",
    }


def _a_region(world):
    from aftersales.organisation.models import Region

    return {"pk": Region.objects.order_by("pk").first().pk}


def _region(world):
    from aftersales.organisation.models import Region

    region = Region.objects.order_by("pk").first()
    return {"code": region.code, "name": region.name, "department": region.department_id, "reason": "核对"}


def _a_position(world):
    return {"pk": world.employees["employee"].position_id}


def _position(world):
    p = world.employees["employee"].position
    return {
        "code": p.code,
        "name": p.name,
        "category": p.category,
        "standard_salary": str(p.standard_salary),
    } | {"reason": "核对"}


def _workbook(dry_run):
    """A multipart body: the organisation workbook with one new employee (N950), previewed or imported."""

    def body(world):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.organisation.workbooks import employee_row, workbook

        upload = SimpleUploadedFile("organisation.xlsx", workbook([employee_row("N950")]))
        return {"file": upload, "reason": "入职", "dry_run": dry_run}

    return body


def _new(data):
    """The body of a new one: ``data`` with a code and a name of its own."""
    return lambda world: data(world) | {"code": "tnew", "name": "新增"}


CASES = [
    Case("organisation:index", EVERYONE),
    Case("organisation:employee-detail", STAFF_OF_DEPARTMENT, kwargs=_engineer),
    Case(
        "organisation:employee-detail",
        frozenset({"supervisor", "head", "hr"}),
        kwargs=_colleague,
        label="colleague",
    ),
    Case("organisation:import", ONLY_HR),
    Case("organisation:import", ONLY_HR, method="post", data=lambda w: {}, label="empty"),
    Case("organisation:export", ONLY_HR),
    Case("organisation:structure", ONLY_HR),
    Case("organisation:new", ONLY_HR, kwargs=lambda w: {"kind": "department"}),
    Case(
        "organisation:edit",
        ONLY_HR,
        kwargs=lambda w: {"kind": "position", "pk": w.employees["employee"].position_id},
    ),
    Case("organisation:employee-new", ONLY_HR),
    Case("organisation:employee-edit", ONLY_HR, kwargs=_engineer),
    Case(
        "organisation:employee-account",
        ONLY_HR,
        kwargs=lambda w: {"pk": w.employees["employee"].pk, "action": "link"},
        method="post",
        data=lambda w: {},
    ),
    Case(
        "organisation:roles-bulk",
        ONLY_HR,
        method="post",
        data=lambda w: {
            "employees": [w.employees["employee"].pk],
            "action": "add",
            "role": "dispatcher",
            "reason": "x",
        },
    ),
    Case("api-organisation:employee-list", EVERYONE),
    Case("api-organisation:employee-detail", STAFF_OF_DEPARTMENT, kwargs=_engineer),
    Case(
        "api-organisation:employee-detail",
        frozenset({"supervisor", "head", "hr"}),
        kwargs=_colleague,
        label="colleague",
    ),
    # API twins of the page acts (tests/api/test_twins.py)
    Case("api-organisation:employee-new", ONLY_HR, method="post", data=_new_employee, json=True),
    Case("api-organisation:employee-edit", ONLY_HR, kwargs=_engineer, method="post", data=_as_is, json=True),
    Case("api-organisation:account-login", ONLY_HR, kwargs=_newcomer, method="post", data=_login, json=True),
    Case(
        "api-organisation:account-roles",
        ONLY_HR,
        kwargs=_engineer,
        method="post",
        data=lambda w: {"roles": ["employee"], "reason": "复核"},
        json=True,
    ),
    Case("api-organisation:account-link", ONLY_HR, kwargs=_engineer, method="post", json=True),
    Case(
        "api-organisation:account-deactivate",
        ONLY_HR,
        kwargs=_newcomer,
        method="post",
        data=lambda w: {"on": "2025-06-30", "reason": "离职"},
        json=True,
    ),
    Case(
        "api-organisation:account-reactivate",
        ONLY_HR,
        kwargs=lambda w: _newcomer(w, left=True),
        method="post",
        data=lambda w: {"reason": "返聘"},
        json=True,
    ),
    Case(
        "api-organisation:roles-bulk",
        ONLY_HR,
        method="post",
        data=lambda w: {
            "employees": [w.employees["employee"].pk],
            "action": "add",
            "role": "dispatcher",
            "reason": "x",
        },
        json=True,
    ),
    Case("api-organisation:import", ONLY_HR, method="post", data=_workbook("true"), label="preview"),
    Case("api-organisation:import", ONLY_HR, method="post", data=_workbook("false"), label="import"),
    Case("api-organisation:department-new", ONLY_HR, method="post", data=_new(_department), json=True),
    Case(
        "api-organisation:department-edit", ONLY_HR, kwargs=_root, method="post", data=_department, json=True
    ),
    Case("api-organisation:region-new", ONLY_HR, method="post", data=_new(_region), json=True),
    Case("api-organisation:region-edit", ONLY_HR, kwargs=_a_region, method="post", data=_region, json=True),
    Case("api-organisation:position-new", ONLY_HR, method="post", data=_new(_position), json=True),
    Case(
        "api-organisation:position-edit",
        ONLY_HR,
        kwargs=_a_position,
        method="post",
        data=_position,
        json=True,
    ),
]
