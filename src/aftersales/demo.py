"""The demo organisation loaded by `aftersales serve --demo` (idempotent: a second run adds nothing).

One after-sales department (售后服务部) with its units and a person in every category and role,
so a new user sees the product alive. Other modules add their demo data through ``DEMO_STEPS``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from aftersales.organisation import roles
from aftersales.organisation.models import Category, Department, Employee, Position, Region

DEMO_PASSWORD = "demo1234"

# username, number, name, unit, position, category, supervisor username, salary, roles, region
PEOPLE: list[tuple[str, str, str, str, str, str, str | None, str, tuple[str, ...], str | None]] = [
    ("head", "E001", "王建国", "as", "head", Category.TECH_SUPPORT, None, "9000", (roles.HEAD,), None),
    (
        "supervisor",
        "E002",
        "李明",
        "as-tech",
        "tech_lead",
        Category.TECH_SUPPORT,
        "head",
        "7000",
        (roles.SUPERVISOR,),
        None,
    ),
    (
        "support",
        "E003",
        "张伟",
        "as-tech",
        "tech_support",
        Category.TECH_SUPPORT,
        "supervisor",
        "5000",
        (),
        None,
    ),
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
    (
        "engineer",
        "E006",
        "赵磊",
        "as-field",
        "field_engineer",
        Category.FIELD_SERVICE,
        "regional",
        "5500",
        (),
        "north",
    ),
    (
        "engineer2",
        "E007",
        "孙涛",
        "as-field",
        "field_engineer",
        Category.FIELD_SERVICE,
        "regional",
        "5500",
        (),
        "north",
    ),
    (
        "engineer3",
        "E008",
        "周鹏",
        "as-field",
        "field_engineer",
        Category.FIELD_SERVICE,
        "regional",
        "5000",
        (),
        "south",
    ),
    (
        "repairlead",
        "E009",
        "吴强",
        "as-repair",
        "repair_lead",
        Category.REPAIR,
        "head",
        "6000",
        (roles.SUPERVISOR,),
        None,
    ),
    (
        "technician",
        "E010",
        "郑浩",
        "as-repair",
        "repair_technician",
        Category.REPAIR,
        "repairlead",
        "4500",
        (),
        None,
    ),
    (
        "technician2",
        "E011",
        "冯军",
        "as-repair",
        "repair_technician",
        Category.REPAIR,
        "repairlead",
        "4500",
        (),
        None,
    ),
    (
        "keeper",
        "E012",
        "何静",
        "as-parts",
        "warehouse_keeper",
        Category.TECH_SUPPORT,
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
        Category.TECH_SUPPORT,
        "supervisor",
        "4500",
        (roles.DISPATCHER,),
        None,
    ),
    ("hr", "H001", "马丽", "hrd", "hr_specialist", Category.TECH_SUPPORT, None, "6000", (roles.HR,), None),
    # Someone from another department: reaches nothing of 售后服务部 (the "outsider" of permission tests).
    ("outsider", "S001", "钱进", "sales", "tech_support", Category.TECH_SUPPORT, None, "5000", (), None),
]

DEPARTMENTS = [
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

POSITIONS = [
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

# Further demo data (appraisals, work orders …) registers here: each step runs after the organisation.
DEMO_STEPS: list[Callable[[], None]] = []


def demo_logins() -> list[tuple[str, str]]:
    """(username, what the login shows) for the README and `serve --demo`."""
    logins = [("admin", "系统管理员 / admin")]
    for username, _num, name, unit, _pos, _cat, _sup, _sal, extra_roles, _reg in PEOPLE:
        role_text = ", ".join(str(roles.ROLE_LABELS[r]) for r in extra_roles) or str(
            roles.ROLE_LABELS[roles.EMPLOYEE]
        )
        logins.append((username, f"{name} · {dict((c, n) for c, n, _p in DEPARTMENTS)[unit]} · {role_text}"))
    return logins


def load_demo() -> None:
    """Load everything in one transaction; the notifications it triggers are not sent anywhere."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        _load_all()


@transaction.atomic
def _load_all() -> None:
    for role in roles.ALL_ROLES:
        Group.objects.get_or_create(name=role)
    _load_organisation()
    for step in DEMO_STEPS:
        step()


