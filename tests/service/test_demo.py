"""The service demo: a month of orders with evidence for the appraisals, loaded once."""

import pytest
from django.utils import timezone

from aftersales.core.periods import Month
from aftersales.demo import load_demo
from aftersales.organisation.models import Employee
from aftersales.service import selectors
from aftersales.service.models import Complaint, OrderStatus, ServiceReport, WorkOrder

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(demo):
    counts = (WorkOrder.objects.count(), ServiceReport.objects.count(), Complaint.objects.count())
    load_demo()
    assert (WorkOrder.objects.count(), ServiceReport.objects.count(), Complaint.objects.count()) == counts


def test_demo_gives_last_months_evidence_against_zhao_lei(demo):
    month = Month.of(timezone.localdate()).shift(-1)
    zhao = Employee.objects.get(user__username="engineer")
    assert len(selectors.complaints_for(zhao, month.year, month.month)) == 1
    assert len(selectors.late_incidents_for(zhao, month.year, month.month)) == 1
    assert selectors.phone_off_count(zhao, month.year, month.month).count == 3
    support = Employee.objects.get(user__username="support")
    assert selectors.complaint_response_days(support, month.year, month.month)


def test_demo_month_has_late_orders_and_closed_reports(demo):
    month = Month.of(timezone.localdate()).shift(-1)
    head = Employee.objects.get(user__username="head").user
    table = selectors.service_kpis(head, month)
    assert table.total.timeliness is not None and table.total.timeliness < 90  # some orders were late
    assert WorkOrder.objects.filter(status=OrderStatus.CLOSED, received_at__gte=month.start).count() == 10
    assert selectors.overdue_orders(head).exists() and selectors.due_soon_orders(head).exists()
