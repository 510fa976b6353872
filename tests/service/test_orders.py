"""Work orders (R-8.3) and their response deadlines (R-8.2)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aftersales.core.sla import Milestone
from aftersales.service import services
from aftersales.service.models import OrderEvent, OrderStatus
from tests.service.conftest import HOUR, order_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fault", "distance", "supplier", "milestone", "hours"),
    [
        ("body", "100", False, "on_site", 24),
        ("body", "101", False, "reply", 12),
        ("body", "10", True, "reply", 12),
        ("chassis_engine", None, False, "written_contact", 12),
        ("other", None, False, "reply", 12),
    ],
)
def test_r8_2_deadline_is_fixed_on_receipt(flow, fault, distance, supplier, milestone, hours):
    received = timezone.now() - 3 * HOUR
    order = flow.receive(
        fault=fault,
        distance_km=Decimal(distance) if distance else None,
        needs_supplier=supplier,
        received_at=received,
    )
    order.refresh_from_db()
    assert (order.required_milestone, order.deadline) == (milestone, received + hours * HOUR)
    assert order.status == OrderStatus.RECEIVED
    assert order.number.startswith(f"GD{timezone.localdate().year}")


def test_r8_2_a_near_body_fault_without_distance_is_refused(flow):
    with pytest.raises(ValidationError):
        flow.receive(fault="body", distance_km=None)


def test_r8_2_met_verdict_follows_the_required_milestone(flow, people):
    received = timezone.now() - 30 * HOUR
    late = flow.dispatched(received_at=received)  # on site within 24 h
    late = services.order_record_milestone(
        order=late, actor=people.u["engineer"], milestone=Milestone.ON_SITE, at=received + 25 * HOUR
    )
    assert late.deadline_state() == "late"
    in_time = flow.dispatched(received_at=received)
    in_time = services.order_record_milestone(
        order=in_time, actor=people.u["engineer"], milestone=Milestone.ON_SITE, at=received + 24 * HOUR
    )
    assert in_time.deadline_state() == "met"
    assert flow.dispatched(received_at=received).deadline_state() == "overdue"


def test_r8_3_status_runs_received_to_resolved_with_events(flow, people):
    order = flow.dispatched(fault="other", distance_km=None)
    assert order.status == OrderStatus.DISPATCHED
    order = services.order_record_milestone(
        order=order, actor=people.u["engineer"], milestone=Milestone.REPLY
    )
    assert order.status == OrderStatus.REPLIED
    order = services.order_record_milestone(
        order=order, actor=people.u["engineer"], milestone=Milestone.ON_SITE
    )
    assert order.status == OrderStatus.ON_SITE
    order = services.order_resolve(order=order, actor=people.u["engineer"])
    assert order.status == OrderStatus.RESOLVED
    kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", flat=True))
    assert kinds == ["received", "dispatched", "reply", "on_site", "resolved"]


def test_r8_3_two_engineers_need_one_in_charge(flow, people):
    order = flow.receive()
    pair = [people.e["engineer"], people.e["engineer2"]]
    with pytest.raises(ValidationError):
        services.order_dispatch(order=order, actor=people.u["dispatcher"], engineers=pair)
    order = services.order_dispatch(
        order=order,
        actor=people.u["dispatcher"],
        engineers=pair,
        in_charge=pair[1],
        travel_advance=Decimal("1500.50"),
    )
    assert order.lead() == pair[1]
    assert order.travel_advance == Decimal("1500.50")
    assert order.region == pair[1].region  # the order takes the region of the engineer in charge


def test_r8_3_only_dispatchers_and_heads_receive_and_dispatch(flow, people):
    for name in ("engineer", "regional", "hr", "outsider"):
        with pytest.raises(PermissionDenied):
            services.order_receive(request=order_request(), actor=people.u[name])
    order = flow.receive()
    with pytest.raises(PermissionDenied):
        services.order_dispatch(order=order, actor=people.u["engineer"], engineers=[people.e["engineer"]])
    order = services.order_dispatch(order=order, actor=people.u["head"], engineers=[people.e["engineer"]])
    assert order.status == OrderStatus.DISPATCHED


def test_r8_3_milestones_are_recorded_once_and_never_in_the_future(flow, people):
    order = flow.dispatched()
    with pytest.raises(ValidationError):
        services.order_record_milestone(
            order=order,
            actor=people.u["engineer"],
            milestone=Milestone.ON_SITE,
            at=timezone.now() + timedelta(hours=1),
        )
    with pytest.raises(ValidationError):  # before the order was received
        services.order_record_milestone(
            order=order, actor=people.u["engineer"], milestone=Milestone.ON_SITE, at=order.received_at - HOUR
        )
    services.order_record_milestone(order=order, actor=people.u["engineer"], milestone=Milestone.ON_SITE)
    with pytest.raises(ValidationError):
        services.order_record_milestone(order=order, actor=people.u["engineer"], milestone=Milestone.ON_SITE)


def test_r8_3_an_engineer_not_sent_cannot_record_milestones(flow, people):
    order = flow.dispatched("engineer2")
    with pytest.raises(PermissionDenied):
        services.order_record_milestone(order=order, actor=people.u["engineer"], milestone=Milestone.ON_SITE)


def test_r8_3_cancel_needs_a_reason_and_only_before_arrival(flow, people):
    order = flow.dispatched()
    with pytest.raises(ValidationError):
        services.order_cancel(order=order, actor=people.u["dispatcher"], reason=" ")
    cancelled = services.order_cancel(order=order, actor=people.u["dispatcher"], reason="用户自行修复")
    assert cancelled.status == OrderStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.order_cancel(order=flow.on_site(), actor=people.u["dispatcher"], reason="x")
