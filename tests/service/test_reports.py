"""Service reports (R-8.4): signed only when complete, locked once signed, corrected by revision."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aftersales.service import selectors, services
from aftersales.service.demo import signature_png
from aftersales.service.models import OrderStatus, ServiceReport
from tests.service.conftest import COMPLETE_REPORT

pytestmark = pytest.mark.django_db


def test_r8_4_signing_an_unfinished_report_is_refused(flow, people):
    report = flow.report(flow.resolved(), complete=False)
    with pytest.raises(ValidationError) as refused:
        services.report_sign(
            report=report,
            actor=people.u["engineer"],
            signed_by="刘工",
            signature=signature_png(),
            stamped=True,
        )
    assert "不能请用户签字" in refused.value.messages[0]
    assert "故障原因(查)" in refused.value.messages[0]  # it names what is missing
    report.refresh_from_db()
    assert not report.is_signed


def test_r8_4_a_part_line_without_a_reason_keeps_the_report_unfinished(flow, people):
    report = flow.report(flow.resolved())
    services.report_update(
        report=report,
        actor=people.u["engineer"],
        fields={},
        part_lines=[{"part": "JC-220 接触器", "quantity": 1, "reason": "", "warranty": True}],
    )
    with pytest.raises(ValidationError):
        services.report_sign(
            report=report,
            actor=people.u["engineer"],
            signed_by="刘工",
            signature=signature_png(),
            stamped=False,
        )


def test_r8_4_signing_a_complete_report_moves_the_resolved_order_on(flow, people):
    report = flow.signed()
    assert report.is_signed and report.signed_by == "刘工" and report.stamped
    report.order.refresh_from_db()
    assert report.order.status == OrderStatus.REPORT_SIGNED


def test_r8_4_a_signed_report_is_locked(flow, people):
    report = flow.signed()
    with pytest.raises(ValidationError):
        services.report_update(report=report, actor=people.u["engineer"], fields={"handling": "改写"})
    with pytest.raises(ValidationError):
        services.report_sign(
            report=report,
            actor=people.u["engineer"],
            signed_by="别人",
            signature=signature_png(),
            stamped=False,
        )
    report.refresh_from_db()
    assert report.handling == COMPLETE_REPORT["handling"]


def test_r8_4_a_correction_is_a_new_revision_that_keeps_the_old(flow, people):
    old = flow.approved()
    with pytest.raises(ValidationError):
        services.report_revise(report=old, actor=people.u["engineer"], reason="")
    new = services.report_revise(report=old, actor=people.u["engineer"], reason="里程填错")
    old.refresh_from_db()
    assert (old.is_current, old.is_signed, old.is_approved) == (False, True, True)
    assert (new.is_current, new.is_signed, new.revision, new.previous) == (True, False, 2, old)
    assert new.revision_reason == "里程填错" and new.handling == old.handling
    new.order.refresh_from_db()
    assert new.order.status == OrderStatus.RESOLVED  # to be signed and approved again
    services.report_update(report=new, actor=people.u["engineer"], fields={"mileage": 125500})
    with pytest.raises(ValidationError):  # the old revision stays as it was
        services.report_update(report=old, actor=people.u["engineer"], fields={"mileage": 1})
    assert ServiceReport.objects.filter(order=old.order).count() == 2


def test_r8_4_an_unsigned_report_needs_no_revision(flow, people):
    report = flow.report(flow.resolved())
    with pytest.raises(ValidationError):
        services.report_revise(report=report, actor=people.u["engineer"], reason="x")


def test_r8_4_the_leader_approves_and_the_order_closes(flow, people):
    report = flow.signed()
    for name in ("engineer", "engineer2", "dispatcher", "hr", "outsider"):
        with pytest.raises(PermissionDenied):
            services.report_approve(report=report, actor=people.u[name])
    approved = services.report_approve(report=report, actor=people.u["regional"])
    assert approved.is_approved and approved.approved_by == people.u["regional"]
    approved.order.refresh_from_db()
    assert approved.order.status == OrderStatus.CLOSED
    with pytest.raises(ValidationError):
        services.report_approve(report=approved, actor=people.u["head"])


def test_r8_4_an_unsigned_report_cannot_be_approved(flow, people):
    report = flow.report(flow.resolved())
    with pytest.raises(ValidationError):
        services.report_approve(report=report, actor=people.u["head"])


def test_r8_4_a_report_only_after_arrival_and_only_by_the_engineers_sent(flow, people):
    with pytest.raises(ValidationError):
        services.report_start(order=flow.dispatched(), actor=people.u["engineer"])
    with pytest.raises(PermissionDenied):
        services.report_start(order=flow.on_site(), actor=people.u["engineer2"])


def test_r8_4_one_report_per_visit(flow, people):
    order = flow.on_site()
    first = flow.report(order)
    second = flow.report(order)
    assert (first.visit, second.visit) == (1, 2)
    services.report_sign(
        report=first, actor=people.u["engineer"], signed_by="刘工", signature=signature_png(), stamped=False
    )
    order = services.order_resolve(order=order, actor=people.u["engineer"])
    assert order.status == OrderStatus.RESOLVED  # the second visit's report is not signed yet
    services.report_sign(
        report=second, actor=people.u["engineer"], signed_by="刘工", signature=signature_png(), stamped=False
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.REPORT_SIGNED


def test_final_reports_are_current_signed_and_approved(flow, people):
    """What the parts area writes warranty parts off against (R-9.2)."""
    approved = flow.approved()
    signed_only = flow.signed()
    revised_away = flow.approved()
    services.report_revise(report=revised_away, actor=people.u["engineer"], reason="更正")
    final = set(selectors.final_reports().values_list("pk", flat=True))
    assert approved.pk in final
    assert signed_only.pk not in final and revised_away.pk not in final
