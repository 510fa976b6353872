"""Separation of duties (R-4.1 applied to service reports, R-8.4): nobody approves a report of their
own work — its engineer (who wrote it), or any engineer sent on its order (each of them may fill it
in) — even as the engineer's leader. Another leader approves it.

Dispatching is not restricted: sending oneself on an order assigns work, it decides nothing about a
record of oneself; the report that comes of it is approved by someone else (below)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from aftersales.core.sla import Milestone
from aftersales.service import services
from aftersales.service.demo import signature_png
from aftersales.service.models import OrderStatus
from tests.service.conftest import COMPLETE_REPORT

pytestmark = pytest.mark.django_db


def _signed_report(flow, people, *engineers: str):
    """An order the dispatcher sends ``engineers`` on; the first writes the report, the customer signs."""
    writer = people.u[engineers[0]]
    order = flow.dispatched(*engineers)
    services.order_record_milestone(order=order, actor=writer, milestone=Milestone.ON_SITE)
    order = services.order_resolve(order=order, actor=writer)
    report = services.report_start(order=order, actor=writer)
    report = services.report_update(report=report, actor=writer, fields=COMPLETE_REPORT)
    return services.report_sign(
        report=report, actor=writer, signed_by="刘工", signature=signature_png(), stamped=True
    )


def _refused_everywhere(client, people, report, name: str) -> None:
    """The action, the page (no button, 403 on POST) and the API all refuse ``name``."""
    with pytest.raises(PermissionDenied, match="本人"):
        services.report_approve(report=report, actor=people.u[name])
    client.force_login(people.u[name])
    page = client.get(reverse("service:report-detail", args=[report.pk]))
    assert page.status_code == 200 and 'id="approve-report"' not in page.content.decode()
    assert client.post(reverse("service:report-approve", args=[report.pk])).status_code == 403
    api = APIClient()
    api.force_authenticate(people.u[name])
    url = reverse("api-service:report-action", args=[report.pk, "approve"])
    assert api.post(url, {}, format="json").status_code in (403, 404)
    report.refresh_from_db()
    assert not report.is_approved


def test_a_supervisor_does_not_approve_the_report_he_wrote(client, flow, people):
    """R-4.1: 陈刚 approves his engineers' reports, not his own; the head approves it."""
    report = _signed_report(flow, people, "regional")
    _refused_everywhere(client, people, report, "regional")
    approved = services.report_approve(report=report, actor=people.u["head"])
    assert approved.approved_by == people.u["head"]
    approved.order.refresh_from_db()
    assert approved.order.status == OrderStatus.CLOSED


def test_a_supervisor_sent_with_his_engineer_does_not_approve_their_report(client, flow, people):
    """R-4.1: 陈刚 went with 赵磊 and could fill in 赵磊's report — he does not approve it either."""
    report = _signed_report(flow, people, "engineer", "regional")
    assert report.engineer == people.e["engineer"]
    _refused_everywhere(client, people, report, "regional")
    client.force_login(people.u["head"])
    assert (
        'id="approve-report"'
        in client.get(reverse("service:report-detail", args=[report.pk])).content.decode()
    )
    client.post(reverse("service:report-approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.approved_by == people.u["head"]


def test_the_supervisor_still_approves_a_report_of_work_he_was_not_sent_on(flow, people):
    """R-8.4 unchanged: the leader approves the reports of the engineers he leads."""
    report = _signed_report(flow, people, "engineer")
    assert services.report_approve(report=report, actor=people.u["regional"]).is_approved
