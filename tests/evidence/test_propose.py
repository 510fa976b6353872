"""SPEC §11: a month's recorded facts propose entries on the forms not scored yet, by the stable
codes of the pinned template; re-running is idempotent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from aftersales.evidence import services
from aftersales.evidence.models import Proposal, Source, Status
from aftersales.service import services as service_services
from aftersales.service.models import PhoneOffIncident
from tests.appraisal.helpers import advance
from tests.evidence.conftest import at, complaint, form_of, issued_part, phone_offs

pytestmark = pytest.mark.django_db


def propose(period, people, actor="hr"):
    return services.evidence_propose(period=period, actor=people.u[actor])


def proposals_of(period, username):
    return {p.source: p for p in form_of(period, username).evidence_proposals.all()}


def test_s11_verified_complaint_proposes_the_complaint_item_of_4_1(people, june):
    verified = complaint(people)
    complaint(people, founded=False)  # 不属实: no evidence
    complaint(people, service_responsibility=False)  # a product-quality complaint: not 态度/能力
    propose(june, people)
    proposal = proposals_of(june, "engineer")[Source.COMPLAINT]
    assert (proposal.section, proposal.value, proposal.deduction) == (
        "customer_communication",
        "verified_complaint",
        Decimal(10),
    )
    assert proposal.section_name == "用户交流" and proposal.status == Status.PROPOSED
    assert [(e["kind"], e["id"]) for e in proposal.evidence] == [("complaint", verified.pk)]
    assert proposal.evidence[0]["date"] == "2025-06-10"


def test_s11_the_regional_supervisors_form_4_2_takes_its_own_deduction(people, june):
    complaint(people, "regional")  # verified by the head, 陈刚's supervisor
    propose(june, people)
    assert proposals_of(june, "regional")[Source.COMPLAINT].deduction == Decimal(8)


@pytest.mark.parametrize(
    ("days", "item", "deduction"),
    [
        ([3, 12, 21], "phone_off_3plus", 5),
        ([3, 4, 5, 6], "phone_off_3plus", 5),
        ([7], "phone_off_occasional", 3),
    ],
)
def test_r2_3_phone_off_count_picks_the_item_of_the_exclusive_group(people, june, days, item, deduction):
    records = phone_offs(people, "engineer", days)
    propose(june, people)
    proposal = proposals_of(june, "engineer")[Source.PHONE_OFF]
    assert (proposal.section, proposal.value, proposal.deduction) == ("information_transfer", item, deduction)
    assert [e["id"] for e in proposal.evidence] == [r.pk for r in records]
    assert proposal.measured == str(len(days))


def test_r2_3_no_phone_off_proposes_nothing(people, june):
    phone_offs(people, "engineer2", [5])  # someone else's
    propose(june, people)
    assert Source.PHONE_OFF not in proposals_of(june, "engineer")


def test_r8_7_an_incident_phoned_in_late_proposes_the_major_incident_item(people, june):
    occurred = at(6, 9, 15)
    incident = service_services.incident_record(
        actor=people.u["engineer"],
        employee=people.e["engineer"],
        occurred_at=occurred,
        unit="车-1",
        site="北京",
        description="制动失灵",
    )
    service_services.incident_update(
        incident=incident, actor=people.u["engineer"], phoned_at=occurred + timedelta(hours=30)
    )
    propose(june, people)
    proposal = proposals_of(june, "engineer")[Source.INCIDENT]
    assert (proposal.section, proposal.value) == ("information_transfer", "incident_not_reported")
    assert proposal.evidence[0]["id"] == incident.pk and "24小时内未电话通知" in proposal.evidence[0]["label"]


def test_r9_3_open_warranty_items_past_the_deadline_propose_the_parts_items(people, june):
    requisition = issued_part(people)  # 20 May: 41 days open when June closes
    propose(june, people)
    found = proposals_of(june, "engineer")
    assert found[Source.PARTS_UNSETTLED].value == "parts_ledger_disorder"
    assert found[Source.OLD_PART_MISSING].value == "parts_database_misuse"
    assert {p.section for p in (found[Source.PARTS_UNSETTLED], found[Source.OLD_PART_MISSING])} == {
        "parts_management"
    }
    assert found[Source.OLD_PART_MISSING].evidence[0] == {
        "kind": "requisition",
        "id": requisition.pk,
        "label": found[Source.OLD_PART_MISSING].evidence[0]["label"],
        "date": "2025-05-20",
    }


def test_r9_3_a_part_issued_late_in_the_month_is_not_yet_overdue(people, june):
    issued_part(people, issued=at(6, 20))
    propose(june, people)
    assert not {Source.PARTS_UNSETTLED, Source.OLD_PART_MISSING} & set(proposals_of(june, "engineer"))


def test_r10_repair_kpis_propose_the_bands_of_4_3_with_the_jobs_as_evidence(people, june, june_repairs):
    jobs = june_repairs
    propose(june, people)
    zheng = proposals_of(june, "technician")
    seven, second = zheng[Source.SEVEN_DAY], zheng[Source.SECOND_REPAIR]
    # 1 of 2 jobs due in June on time → 50 % → the lowest band (R-2.4: −35, floored at 0)
    assert (seven.section, seven.value, seven.deduction) == ("seven_day_repair", "50", Decimal(35))
    assert [e["id"] for e in seven.evidence] == [jobs["a1"].pk, jobs["a2"].pk]
    assert "未在7日内完成" in seven.evidence[1]["label"]
    # his April unit came back in June; 1 / 2 completed → 50 % → 40 and above (−25)
    assert (second.section, second.value, second.deduction) == ("second_repair", "50", Decimal(25))
    assert {e["id"] for e in second.evidence} == {jobs["a0"].pk, jobs["a1"].pk, jobs["a2"].pk}
    feng = proposals_of(june, "technician2")
    assert (feng[Source.SEVEN_DAY].value, feng[Source.SEVEN_DAY].deduction) == ("100", Decimal(0))
    assert (feng[Source.SECOND_REPAIR].value, feng[Source.SECOND_REPAIR].deduction) == ("0", Decimal(0))


def test_r10_2_no_job_due_means_no_band_proposal_and_the_lead_is_not_measured(people, june):
    propose(june, people)
    assert proposals_of(june, "technician") == {}
    assert proposals_of(june, "repairlead") == {}


def test_4_5_response_times_propose_the_graded_band(people, june):
    fast = complaint(people, handler=people.e["support"])
    slow = complaint(people, handler=people.e["support"], received_at=at(6, 12))
    service_services.complaint_respond(
        complaint=fast, actor=people.u["dispatcher"], at=at(6, 10, 21)
    )  # 0.5 d
    service_services.complaint_respond(
        complaint=slow, actor=people.u["dispatcher"], at=at(6, 14, 21)
    )  # 2.5 d
    propose(june, people)
    proposal = proposals_of(june, "support")[Source.COMPLAINT_RESPONSE]
    # mean 1.5 days: 1 < t < 3 → the 6–8 band, proposed at its top
    assert proposal.section == "complaint_handling"
    assert proposal.value == {"item": "within_3_days", "score": "8", "days": "1.5"}
    assert proposal.deduction is None
    assert [(e["kind"], e["id"]) for e in proposal.evidence] == [
        ("complaint", fast.pk),
        ("complaint", slow.pk),
    ]


def test_scored_forms_get_no_proposals(people, june):
    advance(form_of(june, "engineer"), "scored")
    complaint(people)
    result = propose(june, people)
    assert proposals_of(june, "engineer") == {}
    assert result.appraisals == june.appraisals.filter(state__in=services.OPEN_STATES).count()


def test_s11_propose_is_idempotent(people, june, june_repairs):
    complaint(people)
    phone_offs(people, "engineer", [2])
    first = propose(june, people)
    rows = {p.pk: p.history.count() for p in Proposal.objects.filter(appraisal__period=june)}
    again = propose(june, people)
    assert first.created == 6 and (again.created, again.refreshed, again.withdrawn) == (0, 0, 0)
    assert {p.pk: p.history.count() for p in Proposal.objects.filter(appraisal__period=june)} == rows


def test_s11_a_rerun_refreshes_open_proposals_and_withdraws_those_without_facts(people, june):
    phone_offs(people, "engineer", [2, 3])
    propose(june, people)
    phone_offs(people, "engineer", [4])  # the third incident of the month
    result = propose(june, people)
    proposal = proposals_of(june, "engineer")[Source.PHONE_OFF]
    assert result.refreshed == 1 and proposal.value == "phone_off_3plus" and len(proposal.evidence) == 3
    PhoneOffIncident.objects.filter(employee=people.e["engineer"]).delete()  # recorded in error
    assert propose(june, people).withdrawn == 1
    assert Source.PHONE_OFF not in proposals_of(june, "engineer")


def test_s11_a_decided_proposal_is_not_proposed_again(people, june):
    phone_offs(people, "engineer", [2])
    propose(june, people)
    services.proposal_reject(
        proposal=proposals_of(june, "engineer")[Source.PHONE_OFF], actor=people.u["regional"], reason="请假"
    )
    assert propose(june, people).created == 0
    phone_offs(people, "engineer", [3, 4])  # new facts pick another item: a new proposal
    assert propose(june, people).created == 1
    statuses = sorted(form_of(june, "engineer").evidence_proposals.values_list("value", "status"))
    assert statuses == [("phone_off_3plus", "proposed"), ("phone_off_occasional", "rejected")]


def test_a_supervisor_proposes_for_their_own_employees_only(people, june):
    complaint(people)
    complaint(people, "engineer2")
    phone_offs(people, "technician", [3])
    result = propose(june, people, actor="regional")
    assert result.appraisals == 3  # 赵磊, 孙涛, 周鹏
    assert (
        Proposal.objects.filter(
            appraisal__period=june, appraisal__employee__supervisor=people.e["regional"]
        ).count()
        == 2
    )
    assert (
        not Proposal.objects.filter(appraisal__period=june)
        .exclude(appraisal__employee__supervisor=people.e["regional"])
        .exists()
    )


def test_employees_without_reports_may_not_propose(people, june):
    for name in ("engineer", "outsider", "dispatcher"):
        with pytest.raises(PermissionDenied):
            propose(june, people, actor=name)
