"""SPEC §11 with the field records (issue 13 item 2): attendance, escalations, written complaints,
routine reports, market information, paid services (§3.3.4), expense claims (§3.4.3), late
escalations (§3.4.2), the regional supervisor's region (form 4.2) and the filing of calls (4.5 资料维护).

June 2025 (tests/evidence/conftest.py); the field records are made through their actions, dated in
the past as a leader or an engineer records them after the fact.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from aftersales.evidence import services
from aftersales.evidence.models import Source
from aftersales.service import record_services as acts
from aftersales.service import services as service_services
from aftersales.service.models import Channel, ReportVerdict
from tests.evidence.conftest import at, complaint, form_of

pytestmark = pytest.mark.django_db


def propose(period, people):
    return services.evidence_propose(period=period, actor=people.u["hr"], now=at(7, 20))


def proposals_of(period, username):
    return {p.source: p for p in form_of(period, username).evidence_proposals.all()}


def attendance(people, who, kind, day=date(2025, 6, 9), by=None):
    by = by or people.e[who].supervisor.user
    return acts.attendance_record(actor=by, employee=people.e[who], date=day, kind=kind, note="")


def test_leaving_the_post_proposes_leave_post_on_4_1_and_4_3(people, june):
    attendance(people, "engineer", "left_post")
    attendance(people, "technician", "left_post")
    propose(june, people)
    field = proposals_of(june, "engineer")[Source.LEFT_POST]
    assert (field.section, field.value, field.deduction) == ("work_arrangement", "leave_post", Decimal(25))
    repair = proposals_of(june, "technician")[Source.LEFT_POST]
    assert (repair.section, repair.value, repair.deduction) == ("work_discipline", "leave_post", Decimal(5))
    assert repair.evidence[0]["kind"] == "attendance"


def test_lateness_lands_on_the_repair_form_only(people, june):
    """存在迟到,早退,旷工,电话闲聊现象 is an item of 4.3/4.4, not of 4.1."""
    attendance(people, "technician", "late")
    attendance(people, "engineer", "late")
    propose(june, people)
    assert proposals_of(june, "technician")[Source.LATENESS].value == "lateness_absence"
    assert Source.LATENESS not in proposals_of(june, "engineer")


def _escalate(people, who="engineer", *, hours=2, support=False, order=None, reported=None):
    reported = reported or at(6, 12, 10)
    return acts.escalation_report(
        actor=people.u[who],
        found_at=reported - timedelta(hours=hours),
        reported_at=reported,
        problem="批量故障",
        proposal="更换",
        support_needed=support,
        order=order,
    )


def test_an_escalation_asking_for_support_proposes_fault_needs_support(people, june):
    _escalate(people, support=True)
    propose(june, people)
    proposal = proposals_of(june, "engineer")[Source.SUPPORT_NEEDED]
    assert (proposal.section, proposal.value) == ("fault_handling", "fault_needs_support")
    assert Source.ESCALATION_LATE not in proposals_of(june, "engineer")  # reported within 24 h


def test_a_late_escalation_breaks_the_centre_rules_and_shows_in_the_supervisors_region(people, june):
    _escalate(people, hours=30)
    propose(june, people)
    assert proposals_of(june, "engineer")[Source.ESCALATION_LATE].value == "centre_rules_breach"
    region = proposals_of(june, "regional")[Source.REGION_UNREPORTED]
    assert region.value == "attendance_concealment" and region.evidence[0]["kind"] == "escalation"


def test_a_written_quality_complaint_not_escalated_before_is_proposed(people, june):
    complaint(people, written=True, service_responsibility=False)
    propose(june, people)
    proposal = proposals_of(june, "engineer")[Source.WRITTEN_COMPLAINT]
    assert proposal.value == "written_complaint_uncommunicated"


def test_a_written_quality_complaint_after_an_escalation_is_not_proposed(people, june):
    _escalate(people, reported=at(6, 5))
    complaint(people, written=True, service_responsibility=False)  # 10 June: 5 days after
    propose(june, people)
    assert Source.WRITTEN_COMPLAINT not in proposals_of(june, "engineer")


def _report(people, who, kind, submitted, year=2025, month=5):
    return acts.routine_report_submit(
        actor=people.u[who], kind=kind, year=year, month=month, content="月报", submitted_on=submitted
    )


def test_routine_reports_due_in_the_month_missing_or_late_are_proposed(people, june):
    """May's reports fall due on 5 June: the service monthly report came on the 8th, the quality
    notice never; the regional supervisor handed both in on time (decision: due the 5th of M+1)."""
    late = _report(people, "engineer", "service_monthly", date(2025, 6, 8))
    assert late.due_on == date(2025, 6, 5) and late.is_late
    for kind in ("service_monthly", "quality_notice"):
        _report(people, "regional", kind, date(2025, 6, 4))
    propose(june, people)
    proposal = proposals_of(june, "engineer")[Source.ROUTINE_REPORTS]
    assert (proposal.value, proposal.measured) == ("routine_reports_late", "2")
    assert {e["kind"] for e in proposal.evidence} == {"routine_report", "routine_report_missing"}
    assert Source.ROUTINE_REPORTS not in proposals_of(june, "regional")


def test_an_unqualified_regional_summary_is_proposed_on_4_2(people, june):
    summary = _report(people, "regional", "region_monthly", date(2025, 6, 3))
    acts.routine_report_review(
        report=summary, actor=people.u["head"], verdict=ReportVerdict.UNQUALIFIED, note="格式"
    )
    propose(june, people)
    assert proposals_of(june, "regional")[Source.REGION_SUMMARY].value == "region_summary_late"


def test_too_few_customer_visits_and_no_market_information_are_proposed(people, june):
    acts.customer_visit_record(
        actor=people.u["regional"], date=date(2025, 6, 3), customer="天津公交", content="回访"
    )
    acts.market_info_record(
        actor=people.u["regional"], date=date(2025, 6, 3), kind="competitor", subject="新车", content="降价"
    )
    propose(june, people)
    regional = proposals_of(june, "regional")
    visits = regional[Source.CUSTOMER_VISITS]
    assert (visits.value, visits.measured) == ("customer_visits_lacking", "1")  # 1 of 2
    assert [e["kind"] for e in visits.evidence] == ["customer_visit_summary", "customer_visit"]
    assert Source.MARKET_INFO not in regional  # one is enough
    assert proposals_of(june, "engineer")[Source.MARKET_INFO].value == "market_info_weak"


def test_paid_service_without_approval_or_money_is_proposed_s3_3_4(people, june):
    ok = acts.paid_service_record(
        actor=people.u["engineer"],
        customer="A",
        content="清洗",
        amount=Decimal("100"),
        charged_on=date(2025, 6, 10),
    )
    acts.paid_service_approve(record=ok, actor=people.u["regional"], day=date(2025, 6, 9))
    acts.paid_service_hand_in(
        record=ok, actor=people.u["regional"], amount=Decimal("100"), day=date(2025, 6, 12)
    )
    bad = acts.paid_service_record(
        actor=people.u["engineer"],
        customer="B",
        content="清洗",
        amount=Decimal("200"),
        charged_on=date(2025, 6, 11),
    )
    propose(june, people)
    proposal = proposals_of(june, "engineer")[Source.PAID_SERVICE]
    assert proposal.value == "centre_rules_breach"
    assert [e["id"] for e in proposal.evidence] == [bad.pk]


def test_an_expense_claim_after_its_deadline_is_proposed_s3_4_3(people, june):
    acts.expense_claim_submit(
        actor=people.u["engineer"],
        amount=Decimal("300"),
        advance=Decimal("500"),
        returned_on=date(2025, 6, 1),
        submitted_on=date(2025, 6, 20),
    )
    acts.expense_claim_submit(
        actor=people.u["engineer2"],
        amount=Decimal("300"),
        returned_on=date(2025, 6, 1),
        submitted_on=date(2025, 6, 5),
    )
    propose(june, people)
    assert proposals_of(june, "engineer")[Source.EXPENSE_CLAIM].value == "centre_rules_breach"
    assert Source.EXPENSE_CLAIM not in proposals_of(june, "engineer2")


def test_two_verified_complaints_in_the_region_propose_region_disorder(people, june):
    complaint(people, "engineer")
    propose(june, people)
    assert Source.REGION_COMPLAINTS not in proposals_of(june, "regional")  # one is not 屡屡
    complaint(people, "engineer2", received_at=at(6, 11))
    propose(june, people)
    assert proposals_of(june, "regional")[Source.REGION_COMPLAINTS].value == "region_disorder"


def test_attendance_the_supervisor_did_not_record_counts_against_the_region(people, june):
    attendance(people, "engineer", "left_post")  # recorded by 陈刚 himself: nothing against him
    propose(june, people)
    assert Source.REGION_UNREPORTED not in proposals_of(june, "regional")
    attendance(people, "engineer2", "left_post", by=people.u["head"])
    propose(june, people)
    assert proposals_of(june, "regional")[Source.REGION_UNREPORTED].value == "attendance_concealment"


@pytest.mark.parametrize(
    ("hours", "item", "score"),
    [(5, "timely", "10"), (3 * 24, "lagging", "8"), (10 * 24, "disorderly", "5")],
)
def test_filing_lag_of_answered_calls_grades_document_maintenance_on_4_5(people, june, hours, item, score):
    """资料维护: t ≤ 1 规范及时 · 1 < t < 7 较及时 · t ≥ 7 滞后7天以上 (decision for the 3–7 day gap)."""
    dispatcher = people.u["dispatcher"]
    entry = service_services.call_log_record(
        actor=dispatcher,
        received_at=at(6, 3),
        channel=Channel.PHONE,
        caller="A",
        content="问",
        handler=people.e["support"],
    )
    entry = service_services.call_log_answer(entry=entry, actor=dispatcher, answer="答", at=at(6, 3, 12))
    entry.filed_at = entry.answered_at + timedelta(hours=hours)
    entry.save()
    propose(june, people)
    proposal = proposals_of(june, "support")[Source.FILING_LAG]
    assert (proposal.section, proposal.value["item"], proposal.value["score"]) == (
        "document_maintenance",
        item,
        score,
    )


def test_accepting_two_centre_rules_sources_deducts_the_item_once(people, june):
    """R-2.1: the item counts once a month whatever the number of sources proposing it."""
    _escalate(people, hours=30)
    acts.paid_service_record(
        actor=people.u["engineer"],
        customer="B",
        content="清洗",
        amount=Decimal("200"),
        charged_on=date(2025, 6, 11),
    )
    propose(june, people)
    mine = proposals_of(june, "engineer")
    for source in (Source.ESCALATION_LATE, Source.PAID_SERVICE):
        services.proposal_accept(proposal=mine[source], actor=people.u["regional"])
    form = form_of(june, "engineer")
    assert form.entries["information_transfer"] == ["centre_rules_breach"]
