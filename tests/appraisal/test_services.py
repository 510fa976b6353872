"""The actions of the monthly cycle (SPEC §4): roles (R-4.1), history, confirmation (R-4.2),
appeals (R-4.3), archive, and the pay flags other areas set (R-4.4, R-3.1)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from aftersales.appraisal import services
from aftersales.appraisal.models import Agreement, Appeal, Appraisal, ArchivedError, Channel, State
from aftersales.organisation.models import Department
from tests.appraisal.helpers import advance, entries_for, file_appeal

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------------------------
# Opening a period


def test_hr_opens_a_period_with_one_draft_per_supervised_employee(people, period):
    appraisals = Appraisal.objects.filter(period=period)
    # the 12 people of 售后服务部 who have a direct supervisor; the head (no supervisor) is not scored here
    assert appraisals.count() == 12
    assert set(appraisals.values_list("state", flat=True)) == {State.DRAFT}
    zhao = appraisals.get(employee__user__username="engineer")
    assert (zhao.template_code, zhao.template_version) == ("field_service", 1)
    assert zhao.transitions.get().actor == people["hr"]


def test_period_opens_agreements_with_the_default_goal_slots(period):
    agreements = Agreement.objects.filter(period=period)
    assert {a.employee.category for a in agreements} == {"tech_support", "tech_improvement"}
    improver = agreements.get(employee__user__username="improver")
    assert [goal.weight for goal in improver.goals.all()] == [30, 15, 15]  # form 4.4


@pytest.mark.parametrize("persona", ["employee", "supervisor", "head", "outsider"])
def test_only_hr_opens_periods(people, persona):
    with pytest.raises(PermissionDenied):
        services.period_open(
            actor=people[persona], department=Department.objects.get(code="as"), year=2025, month=2
        )


def test_a_period_opens_once_and_only_for_a_department(people, period):
    with pytest.raises(services.ActionError):
        services.period_open(actor=people["hr"], department=period.department, year=2025, month=1)
    with pytest.raises(services.ActionError):
        services.period_open(
            actor=people["hr"], department=Department.objects.get(code="as-field"), year=2025, month=3
        )


def test_period_deadlines(period):
    assert period.agreement_deadline.isoformat() == "2025-01-10"
    assert period.review_deadline.isoformat() == "2025-02-10"
    assert period.archive_deadline.isoformat() == "2025-02-20"


# ---------------------------------------------------------------------------------------------
# only the role named at each step


ROLE_OF_STEP = [
    # (action, state it starts from, the persona allowed, call)
    (
        "self_report",
        State.DRAFT,
        "employee",
        lambda a, u: services.appraisal_self_report(appraisal=a, actor=u, summary="x"),
    ),
    (
        "score",
        State.SELF_REPORTED,
        "supervisor",
        lambda a, u: services.appraisal_score(appraisal=a, actor=u, entries=entries_for(a)),
    ),
    ("review", State.SCORED, "head", lambda a, u: services.appraisal_review(appraisal=a, actor=u)),
    (
        "return",
        State.SCORED,
        "head",
        lambda a, u: services.appraisal_return(appraisal=a, actor=u, comment="x"),
    ),
    ("confirm", State.REVIEWED, "employee", lambda a, u: services.appraisal_confirm(appraisal=a, actor=u)),
    (
        "confirm_by_email",
        State.REVIEWED,
        "supervisor",
        lambda a, u: services.appraisal_confirm_by_email(appraisal=a, actor=u, message="邮件确认"),
    ),
    ("appeal", State.REVIEWED, "employee", lambda a, u: file_appeal(a, u)),
    (
        "decide_appeal",
        State.APPEALED,
        "hr",
        lambda a, u: services.appeal_decide(appeal=a.appeals.get(), actor=u, upheld=False, minutes="维持"),
    ),
    ("archive", State.CONFIRMED, "hr", lambda a, u: services.appraisal_archive(appraisal=a, actor=u)),
]


@pytest.mark.parametrize(
    ("action", "state", "allowed", "call"), ROLE_OF_STEP, ids=[s[0] for s in ROLE_OF_STEP]
)
def test_each_step_is_taken_by_its_role_only(people, appraisal, action, state, allowed, call):
    advance(appraisal, state)
    for persona in ("employee", "supervisor", "head", "hr", "outsider"):
        if persona == allowed:
            continue
        with pytest.raises(PermissionDenied):
            call(appraisal, people[persona])
        appraisal.refresh_from_db()
        assert appraisal.state == state
    call(appraisal, people[allowed])
    appraisal.refresh_from_db()
    assert appraisal.state != state or action == "score"


def test_a_step_out_of_order_is_refused(people, appraisal):
    with pytest.raises(services.ActionError):
        services.appraisal_review(appraisal=appraisal, actor=people["head"])
    with pytest.raises(services.ActionError):
        services.appraisal_score(
            appraisal=appraisal, actor=people["supervisor"], entries=entries_for(appraisal)
        )


# ---------------------------------------------------------------------------------------------
# History: who, when, the form at that moment


def test_every_transition_records_actor_and_snapshot(people, appraisal):
    advance(appraisal, State.REVIEWED)
    steps = list(appraisal.transitions.order_by("at", "pk"))
    assert [(t.from_state, t.to_state) for t in steps] == [
        ("", "draft"),
        ("draft", "self_reported"),
        ("self_reported", "scored"),
        ("scored", "reviewed"),
    ]
    assert [t.actor for t in steps] == [
        people["hr"],
        people["employee"],
        people["supervisor"],
        people["head"],
    ]
    scored = steps[2].snapshot
    assert scored["state"] == "scored"
    assert scored["final_score"] == str(appraisal.final_score.normalize()) or scored["final_score"]
    assert scored["entries"] == appraisal.entries
    assert steps[1].snapshot["entries"] == {}  # not scored yet when self-reported


def test_return_needs_a_comment_and_the_supervisor_rescores(people, appraisal):
    advance(appraisal, State.SCORED)
    with pytest.raises(services.ActionError):
        services.appraisal_return(appraisal=appraisal, actor=people["head"], comment="  ")
    services.appraisal_return(appraisal=appraisal, actor=people["head"], comment="信息传递扣分依据不足")
    assert appraisal.transitions.last().comment == "信息传递扣分依据不足"
    entries = entries_for(appraisal, seed=1)
    services.appraisal_score(appraisal=appraisal, actor=people["supervisor"], entries=entries)
    assert appraisal.state == State.SCORED


# ---------------------------------------------------------------------------------------------
# Scoring on the pinned template


def test_score_totals_sections_and_grades(people, appraisal):
    advance(appraisal, State.SELF_REPORTED)
    entries = {"work_arrangement": ["shirk_assignment"], "information_transfer": ["phone_off_3plus"]}
    services.appraisal_score(appraisal=appraisal, actor=people["supervisor"], entries=entries)
    assert appraisal.form_total == Decimal(75)  # 100 − 20 − 5
    assert appraisal.final_score == Decimal(75)
    assert appraisal.grade == "C"
    assert [s["score"] for s in appraisal.section_scores] == ["5", "20", "25", "10", "15"]


def test_invalid_entries_are_refused_with_the_field(people, appraisal):
    advance(appraisal, State.SELF_REPORTED)
    bad = {"information_transfer": ["phone_off_3plus", "phone_off_occasional"]}  # one of the group
    with pytest.raises(services.ActionError) as refused:
        services.appraisal_score(appraisal=appraisal, actor=people["supervisor"], entries=bad)
    assert refused.value.field.startswith("entries.information_transfer")
    appraisal.refresh_from_db()
    assert appraisal.state == State.SELF_REPORTED


def test_discipline_points_count_in_the_final_score(people, appraisal):
    """R-3.1: final = form score + the month's discipline points, clamped to [0, 100]."""
    advance(appraisal, State.SELF_REPORTED)
    entries = {"work_arrangement": ["leave_post"]}
    services.appraisal_score(appraisal=appraisal, actor=people["supervisor"], entries=entries)
    services.appraisal_set_discipline_points(appraisal=appraisal, points=Decimal(-9))
    appraisal.refresh_from_db()
    assert (appraisal.form_total, appraisal.final_score, appraisal.grade) == (75, 66, "D")
    services.appraisal_set_discipline_points(appraisal=appraisal, points=Decimal(30))
    assert appraisal.final_score == 100  # clamped


