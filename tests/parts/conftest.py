"""Fixtures of the parts tests: the persona organisation, two stores, a few parts, final reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from aftersales.organisation.models import Department, Employee
from aftersales.parts import services
from aftersales.parts.models import Part, Requisition, Store, Supplier
from aftersales.service.models import ReportPartLine, ServiceReport, WorkOrder


@pytest.fixture
def org(personas):
    """The persona organisation (tests/personas.py): users, roles, departments, no parts data."""


@pytest.fixture
def users(org):
    return get_user_model().objects.in_bulk(
        ["keeper", "engineer", "engineer2", "regional", "head", "hr", "outsider", "technician"],
        field_name="username",
    )


@pytest.fixture
def stores(org):
    department = Department.objects.get(code="as")
    central = Store.objects.create(
        code="t-central", name="测试中心库", kind=Store.Kind.CENTRAL, department=department
    )
    station = Store.objects.create(
        code="t-station", name="测试服务站", kind=Store.Kind.STATION, department=department
    )
    return central, station


@pytest.fixture
def part(org):
    supplier = Supplier.objects.create(name="测试配套厂")
    return Part.objects.create(
        number="T-001", name="测试继电器", specification="24V", unit="个", supplier=supplier
    )


@pytest.fixture
def stocked(users, stores, part):
    """The central store holds 5 of ``part``."""
    services.receipt_create(store=stores[0], lines=[(part, 5)], actor=users["keeper"], note="首批到货")
    return stores[0]


def make_report(
    engineer: Employee, part: Part, *, signed=True, approved=True, approver=None
) -> ServiceReport:
    """A service report of ``engineer`` that lists ``part`` as replaced."""
    now = timezone.now()
    order = WorkOrder.objects.create(
        number=f"T{WorkOrder.objects.count() + 1:05d}",
        department=engineer.department.root,
        received_at=now - timedelta(days=2),
        channel="phone",
        customer="测试用户",
        contact_name="张三",
        unit_model="X1",
        unit_number="001",
        site="北京",
        fault="body",
        description="故障",
        required_milestone="on_site",
        deadline=now,
        created_by=engineer.user,
    )
    report = ServiceReport.objects.create(
        order=order,
        visit=1,
        engineer=engineer,
        fault_reported="不工作",
        cause_found="继电器烧毁",
        handling="更换",
        responsibility="product",
        warranty_eligible=True,
        dismantled_before=False,
        signed_by="张三" if signed else "",
        signed_at=now if signed else None,
        approved_by=approver if approved else None,
        approved_at=now if approved else None,
    )
    ReportPartLine.objects.create(report=report, part=f"{part.number} {part.name}", quantity=1, reason="烧毁")
    return report


def approved(users, store, part, *, quantity=1, engineer="engineer") -> Requisition:
    """An approved requisition of ``engineer`` (the approval itself is tested in test_services)."""
    return Requisition.objects.create(
        engineer=users[engineer].employee,
        store=store,
        part=part,
        quantity=quantity,
        reason="更换",
        status=Requisition.Status.APPROVED,
    )


def issued_to(users, store, part, *, quantity=1, engineer="engineer") -> Requisition:
    """An approved requisition, issued by the keeper."""
    requisition = approved(users, store, part, quantity=quantity, engineer=engineer)
    return services.requisition_issue(requisition=requisition, actor=users["keeper"])


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def as_user(client, users):
    """A page client signed in as the named persona."""

    def login(name):
        client.force_login(users[name])
        return client

    return login


@pytest.fixture
def api(users):
    """An API client signed in as the named persona (a session: each request loads the user afresh,
    as in production, so nothing looked up for one request is remembered for the next)."""

    def as_user(name):
        client = APIClient()
        client.force_login(users[name])
        return client

    return as_user
