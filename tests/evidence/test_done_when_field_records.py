"""Issue 13, Done when: "a month of demo data shows proposals on every kind of item" (SPEC §11).

The demo's last month (service.demo.load_field_records_demo, evidence.demo): every source of a record
proposes on an open form — deduction items, the exclusive phone-off group, the repair bands and the
graded daily work of form 4.5. The warranty-part sources are the exception: the demo's open warranty
item of 孙涛 is younger than the 30-day return deadline at the month's end (tests/evidence/test_propose.py
covers them).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.core.periods import Month
from aftersales.evidence.models import Proposal, Source

pytestmark = pytest.mark.django_db

NOT_IN_THE_DEMO = {Source.PARTS_UNSETTLED, Source.OLD_PART_MISSING}


def _demo_month_proposals():
    month = Month.of(timezone.localdate()).shift(-1)
    return Proposal.objects.filter(
        appraisal__period__year=month.year, appraisal__period__month=month.month
    ).select_related("appraisal__employee")


def test_done_when_the_demo_month_has_a_proposal_from_every_source(demo):
    sources = {p.source for p in _demo_month_proposals()}
    assert set(Source.values) - NOT_IN_THE_DEMO <= sources, set(Source.values) - NOT_IN_THE_DEMO - sources


def test_done_when_every_form_of_the_scheme_gets_proposals_and_every_section_kind(demo):
    proposals = list(_demo_month_proposals())
    forms = {p.appraisal.employee.category for p in proposals}
    assert forms == {"field_service", "regional_supervisor", "repair", "tech_improvement", "tech_support"}
    graded = [p for p in proposals if isinstance(p.value, dict)]
    assert {p.section for p in graded} == {
        "complaint_handling",
        "website_maintenance",
        "document_maintenance",
    }


def test_done_when_the_supervisor_opens_each_record_behind_a_proposal(client, demo):
    """陈刚 sees 孙涛's proposals with links to the field records behind them."""
    from django.contrib.auth import get_user_model

    sun_tao = [p for p in _demo_month_proposals() if p.appraisal.employee.user.username == "engineer2"]
    client.force_login(get_user_model().objects.get(username="regional"))
    html = client.get(reverse("appraisal:detail", args=[sun_tao[0].appraisal_id])).content.decode()
    for kind in ("attendance", "escalations", "paid-services", "routine-reports", "market-info"):
        url = reverse("service:record-list", kwargs={"kind": kind})
        assert url in html, kind
        assert client.get(url).status_code == 200