def test_set_entries_stores_them_and_rescores_a_scored_form(people, appraisal):
    """SPEC §11: the evidence area writes accepted entries; a scored form's total follows them."""
    advance(appraisal, State.SELF_REPORTED)
    entries = {"work_arrangement": ["leave_post"]}
    services.appraisal_set_entries(appraisal=appraisal, entries=entries, actor=people["supervisor"])
    appraisal.refresh_from_db()
    assert (appraisal.entries, appraisal.form_total, appraisal.state) == (entries, None, State.SELF_REPORTED)
    services.appraisal_score(appraisal=appraisal, actor=people["supervisor"], entries={})
    assert appraisal.form_total == 100
    services.appraisal_set_entries(appraisal=appraisal, entries=entries, actor=people["supervisor"])
    appraisal.refresh_from_db()
    assert (appraisal.form_total, appraisal.state) == (75, State.SCORED)


@pytest.mark.parametrize("persona", ["employee", "head", "hr", "outsider"])
def test_only_the_direct_supervisor_sets_entries(people, appraisal, persona):
    with pytest.raises(PermissionDenied):
        services.appraisal_set_entries(appraisal=appraisal, entries={}, actor=people[persona])


@pytest.mark.parametrize("state", [State.CONFIRMED, State.ARCHIVED])
def test_set_entries_is_refused_once_the_form_is_settled(people, appraisal, state):
    advance(appraisal, state)
    with pytest.raises(services.ActionError):
        services.appraisal_set_entries(appraisal=appraisal, entries={}, actor=people["supervisor"])