def _load_organisation() -> None:
    user_model = get_user_model()
    admin, created = user_model.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "first_name": "管理员"}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        admin.groups.add(Group.objects.get(name=roles.ADMIN))
    departments: dict[str, Department] = {}
    for code, name, parent in DEPARTMENTS:
        departments[code], _ = Department.objects.get_or_create(
            code=code, defaults={"name": name, "parent": departments.get(parent) if parent else None}
        )
    field = departments["as-field"]
    regions = {
        code: Region.objects.get_or_create(code=code, defaults={"name": name, "department": field})[0]
        for code, name in [("north", "华北区域"), ("south", "华南区域")]
    }
    positions = {
        code: Position.objects.get_or_create(
            code=code, defaults={"name": name, "category": category, "standard_salary": Decimal(salary)}
        )[0]
        for code, name, category, salary in POSITIONS
    }
    employees: dict[str, Employee] = {}
    for username, number, name, unit, position, category, supervisor, salary, extra_roles, region in PEOPLE:
        user, created = user_model.objects.get_or_create(username=username, defaults={"first_name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(*Group.objects.filter(name__in=(roles.EMPLOYEE, *extra_roles)))
        employees[username], _ = Employee.objects.get_or_create(
            number=number,
            defaults={
                "name": name,
                "user": user,
                "department": departments[unit],
                "region": regions[region] if region else None,
                "position": positions[position],
                "category": category,
                "supervisor": employees[supervisor] if supervisor else None,
                "standard_salary": Decimal(salary),
                "active_from": date(2024, 1, 1),
                "email": f"{username}@example.com",
            },
        )
    if departments["as"].head_id is None:
        departments["as"].head = employees["head"]
        departments["as"].save(update_fields=["head"])


def _load_discipline() -> None:
    """Rewards and penalties (SPEC §6) of this year: two approved, one awaiting the head's approval."""
    from django.utils import timezone

    from aftersales.discipline import services
    from aftersales.discipline.models import DisciplineRecord, Kind, RewardReason

    people = {e.number: e for e in Employee.objects.filter(number__in=["E006", "E007", "E008"])}
    if DisciplineRecord.objects.filter(employee__in=people.values()).exists():
        return
    users = get_user_model().objects.in_bulk(["regional", "head"], field_name="username")
    first = timezone.localdate().replace(day=1)
    approved = [
        (people["E006"], Kind.COMMENDATION, "驻站期间故障处理及时彻底,用户来函表扬"),
        (people["E007"], Kind.DEMERIT, "未经允许,私自离开工作地点"),
    ]
    for employee, kind, text in approved:
        record = services.record_propose(
            employee=employee, kind=kind, effective_date=first, reason_text=text, actor=users["regional"]
        )
        services.record_approve(record=record, actor=users["head"], note="属实,同意")
    services.record_propose(
        employee=people["E008"],
        kind=Kind.MERIT,
        effective_date=timezone.localdate(),
        reason=RewardReason.objects.filter(article=13).first(),
        reason_text="开拓华南区域新客户,首季度签约两家",
        actor=users["regional"],
    )


DEMO_STEPS.append(_load_discipline)


# The areas' demo data, in this order after the organisation and discipline (each module says what
# it adds; evidence comes last: it reads the facts the other areas made).
AREA_DEMOS = (
    "aftersales.appraisal.demo.load_appraisal_demo",  # the month before last archived, last month in progress
    "aftersales.service.demo.load_service_demo",  # work orders, reports, calls (SPEC §8)
    "aftersales.service.demo.load_field_records_demo",  # reports, visits, attendance … behind form items
    "aftersales.results.demo.load_results_demo",  # an open promotion candidate
    "aftersales.interviews.demo.load_interviews_demo",  # interviews (form 4.6), training requests
    "aftersales.parts.demo.load_parts_demo",  # stores, catalogue, receipts, issues, a write-off
    "aftersales.repair.demo.load_repair_demo",  # last month of the repair group, KPIs in different bands
    "aftersales.payroll.demo.load_payroll_demo",  # pay settings, coefficients, the month before last closed
    "aftersales.evidence.demo.load_evidence_demo",  # last month's records proposed on the forms
)


def _area_demo(path: str) -> Callable[[], None]:
    """A step that imports its area's loader when it runs (the areas import this module)."""

    def load() -> None:
        import_string(path)()

    load.__name__ = path.rsplit(".", 1)[1]
    return load


DEMO_STEPS.extend(_area_demo(path) for path in AREA_DEMOS)
