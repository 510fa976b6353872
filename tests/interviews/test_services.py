"""Recording interviews (form 4.6, R-4.4) and training requests (R-7.5)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aftersales.interviews.models import Interview, TrainingRequest, TrainingSource, TrainingStatus
from aftersales.interviews.services import (
    interview_update,
    training_request_close,
    training_request_plan,
    training_request_raise,
)
from aftersales.organisation.models import Employee
from tests.interviews.helpers import ITEM, TRAINING, fields, record, user

pytestmark = pytest.mark.django_db


def test_r_4_4_the_direct_supervisor_records_the_interview_with_the_header_from_the_records(org):
    interview = record("engineer", by="regional", performance_score="86.5")
    engineer = Employee.objects.get(user__username="engineer")
    assert interview.supervisor.user.username == "regional"
    assert (interview.position, interview.department) == (engineer.position, engineer.department)
    assert Decimal(interview.performance_score) == Decimal("86.5")
    assert [item.phase_goals for item in interview.items.all()] == [ITEM["phase_goals"]]


@pytest.mark.parametrize("someone_else", ["head", "hr", "supervisor", "engineer", "outsider", "admin"])
def test_r_4_4_nobody_but_the_direct_supervisor_records_it(org, someone_else):
    with pytest.raises(PermissionDenied):
        record("engineer", by=someone_else)
    assert not Interview.objects.exists()


def test_blank_items_are_dropped_and_the_rest_numbered_in_order(org):
    blank = dict.fromkeys(ITEM, "")
    second = {**ITEM, "phase_goals": "第二项"}
    interview = record(items=[blank, ITEM, second])
    assert [(item.number, item.phase_goals) for item in interview.items.all()] == [
        (1, ITEM["phase_goals"]),
        (2, "第二项"),
    ]


def test_more_than_three_items_are_refused(org):
    with pytest.raises(ValidationError):
        record(items=[ITEM] * 4)
    assert not Interview.objects.exists()


def test_an_interview_cannot_be_dated_in_the_future_nor_end_its_period_before_it_starts(org):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as future:
        record(held_on=tomorrow)
    assert "held_on" in future.value.message_dict
    today = timezone.localdate()
    with pytest.raises(ValidationError) as backwards:
        record(improvement_from=today, improvement_to=today - timedelta(days=1))
    assert "improvement_to" in backwards.value.message_dict


def test_r_7_5_a_training_suggestion_becomes_a_training_request(org):
    interview = record(**TRAINING)
    request = TrainingRequest.objects.get(interview=interview)
    assert (request.employee, request.source, request.status) == (
        interview.employee,
        TrainingSource.INTERVIEW,
        TrainingStatus.REQUESTED,
    )
    assert (request.content, request.reason) == (TRAINING["training_content"], TRAINING["training_reason"])


def test_r_7_5_no_suggestion_no_request(org):
    record()
    assert not TrainingRequest.objects.exists()


def test_recording_is_in_the_history_with_the_actor_and_a_reason(org):
    interview = record()
    entry = interview.history.get()
    assert (entry.history_user.username, entry.history_change_reason) == ("regional", "interview recorded")


def _correct(interview, by="regional", **changes):
    values = {**fields(interview.held_on), **changes}
    return interview_update(interview=interview, fields=values, items=[ITEM], actor=user(by))


def test_only_the_supervisor_who_held_it_corrects_it_and_the_history_keeps_the_old_version(org):
    interview = record(supervisor_remarks="原文")
    with pytest.raises(PermissionDenied):
        _correct(interview, by="head", supervisor_remarks="改")
    _correct(interview, supervisor_remarks="更正")
    interview.refresh_from_db()
    assert interview.supervisor_remarks == "更正"
    assert [h.supervisor_remarks for h in interview.history.order_by("history_date")] == ["原文", "更正"]


def test_r_7_5_a_correction_updates_the_request_until_hr_has_planned_it(org):
    interview = record(**TRAINING)
    _correct(interview, **{**TRAINING, "training_content": "液压系统维修"})
    assert TrainingRequest.objects.get().content == "液压系统维修"
    training_request_plan(
        request=TrainingRequest.objects.get(), planned_on=None, plan="外训", actor=user("hr")
    )
    _correct(interview, **{**TRAINING, "training_content": "别的内容"})
    assert TrainingRequest.objects.get().content == "液压系统维修"


def test_r_7_5_a_suggestion_added_later_raises_a_request(org):
    interview = record()
    _correct(interview, **TRAINING)
    assert TrainingRequest.objects.get().interview == interview


def test_r_7_5_hr_plans_and_closes_a_training_with_its_actual_effect(org):
    request = record(**TRAINING).training_request
    hr = user("hr")
    training_request_plan(request=request, planned_on=timezone.localdate(), plan="公司内训", actor=hr)
    assert request.status == TrainingStatus.PLANNED
    training_request_close(request=request, actual_effect="已能独立处理电气故障", actor=hr)
    request.refresh_from_db()
    assert (request.status, request.actual_effect) == (TrainingStatus.DONE, "已能独立处理电气故障")
    assert request.closed_at is not None
    assert request.history.latest().history_user == hr


@pytest.mark.parametrize("someone", ["regional", "engineer", "head"])
def test_r_7_5_only_hr_plans_or_closes(org, someone):
    request = record(**TRAINING).training_request
    with pytest.raises(PermissionDenied):
        training_request_plan(request=request, planned_on=None, plan="x", actor=user(someone))
    with pytest.raises(PermissionDenied):
        training_request_close(request=request, actual_effect="x", actor=user(someone))


def test_r_7_5_a_training_closes_only_once_planned_and_with_an_effect(org):
    request = record(**TRAINING).training_request
    hr = user("hr")
    with pytest.raises(ValidationError):
        training_request_close(request=request, actual_effect="效果", actor=hr)
    training_request_plan(request=request, planned_on=None, plan="内训", actor=hr)
    with pytest.raises(ValidationError):
        training_request_close(request=request, actual_effect="  ", actor=hr)
    training_request_close(request=request, actual_effect="效果", actor=hr)
    with pytest.raises(ValidationError):
        training_request_plan(request=request, planned_on=None, plan="再训", actor=hr)


def test_r_7_5_hr_or_the_supervisor_raises_a_request_for_a_low_score_not_due_to_attitude(org):
    engineer = Employee.objects.get(user__username="engineer")
    request = training_request_raise(
        employee=engineer, content="故障诊断", reason="连续低分", actor=user("hr")
    )
    assert (request.source, request.status, request.interview) == (
        "low_score",
        TrainingStatus.REQUESTED,
        None,
    )
    training_request_raise(employee=engineer, content="故障诊断", actor=user("regional"))
    with pytest.raises(PermissionDenied):
        training_request_raise(employee=engineer, content="故障诊断", actor=user("engineer"))
    with pytest.raises(ValidationError):
        training_request_raise(employee=engineer, content=" ", actor=user("hr"))


def test_r_7_5_a_suggestion_taken_out_before_hr_planned_it_withdraws_the_request(org):
    interview = record(**TRAINING)
    request_id = interview.training_request.pk
    _correct(interview, **dict.fromkeys(TRAINING, ""))
    assert not TrainingRequest.objects.filter(pk=request_id).exists()
    assert TrainingRequest.history.get(id=request_id, history_type="-").history_user == user("regional")
