"""People, a month and its records for the evidence tests (SPEC §11).

June 2025 of 售后服务部 (opened by HR: one draft form per employee), with helpers that record the
facts the areas keep: complaints, incidents, phone-off incidents, repair jobs, issued warranty parts.
Personas as in tests/access/cases.py: 赵磊 (``engineer``) and his supervisor 陈刚 (``regional``);
the repair lead 吴强 (``repairlead``) and his technicians 郑浩 (``technician``), 冯军 (``technician2``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from aftersales.appraisal import services as appraisal_services
from aftersales.appraisal.models import Appraisal, Period
from aftersales.core.periods import SHANGHAI
from aftersales.organisation.models import Department
from aftersales.parts.models import Part, Requisition, Store, Supplier
from aftersales.repair.models import RepairJob
from aftersales.service import services as service_services
from aftersales.service.models import Channel

NAMES = [
    "engineer",
    "engineer2",
    "engineer3",
    "regional",
    "head",
    "hr",
    "outsider",
    "repairlead",
    "technician",
    "technician2",
    "dispatcher",
    "support",
    "supervisor",
]


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=SHANGHAI)


class People:
    def __init__(self) -> None:
        self.u = get_user_model().objects.in_bulk(NAMES, field_name="username")
        self.e = {name: user.employee for name, user in self.u.items()}


@pytest.fixture
def people(personas) -> People:
    return People()


@pytest.fixture
def june(people) -> Period:
    return appraisal_services.period_open(
        actor=people.u["hr"], department=Department.objects.get(code="as"), year=2025, month=6
    )


def form_of(period: Period, username: str) -> Appraisal:
    return Appraisal.objects.get(period=period, employee__user__username=username, is_current=True)


def complaint(people: People, employee: str = "engineer", *, founded: bool = True, **extra):
    """A complaint against ``employee`` received on 10 June, verified by the supervisor."""
    record = service_services.complaint_record(
        actor=people.u["dispatcher"],
        employee=people.e[employee],
        received_at=extra.pop("received_at", at(6, 10)),
        channel=Channel.PHONE,
        complainant="刘工",
        content="服务态度差",
        **extra,
    )
    leader = people.e[employee].supervisor.user
    return service_services.complaint_verify(complaint=record, actor=leader, founded=founded, note="已核实")


def phone_offs(people: People, employee: str, days: list[int]) -> list:
    leader = people.e[employee].supervisor.user
    return [
        service_services.phone_off_record(
            actor=leader, employee=people.e[employee], day=at(6, day).date(), note="联系不上"
        )
        for day in days
    ]


def repair_job(people: People, technician: str, unit: str, received: datetime, completed: datetime | None):
    return RepairJob.objects.create(
        technician=people.e[technician],
        unit_serial=unit,
        product="控制器",
        received_at=received,
        completed_at=completed,
        created_by=people.u["repairlead"],
    )


@pytest.fixture
def june_repairs(people) -> dict[str, RepairJob]:
    """郑浩 (a): one job on time, one late (R-10.2: 50 %), and a unit of his back in June (R-10.3:
    1 return / 2 completed = 50 %). 冯军 (b): two jobs on time, nothing back (100 %, 0 %)."""
    return {
        "a0": repair_job(people, "technician", "EV-4", at(4, 10), at(4, 15)),
        "a1": repair_job(people, "technician", "EV-1", at(6, 2), at(6, 5)),
        "a2": repair_job(people, "technician", "EV-2", at(6, 10), at(6, 20)),
        "b1": repair_job(people, "technician2", "EV-4", at(6, 12), at(6, 14)),
        "b2": repair_job(people, "technician2", "EV-5", at(6, 3), at(6, 6)),
    }


def issued_part(people: People, engineer: str = "engineer", issued: datetime | None = None) -> Requisition:
    """A warranty part issued to ``engineer`` on 20 May: neither written off nor its old part back."""
    department = Department.objects.get(code="as")
    store = Store.objects.create(
        code="ev-store", name="测试库", kind=Store.Kind.CENTRAL, department=department
    )
    part = Part.objects.create(
        number="EV-P1",
        name="测试接触器",
        specification="24V",
        unit="个",
        supplier=Supplier.objects.create(name="厂"),
    )
    issued = issued or at(5, 20)
    return Requisition.objects.create(
        engineer=people.e[engineer],
        store=store,
        part=part,
        quantity=1,
        reason="更换",
        status=Requisition.Status.ISSUED,
        proposed_at=issued - timedelta(days=1),
        issued_by=people.u["head"],
        issued_at=issued,
    )
