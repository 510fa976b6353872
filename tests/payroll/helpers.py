"""Building months to close: departments, employees and archived appraisals, straight into the tables.

The cycle's own actions are exercised by tests/appraisal/; here only the close is under test, so most
tests write the archived forms directly (fast, any score). The worked example (R-5.6) and the browser
test go through the real cycle instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from aftersales.appraisal.models import Appraisal, Period, State
from aftersales.organisation import roles
from aftersales.organisation.models import Category, Department, Employee, Position


def hr_user(username: str = "payroll-hr") -> Any:
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.groups.add(Group.objects.get_or_create(name=roles.HR)[0])
    return user


@dataclass(frozen=True)
class Person:
    salary: str
    score: str | None  # form total; None: no appraisal this month
    category: str = Category.TECH_SUPPORT
    state: str = State.ARCHIVED
    interview_missing: bool = False


def department(code: str, *, head_in_pool: bool = True, parent: Department | None = None) -> Department:
    return Department.objects.create(code=code, name=f"部门{code}", head_in_pool=head_in_pool, parent=parent)


def _position(category: str) -> Position:
    return Position.objects.get_or_create(
        code=f"pos-{category}",
        defaults={"name": f"职位{category}", "category": category, "standard_salary": 0},
    )[0]


def employees(dept: Department, people: Sequence[Person], prefix: str = "") -> list[Employee]:
    prefix = prefix or dept.code
    return Employee.objects.bulk_create(
        Employee(
            number=f"{prefix}-{index:04d}",
            name=f"员工{prefix}{index}",
            department=dept,
            position=_position(person.category),
            category=person.category,
            standard_salary=Decimal(person.salary),
            active_from=date(2024, 1, 1),
        )
        for index, person in enumerate(people)
    )


def archived_month(
    dept: Department, year: int, month: int, staff: Sequence[Employee], people: Sequence[Person], actor: Any
) -> Period:
    """A period of ``dept`` whose appraisals stand as ``people`` says (archived by default)."""
    period = Period.objects.create(department=dept, year=year, month=month, opened_by=actor)
    Appraisal.objects.bulk_create(
        Appraisal(
            period=period,
            employee=employee,
            template_code=person.category,
            template_version=1,
            state=person.state,
            form_total=Decimal(person.score),
            final_score=Decimal(person.score),
            interview_missing=person.interview_missing,
        )
        for employee, person in zip(staff, people, strict=True)
        if person.score is not None
    )
    return period


def pool(
    code: str,
    people: Sequence[Person],
    *,
    year: int = 2025,
    month: int = 3,
    actor: Any = None,
    head: int | None = None,
    head_in_pool: bool = True,
) -> tuple[Department, list[Employee], Period]:
    """A department of ``people`` (employee ``head`` its head) with month ``year-month`` archived."""
    dept = department(code, head_in_pool=head_in_pool)
    staff = employees(dept, people)
    if head is not None:
        dept.head = staff[head]
        dept.save(update_fields=["head"])
    return dept, staff, archived_month(dept, year, month, staff, people, actor or hr_user())


def demo_close(
    year: int = 2025, month: int = 1, *, held: Sequence[str] = (), coefficient: str = "0.9"
) -> Any:
    """Close a month of 售后服务部 (the personas') whose forms were all archived (scores 70–95); the users
    named in ``held`` were flagged "interview missing" and have since been interviewed (flag
    cleared), so their held pay may be released. Returns the close version."""
    from aftersales.payroll.models import DepartmentCoefficient
    from aftersales.payroll.services import close_run

    hr = get_user_model().objects.get(username="hr")
    dept = Department.objects.get(code="as")
    staff = list(
        Employee.objects.filter(department__in=[dept, *dept.units.all()], supervisor__isnull=False)
        .select_related("user")
        .order_by("number")
    )
    people = [
        Person(
            str(e.standard_salary),
            str(70 + (i * 7) % 26),
            e.category,
            interview_missing=e.user.username in held,
        )
        for i, e in enumerate(staff)
    ]
    period = archived_month(dept, year, month, staff, people, hr)
    DepartmentCoefficient.objects.create(
        department=dept, year=year, month=month, value=Decimal(coefficient), reason="部门考核", set_by=hr
    )
    (version,) = close_run(department=dept, year=year, month=month, actor=hr).created
    Appraisal.objects.filter(period=period).update(interview_missing=False)
    return version


def archive_demo_month() -> Period:
    """Take every form of the demo's last month (at all steps) to archived, through the actions of the
    people whose step it is: a returned form is scored again, the appeal is rejected by HR."""
    from aftersales.appraisal import notifications
    from aftersales.appraisal import services as cycle
    from aftersales.appraisal.models import Appeal
    from tests.appraisal.helpers import advance, entries_for

    period = Period.objects.filter(department__code="as").order_by("-year", "-month").first()
    hr = get_user_model().objects.get(username="hr")
    with notifications.without_email():
        for appraisal in Appraisal.objects.filter(period=period, is_current=True).select_related(
            "employee__supervisor__user", "employee__user"
        ):
            if appraisal.state == State.RETURNED:
                supervisor = appraisal.employee.supervisor.user
                cycle.appraisal_score(appraisal=appraisal, actor=supervisor, entries=entries_for(appraisal))
            if appraisal.state == State.APPEALED:
                appeal = Appeal.objects.get(appraisal=appraisal)
                cycle.appeal_decide(appeal=appeal, actor=hr, upheld=False, minutes="经协调，维持原评分。")
                appraisal.refresh_from_db()
            advance(appraisal, State.ARCHIVED)
    return period
