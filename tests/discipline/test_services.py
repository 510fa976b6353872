"""Who may propose and approve (SPEC §6 with the roles of §1, R-1.1)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from aftersales.discipline import services
from aftersales.discipline.models import Kind, RewardReason, Status
from tests.discipline.conftest import approved, propose


@pytest.mark.parametrize("by", ["supervisor", "head", "hr"])
def test_the_supervisor_head_and_hr_may_propose(world, by):
    record = propose(world, Kind.MERIT, by=by)
    assert (record.status, record.issuer) == (Status.PROPOSED, world.users[by])
    assert record.history.latest().history_user == world.users[by]


@pytest.mark.parametrize("by", ["employee", "outsider"])
def test_the_employee_and_an_outsider_may_not_propose(world, by):
    with pytest.raises(PermissionDenied):
        propose(world, Kind.MERIT, by=by)


def test_a_supervisor_proposes_only_for_their_own_reports(world):
    with pytest.raises(PermissionDenied):
        propose(world, Kind.MERIT, employee=world.employee("technician"), by="supervisor")


def test_nobody_proposes_for_themselves(world):
    with pytest.raises(PermissionDenied):
        propose(world, Kind.MERIT, employee=world.employees["head"], by="head")


@pytest.mark.parametrize("by", ["head", "hr"])
def test_the_head_and_hr_approve(world, by):
    record = services.record_approve(record=propose(world, Kind.MERIT), actor=world.users[by], note="同意")
    assert (record.status, record.approved_by, record.note) == (Status.APPROVED, world.users[by], "同意")
    assert record.approved_at is not None


@pytest.mark.parametrize("by", ["employee", "supervisor", "outsider"])
def test_others_may_not_approve_or_reject(world, by):
    record = propose(world, Kind.DEMERIT)
    for act in (services.record_approve, services.record_reject):
        with pytest.raises(PermissionDenied):
            act(record=record, actor=world.users[by])
    record.refresh_from_db()
    assert record.status == Status.PROPOSED


@pytest.mark.parametrize("by", ["head", "hr"])
def test_nobody_approves_their_own_proposal(world, by):
    record = propose(world, Kind.MERIT, by=by)
    with pytest.raises(PermissionDenied):
        services.record_approve(record=record, actor=world.users[by])
    other = "hr" if by == "head" else "head"
    assert services.record_approve(record=record, actor=world.users[other]).status == Status.APPROVED


def test_a_decided_record_is_not_decided_again(world):
    record = approved(world, Kind.MERIT)
    with pytest.raises(ValidationError):
        services.record_reject(record=record, actor=world.users["hr"])


def test_a_reason_or_a_description_is_required(world):
    with pytest.raises(ValidationError) as error:
        propose(world, Kind.MERIT, reason_text=" ")
    assert "reason_text" in error.value.message_dict
    reason = RewardReason.objects.get(article=13)
    assert propose(world, Kind.MERIT, reason=reason, reason_text="").reason == reason


def test_an_inactive_reason_is_refused(world):
    reason = RewardReason.objects.get(article=11)
    reason.active = False
    reason.save()
    with pytest.raises(ValidationError):
        propose(world, Kind.MERIT, reason=reason)


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(ValidationError):
        propose(world, "bonus")


def test_the_employee_and_the_proposer_are_told_of_the_decision(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        approved(world, Kind.MERIT)
    assert sorted(mail.outbox[0].to) == ["engineer@example.com", "regional@example.com"]


def test_the_decision_mail_is_in_the_installation_language(world, django_capture_on_commit_callbacks):
    """HR deciding in the English interface still writes a Chinese e-mail (aftersales.notices)."""
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        approved(world, Kind.MERIT)
    assert mail.outbox[0].subject.startswith("奖惩审批")


def test_only_hr_edits_the_catalogue(world):
    reason = RewardReason(article=16, text="维修工作奖励(补充)", suggested_kind=Kind.COMMENDATION)
    with pytest.raises(PermissionDenied):
        services.reason_save(reason=reason, actor=world.users["head"])
    services.reason_save(reason=reason, actor=world.users["hr"])
    assert reason.pk is not None
    duplicate = RewardReason(article=16, text="重复", suggested_kind=Kind.MERIT)
    with pytest.raises(ValidationError):
        services.reason_save(reason=duplicate, actor=world.users["hr"])