def test_goals_are_scored_with_the_agreed_weights(people, period):
    support = Appraisal.objects.get(period=period, employee__user__username="support")
    lead = support.employee.supervisor.user
    agreement = Agreement.objects.get(period=period, employee=support.employee)
    goals = [{"title": "目标A", "weight": "50"}, {"title": "目标B", "weight": "20"}]
    services.agreement_save(agreement=agreement, actor=lead, goals=goals)
    services.appraisal_self_report(appraisal=support, actor=support.employee.user, summary="完成")
    entries = entries_for(support)
    entries["monthly_goals"] = ["45", "20"]
    services.appraisal_score(appraisal=support, actor=lead, entries=entries, goal_checks=["基本完成", "完成"])
    assert support.entries["monthly_goals"] == [
        {"weight": "50", "score": "45"},
        {"weight": "20", "score": "20"},
    ]
    assert [g.supervisor_score for g in agreement.goals.all()] == [45, 20]
    entries["monthly_goals"] = ["51", "20"]  # above the goal's weight
    with pytest.raises(services.ActionError):
        services.appraisal_score(appraisal=support, actor=lead, entries=entries)


# ---------------------------------------------------------------------------------------------
# Performance agreements


def test_agreement_weights_sum_to_the_goals_block(people, period):
    agreement = Agreement.objects.get(period=period, employee__user__username="improver")
    lead = agreement.employee.supervisor.user
    with pytest.raises(services.ActionError):
        services.agreement_save(agreement=agreement, actor=lead, goals=[{"title": "A", "weight": "50"}])
    with pytest.raises(services.ActionError):
        services.agreement_save(agreement=agreement, actor=lead, goals=[{"title": "A", "weight": "10"}] * 6)
    services.agreement_save(agreement=agreement, actor=lead, goals=[{"title": "A", "weight": "60"}])
    assert agreement.goals.count() == 1


def test_agreement_is_signed_by_both_and_then_fixed(people, period):
    agreement = Agreement.objects.get(period=period, employee__user__username="improver")
    employee, lead = agreement.employee.user, agreement.employee.supervisor.user
    services.agreement_sign(agreement=agreement, actor=employee)
    assert not agreement.is_signed
    services.agreement_sign(agreement=agreement, actor=lead)
    assert agreement.is_signed
    with pytest.raises(services.ActionError):
        services.agreement_save(agreement=agreement, actor=lead, goals=[{"title": "A", "weight": "60"}])
    for persona in ("head", "hr", "outsider", "employee"):  # 赵磊 is not a party
        with pytest.raises(PermissionDenied):
            services.agreement_sign(agreement=agreement, actor=people[persona])


def test_saving_goals_clears_the_signatures(period):
    agreement = Agreement.objects.get(period=period, employee__user__username="improver")
    services.agreement_sign(agreement=agreement, actor=agreement.employee.user)
    services.agreement_save(
        agreement=agreement, actor=agreement.employee.user, goals=[{"title": "A", "weight": "60"}]
    )
    agreement.refresh_from_db()
    assert agreement.employee_signed_at is None


# ---------------------------------------------------------------------------------------------
# confirmation


def test_email_confirmation_is_recorded_with_its_evidence(people, appraisal):
    advance(appraisal, State.REVIEWED)
    with pytest.raises(services.ActionError):
        services.appraisal_confirm_by_email(appraisal=appraisal, actor=people["supervisor"], message="")
    services.appraisal_confirm_by_email(appraisal=appraisal, actor=people["supervisor"], message="同意。赵磊")
    assert (appraisal.state, appraisal.confirmed_channel) == (State.CONFIRMED, Channel.EMAIL)
    assert appraisal.confirmation_evidence == "同意。赵磊"


def test_auto_confirmation_three_days_after_seeing(people, appraisal):
    advance(appraisal, State.REVIEWED)
    now = timezone.now()
    assert services.appraisals_auto_confirm(now=now + timedelta(days=10)) == 0  # never seen
    services.appraisal_mark_seen(appraisal=appraisal, actor=people["supervisor"])  # not the employee
    appraisal.refresh_from_db()
    assert appraisal.seen_at is None
    services.appraisal_mark_seen(appraisal=appraisal, actor=people["employee"])
    assert services.appraisals_auto_confirm(now=now + timedelta(days=2, hours=23)) == 0
    assert services.appraisals_auto_confirm(now=now + timedelta(days=3, minutes=1)) == 1
    appraisal.refresh_from_db()
    assert (appraisal.state, appraisal.confirmed_channel) == (State.CONFIRMED, Channel.AUTO)
    assert appraisal.transitions.last().actor is None  # the system


