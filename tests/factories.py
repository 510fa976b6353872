"""factory_boy factories of the organisation and of the objects many tests need.

Each factory builds the least its model needs; a test names what matters to it. The persona
organisation every test starts with is built from these (tests/personas.py). Area factories live next
to the area's tests (tests/results/factories.py: archived appraisals straight in the database).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from aftersales.organisation import roles
from aftersales.organisation.models import Category, Department, Employee, Position, Region

PASSWORD = "demo1234"  # the browser tests and the demo log in with it


def role_groups() -> None:
    """The role groups (auth Group per role) that the migrations do not create."""
    for role in roles.ALL_ROLES:
        Group.objects.get_or_create(name=role)


class UserFactory(factory.django.DjangoModelFactory):
    """A user with the employee role and any ``roles`` given (``UserFactory(roles=[roles.HR])``)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("name", locale="zh_CN")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        names = (roles.EMPLOYEE, *(extracted or ()))
        self.groups.add(*Group.objects.filter(name__in=names))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"部门{n}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region{n}")
    name = factory.Sequence(lambda n: f"区域{n}")
    department = factory.SubFactory(DepartmentFactory)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"position{n}")
    name = factory.Sequence(lambda n: f"岗位{n}")
    category = Category.TECH_SUPPORT
    standard_salary = Decimal("5000")


class EmployeeFactory(factory.django.DjangoModelFactory):
    """An active employee with a user of the same username (``user__username``, ``user__roles``)."""

    class Meta:
        model = Employee
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.LazyAttribute(lambda o: o.user.first_name)
    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    position = factory.SubFactory(PositionFactory, category=factory.SelfAttribute("..category"))
    category = Category.TECH_SUPPORT
    standard_salary = factory.LazyAttribute(lambda o: o.position.standard_salary)
    active_from = date(2024, 1, 1)
    email = factory.LazyAttribute(lambda o: f"{o.user.username}@example.com")


# --- parts --------------------------------------------------------------------------------------------


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "parts.Supplier"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"配套厂{n}")


class PartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "parts.Part"
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: f"P-{n:03d}")
    name = factory.Sequence(lambda n: f"配件{n}")
    unit = "个"
    supplier = factory.SubFactory(SupplierFactory)


class StoreFactory(factory.django.DjangoModelFactory):
    """A store of 售后服务部 (its warehouse keeper is the persona ``keeper``)."""

    class Meta:
        model = "parts.Store"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"store{n}")
    name = factory.Sequence(lambda n: f"库房{n}")
    kind = "central"
    department = factory.LazyFunction(lambda: Department.objects.get(code="as"))


def stocked(quantity: int = 5, **part: Any) -> tuple[Any, Any, Any]:
    """The central store of 售后服务部 holding ``quantity`` of a part, received by the keeper:
    (store, part, receipt)."""
    from aftersales.parts import services

    store = StoreFactory(code="central", name="中心库")
    item = PartFactory(**part)
    keeper = get_user_model().objects.get(username="keeper")
    receipt = services.receipt_create(store=store, lines=[(item, quantity)], actor=keeper)
    return store, item, receipt
