"""Issue 5, Done when: "A month of demo repairs produces the KPIs and the band deductions on the
repair technicians' forms, with the evidence visible to the technician." (SPEC §11, R-10.2, R-10.3,
R-2.2)

The demo's last month: 郑浩 91.67 % on time (−5), one unit back (8.33 %, −0). His form is a draft;
冯军's form was already scored by the appraisal demo, so no proposal applies to it (§11: proposals
fill forms the supervisor has not scored yet).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.appraisal.models import Appraisal
from aftersales.core.periods import Month
from aftersales.evidence import services
from aftersales.evidence.models import Proposal, Source, Status
from aftersales.repair.selectors import repair_kpis_for

pytestmark = pytest.mark.django_db


def demo_form(username: str) -> Appraisal:
    month = Month.of(timezone.localdate()).shift(-1)
    return Appraisal.objects.select_related("employee__supervisor__user", "period").get(
        period__department__code="as",
        period__year=month.year,
        period__month=month.month,
        employee__user__username=username,
        is_current=True,
    )


@pytest.fixture
def before_evidence(demo):
    """The demo month as the repair, service and appraisal demos leave it: no proposals yet."""
    form = demo_form("technician")
    Proposal.objects.filter(appraisal=form).delete()
    Appraisal.objects.filter(pk=form.pk).update(entries={})
    form.refresh_from_db()
    return form


def test_done_when_a_month_of_demo_repairs_gives_band_deductions_with_evidence(client, before_evidence):
    form = before_evidence
    lead = form.employee.supervisor.user
    kpis = repair_kpis_for(form.employee, form.period.year, form.period.month)
    assert (round(kpis.seven_day_rate, 2), kpis.seven_day_band.deduction) == (Decimal("91.67"), Decimal(5))

    services.evidence_propose(period=form.period, actor=lead)
    proposals = {p.source: p for p in form.evidence_proposals.filter(status=Status.PROPOSED)}
    seven, second = proposals[Source.SEVEN_DAY], proposals[Source.SECOND_REPAIR]
    assert (seven.value, seven.deduction) == ("91.67", Decimal(5))
    assert (second.value, second.deduction) == ("8.33", Decimal(0))
    assert {e["id"] for e in seven.evidence} == set(kpis.seven_day_jobs)
    assert {e["id"] for e in second.evidence} == set(kpis.returned_jobs) | set(kpis.completed_jobs)

    for proposal in (seven, second):
        services.proposal_accept(proposal=proposal, actor=lead)
    form.refresh_from_db()
    assert form.entries == {"seven_day_repair": "91.67", "second_repair": "8.33"}

    client.force_login(form.employee.user)  # the technician 郑浩
    html = client.get(reverse("appraisal:detail", args=[form.pk])).content.decode()
    assert 'name="seven_day_repair" id="seven_day_repair-rate" value="91.67"' in html
    assert f'id="evidence-{seven.pk}" data-section="seven_day_repair" data-status="accepted"' in html
    assert "完成90%-100%" in html and "−5" in html
    for job_id in kpis.seven_day_jobs:
        assert reverse("repair:job-detail", args=[job_id]) in html
    late = [job for job in seven.evidence if "未在7日内完成" in job["label"]]
    assert len(late) == 1 and late[0]["label"] in html
    # and the job behind a figure opens for him
    assert client.get(reverse("repair:job-detail", args=[late[0]["id"]])).status_code == 200


def test_the_demo_loader_did_the_same(demo):
    form = demo_form("technician")
    accepted = {p.source: p.value for p in form.evidence_proposals.filter(status=Status.ACCEPTED)}
    assert accepted == {Source.SEVEN_DAY: "91.67", Source.SECOND_REPAIR: "8.33"}
    assert form.entries == {"seven_day_repair": "91.67", "second_repair": "8.33"}
    assert not demo_form("technician2").evidence_proposals.exists()  # scored before the evidence step
    sun = demo_form("engineer2")  # returned by the head: the accepted complaint re-scored it
    assert sun.evidence_proposals.get(source=Source.COMPLAINT).status == Status.ACCEPTED
    assert "verified_complaint" in sun.entries["customer_communication"]