# ---------------------------------------------------------------------------------------------
# appeals


def test_upheld_appeal_creates_a_new_version_and_keeps_the_old(people, appraisal):
    advance(appraisal, State.APPEALED)
    old_entries, old_total = appraisal.entries, appraisal.form_total
    appeal = appraisal.appeals.get()
    appeal = services.appeal_decide(
        appeal=appeal, actor=people["hr"], upheld=True, minutes="离岗经主管同意，撤销扣分", entries={}
    )
    old = Appraisal.objects.get(pk=appraisal.pk)
    new = appeal.resulting_version
    assert (appeal.status, appeal.decided_by) == (Appeal.Status.UPHELD, people["hr"])
    assert (old.is_current, old.state, old.entries, old.form_total) == (
        False,
        State.APPEALED,
        old_entries,
        old_total,
    )
    assert (new.version, new.previous, new.is_current, new.state) == (2, old, True, State.REVIEWED)
    assert new.form_total == Decimal(100)
    assert new.transitions.get().comment == "离岗经主管同意，撤销扣分"
    # the old version takes no further step; the new one goes on to confirmation
    with pytest.raises(services.ActionError):
        services.appraisal_confirm(appraisal=old, actor=people["employee"])
    services.appraisal_confirm(appraisal=new, actor=people["employee"])


def test_upheld_appeal_needs_the_corrected_score_and_minutes(people, appraisal):
    advance(appraisal, State.APPEALED)
    appeal = appraisal.appeals.get()
    with pytest.raises(services.ActionError):
        services.appeal_decide(appeal=appeal, actor=people["hr"], upheld=True, minutes="成立")
    with pytest.raises(services.ActionError):
        services.appeal_decide(appeal=appeal, actor=people["hr"], upheld=False, minutes="")


def test_rejected_appeal_returns_the_result_for_confirmation(people, appraisal):
    advance(appraisal, State.APPEALED)
    appeal = services.appeal_decide(
        appeal=appraisal.appeals.get(), actor=people["hr"], upheld=False, minutes="扣分有据，维持"
    )
    appraisal.refresh_from_db()
    assert (appeal.status, appeal.minutes, appraisal.state) == (
        Appeal.Status.REJECTED,
        "扣分有据，维持",
        State.REVIEWED,
    )
    with pytest.raises(services.ActionError):  # one appeal per month
        file_appeal(appraisal, people["employee"])


def test_appeal_within_five_days_of_seeing(people, appraisal):
    advance(appraisal, State.REVIEWED)
    services.appraisal_mark_seen(appraisal=appraisal, actor=people["employee"])
    appraisal.seen_at -= timedelta(days=5, minutes=1)
    appraisal.save()
    with pytest.raises(services.ActionError):
        file_appeal(appraisal, people["employee"])


def test_an_appealed_form_is_not_archived(people, appraisal):
    advance(appraisal, State.APPEALED)
    with pytest.raises(services.ActionError):
        services.appraisal_archive(appraisal=appraisal, actor=people["hr"])


# ---------------------------------------------------------------------------------------------
# Archive: never changes


def test_archived_appraisal_never_changes(people, appraisal):
    advance(appraisal, State.ARCHIVED)
    appraisal.final_score = Decimal(1)
    with pytest.raises(ArchivedError):
        appraisal.save()
    with pytest.raises(ArchivedError):
        Appraisal.objects.get(pk=appraisal.pk).delete()
    appraisal.refresh_from_db()
    with pytest.raises(services.ActionError):
        services.appraisal_score(
            appraisal=appraisal, actor=people["supervisor"], entries=entries_for(appraisal)
        )
    with pytest.raises(services.ActionError):
        services.appraisal_set_discipline_points(appraisal=appraisal, points=Decimal(3))


def test_interview_flag_holds_and_releases_even_when_archived(appraisal):
    """R-4.4: the interview audit flags the form; recording the interview releases it."""
    advance(appraisal, State.ARCHIVED)
    services.appraisal_set_interview_missing(appraisal=appraisal, missing=True)
    assert Appraisal.objects.get(pk=appraisal.pk).interview_missing
    services.appraisal_set_interview_missing(appraisal=appraisal, missing=False)
    assert not Appraisal.objects.get(pk=appraisal.pk).interview_missing
    assert appraisal.history.count() >= 3  # the flag's changes are in the history table
