"""Service-area fixtures: the persona organisation's people and orders made through the actions."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from aftersales.core.sla import Milestone
from aftersales.organisation.models import Employee
from aftersales.service import services
from aftersales.service.demo import signature_png
from aftersales.service.models import Channel, FaultCategory, Responsibility, ServiceReport, WorkOrder
from aftersales.service.services import OrderRequest

HOUR = timedelta(hours=1)

COMPLETE_REPORT: dict[str, Any] = {
    "running_time": 3200,
    "mileage": 125000,
    "fault_reported": "车门无法关闭",
    "warranty_eligible": True,
    "dismantled_before": False,
    "cause_found": "门泵电磁阀卡滞",
    "handling": "更换电磁阀,试车正常",
    "responsibility": Responsibility.PRODUCT,
    "old_parts_to_return": "旧电磁阀1个",
}


def order_request(**changes: Any) -> OrderRequest:
    request = OrderRequest(
        received_at=timezone.now() - 2 * HOUR,
        channel=Channel.PHONE,
        customer="北京地铁运营公司",
        contact_name="刘工",
        unit_model="BJ6123",
        unit_number="车-0001",
        site="北京四惠车场",
        fault=FaultCategory.BODY,
        description="车门无法关闭",
        distance_km=Decimal(60),
    )
    return replace(request, **changes)


@dataclass
class People:
    """Demo users (``u``) and employees (``e``) by username."""

    u: dict[str, Any]
    e: dict[str, Employee]


@pytest.fixture
def people(personas) -> People:
    """The persona organisation's people by username; tests look up only what they make themselves."""
    employees = {
        e.user.username: e for e in Employee.objects.select_related("user").filter(user__isnull=False)
    }
    return People({name: e.user for name, e in employees.items()}, employees)


class Flow:
    """Takes orders through their steps with the personas: dispatcher 林芳, engineer 赵磊,
    supervisor 陈刚."""

    def __init__(self, people: People) -> None:
        self.p = people

    def receive(self, **changes: Any) -> WorkOrder:
        return services.order_receive(request=order_request(**changes), actor=self.p.u["dispatcher"])

    def dispatched(self, *engineers: str, **changes: Any) -> WorkOrder:
        order = self.receive(**changes)
        staff = [self.p.e[name] for name in engineers or ("engineer",)]
        return services.order_dispatch(
            order=order, actor=self.p.u["dispatcher"], engineers=staff, in_charge=staff[0]
        )

    def on_site(self, at: datetime | None = None, **changes: Any) -> WorkOrder:
        order = self.dispatched(**changes)
        return services.order_record_milestone(
            order=order, actor=self.p.u["engineer"], milestone=Milestone.ON_SITE, at=at
        )

    def resolved(self, **changes: Any) -> WorkOrder:
        order = self.on_site(**changes)
        return services.order_resolve(order=order, actor=self.p.u["engineer"])

    def report(self, order: WorkOrder, complete: bool = True) -> ServiceReport:
        report = services.report_start(order=order, actor=self.p.u["engineer"])
        if complete:
            report = services.report_update(report=report, actor=self.p.u["engineer"], fields=COMPLETE_REPORT)
        return report

    def signed(self, **changes: Any) -> ServiceReport:
        order = self.resolved(**changes)
        report = self.report(order)
        return services.report_sign(
            report=report,
            actor=self.p.u["engineer"],
            signed_by="刘工",
            signature=signature_png(),
            stamped=True,
        )

    def approved(self, **changes: Any) -> ServiceReport:
        report = self.signed(**changes)
        return services.report_approve(report=report, actor=self.p.u["regional"])


@pytest.fixture
def flow(people) -> Flow:
    return Flow(people)
