"""SPEC §11 with the field evidence: the customer's own complaint (from the confirmation page) proposes
the 用户交流 item with the customer's answer as evidence, and the engineer's form — where appeals are
filed and decided — shows the month's drawn signatures, photos, check-ins and customer answers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aftersales.appraisal import services as appraisal_services
from aftersales.evidence import services
from aftersales.evidence.models import Source
from aftersales.organisation.models import Department
from aftersales.service import field
from aftersales.service import services as service
from aftersales.service.demo import signature_png
from aftersales.service.field import Fix
from aftersales.service.models import Complaint, CustomerConfirmation, Position
from tests.evidence.conftest import form_of
from tests.service.conftest import COMPLETE_REPORT, order_request
from tests.service.test_field_evidence import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_month(people):
    today = timezone.localdate()
    return appraisal_services.period_open(
        actor=people.u["hr"], department=Department.objects.get(code="as"), year=today.year, month=today.month
    )


def _signed_report(people):
    """赵磊 checks in far from the site, takes a photo, completes the report; the customer signs."""
    engineer = people.u["engineer"]
    site = {"site_latitude": Decimal("39.9088"), "site_longitude": Decimal("116.3974")}
    order = service.order_receive(request=order_request(**site), actor=people.u["dispatcher"])
    order = service.order_dispatch(
        order=order, actor=people.u["dispatcher"], engineers=[people.e["engineer"]]
    )
    far = Fix(Position.GRANTED, Decimal("40.1"), Decimal("116.6"), 30)
    service.order_check_in(order=order, actor=engineer, fix=far)
    service.photos_add(
        actor=engineer,
        kind="fault",
        uploads=[service.Upload("fault.png", "", png())],
        target=service.PhotoTarget(order=order),
    )
    order = service.order_resolve(order=order, actor=engineer)
    report = service.report_start(order=order, actor=engineer)
    report = service.report_update(report=report, actor=engineer, fields=COMPLETE_REPORT)
    return service.report_sign(report=report, actor=engineer, signed_by="王师傅", signature=signature_png())


def test_s11_the_customers_own_complaint_proposes_the_item_with_the_answer_as_evidence(people, this_month):
    report = _signed_report(people)
    token = field.token_for(CustomerConfirmation.objects.get(report=report).nonce)
    answer = service.CustomerAnswer(confirmed=False, score=1, complaint="工程师没有修好就走了")
    service.confirmation_answer(token=token, answer=answer)
    complaint = Complaint.objects.get(order=report.order)
    service.complaint_verify(complaint=complaint, actor=people.u["regional"], founded=True, note="回访属实")
    services.evidence_propose(period=this_month, actor=people.u["hr"])
    proposal = form_of(this_month, "engineer").evidence_proposals.get(source=Source.COMPLAINT)
    records = {(e["kind"], e["id"]) for e in proposal.evidence}
    assert {("complaint", complaint.pk), ("service_report", report.pk)} <= records
    label = next(e["label"] for e in proposal.evidence if e["kind"] == "service_report")
    assert "1/5" in label


def test_s11_the_engineers_form_shows_the_field_evidence_of_the_month(people, this_month):
    report = _signed_report(people)
    token = field.token_for(CustomerConfirmation.objects.get(report=report).nonce)
    service.confirmation_answer(token=token, answer=service.CustomerAnswer(confirmed=True, score=4))
    form = form_of(this_month, "engineer")
    for viewer in ("engineer", "regional", "hr"):  # the appraised, his supervisor, HR (who decides appeals)
        client = Client()
        client.force_login(people.u[viewer])
        html = client.get(reverse("appraisal:detail", args=[form.pk])).content.decode()
        assert 'id="field-evidence"' in html and f'data-report="{report.pk}"' in html
        assert 'data-score="4"' in html and "距现场过远" in html and "1 张照片" in html
