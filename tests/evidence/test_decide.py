"""SPEC §11: the direct supervisor accepts a proposal (the entry goes into the form, keeping its
evidence) or rejects it with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from aftersales.appraisal import services as appraisal_services
from aftersales.appraisal.scoring import appraisal_template
from aftersales.core.forms import score_form
from aftersales.evidence import services
from aftersales.evidence.models import Source, Status
from aftersales.service import services as service_services
from tests.appraisal.helpers import advance, entries_for
from tests.evidence.conftest import at, complaint, form_of, phone_offs

pytestmark = pytest.mark.django_db


def proposed(period, people, username, source):
    services.evidence_propose(period=period, actor=people.u["hr"])
    return form_of(period, username).evidence_proposals.get(source=source, status=Status.PROPOSED)


def section_score(appraisal, code):
    return next(Decimal(s["score"]) for s in appraisal.section_scores if s["code"] == code)


def test_s11_accept_writes_the_entry_and_the_form_score_changes(people, june):
    form = advance(form_of(june, "engineer"), "returned")  # scored once, returned by the head
    before = form.form_total
    assert section_score(form, "information_transfer") == 20
    phone_offs(people, "engineer", [2, 9, 16])
    proposal = proposed(june, people, "engineer", Source.PHONE_OFF)
    services.proposal_accept(proposal=proposal, actor=people.u["regional"])
    form.refresh_from_db()
    assert form.entries["information_transfer"] == ["phone_off_3plus"]
    assert section_score(form, "information_transfer") == 15  # −5
    assert form.form_total == before - 5
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (Status.ACCEPTED, people.u["regional"])
    assert proposal.decided_at is not None


def test_s11_an_accepted_group_item_replaces_the_other_item_of_its_group(people, june):
    form = form_of(june, "engineer")
    phone_offs(people, "engineer", [2])
    services.proposal_accept(
        proposal=proposed(june, people, "engineer", Source.PHONE_OFF), actor=people.u["regional"]
    )
    phone_offs(people, "engineer", [3, 4])
    services.proposal_accept(
        proposal=proposed(june, people, "engineer", Source.PHONE_OFF), actor=people.u["regional"]
    )
    form.refresh_from_db()
    assert form.entries["information_transfer"] == ["phone_off_3plus"]


def test_s11_accepted_bands_score_on_the_form_of_a_draft(people, june, june_repairs):
    form = form_of(june, "technician")
    for source in (Source.SEVEN_DAY, Source.SECOND_REPAIR):
        services.proposal_accept(
            proposal=proposed(june, people, "technician", source), actor=people.u["repairlead"]
        )
    form.refresh_from_db()
    assert form.entries == {"seven_day_repair": "50", "second_repair": "50"}
    assert form.form_total is None  # not scored yet: the supervisor scores the whole form later
    result = score_form(appraisal_template(form), {**form.entries, "work_attitude": "prevents_problems"})
    scores = {s.code: s.score for s in result.sections}
    assert (scores["seven_day_repair"], scores["second_repair"]) == (0, 5)  # floor; 30 − 25


def test_s11_the_supervisors_scoring_keeps_the_accepted_entries(people, june, june_repairs):
    form = form_of(june, "technician")
    services.proposal_accept(
        proposal=proposed(june, people, "technician", Source.SEVEN_DAY), actor=people.u["repairlead"]
    )
    form.refresh_from_db()
    appraisal_services.appraisal_self_report(appraisal=form, actor=people.u["technician"], summary="完成")
    entries = {**entries_for(form), **form.entries}
    appraisal_services.appraisal_score(appraisal=form, actor=people.u["repairlead"], entries=entries)
    assert section_score(form, "seven_day_repair") == 0


def test_4_5_accepting_a_graded_proposal_takes_a_score_within_its_band(people, june):
    handled = complaint(people, handler=people.e["support"])
    service_services.complaint_respond(
        complaint=handled, actor=people.u["dispatcher"], at=at(6, 12, 9)
    )  # 2 d
    proposal = proposed(june, people, "support", Source.COMPLAINT_RESPONSE)
    with pytest.raises(services.EvidenceError) as refused:
        services.proposal_accept(proposal=proposal, actor=people.u["supervisor"], score="9")  # band 6–8
    assert refused.value.field == "score"
    services.proposal_accept(proposal=proposal, actor=people.u["supervisor"], score="7")
    form = form_of(june, "support")
    assert form.entries["complaint_handling"] == {"item": "within_3_days", "score": "7"}
    proposal.refresh_from_db()
    assert proposal.value == {"item": "within_3_days", "score": "7", "days": "2"}


def test_s11_reject_needs_a_reason_and_leaves_the_form(people, june):
    complaint(people)
    proposal = proposed(june, people, "engineer", Source.COMPLAINT)
    for reason in ("", "   "):
        with pytest.raises(services.EvidenceError) as refused:
            services.proposal_reject(proposal=proposal, actor=people.u["regional"], reason=reason)
        assert refused.value.field == "reason"
    services.proposal_reject(proposal=proposal, actor=people.u["regional"], reason="投诉人已撤回")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reason) == (Status.REJECTED, "投诉人已撤回")
    assert form_of(june, "engineer").entries == {}


def test_s11_only_the_direct_supervisor_decides(people, june):
    complaint(people)
    proposal = proposed(june, people, "engineer", Source.COMPLAINT)
    for name in ("engineer", "head", "hr", "supervisor", "outsider"):
        with pytest.raises(PermissionDenied):
            services.proposal_accept(proposal=proposal, actor=people.u[name])
        with pytest.raises(PermissionDenied):
            services.proposal_reject(proposal=proposal, actor=people.u[name], reason="x")


def test_s11_a_decision_is_taken_once(people, june):
    complaint(people)
    proposal = proposed(june, people, "engineer", Source.COMPLAINT)
    services.proposal_accept(proposal=proposal, actor=people.u["regional"])
    with pytest.raises(services.EvidenceError):
        services.proposal_accept(proposal=proposal, actor=people.u["regional"])
    with pytest.raises(services.EvidenceError):
        services.proposal_reject(proposal=proposal, actor=people.u["regional"], reason="再议")


def test_s11_a_form_scored_since_takes_no_accepted_entry(people, june):
    complaint(people)
    proposal = proposed(june, people, "engineer", Source.COMPLAINT)
    form = advance(form_of(june, "engineer"), "scored")
    entries = dict(form.entries)
    with pytest.raises(services.EvidenceError):
        services.proposal_accept(proposal=proposal, actor=people.u["regional"])
    form.refresh_from_db()
    assert form.entries == entries
