"""Cases are decided by HR, and every decision is recorded (SPEC §7; R-7.2, R-7.3, R-7.4, R-7.5)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aftersales.core.periods import Month
from aftersales.interviews.models import TrainingSource, TrainingStatus
from aftersales.organisation.models import Position
from aftersales.results import selectors, services
from aftersales.results.models import CaseKind, PositionAdjustment, ResultCase
from tests.results.factories import archived, archived_series


def _case(employee, kind: str, year: int = 2018, month: int | None = None) -> ResultCase:
    return ResultCase.objects.create(employee=employee, kind=kind, year=year, month=month, facts={})


@pytest.fixture
def work_report(engineer):
    return _case(engineer, CaseKind.WORK_REPORT)


def test_hr_decides_and_the_decision_is_recorded_with_who_and_when(hr, work_report):
    case = services.case_decide(case=work_report, decision="keep", note="述职合格,维持现职", actor=hr)
    case.refresh_from_db()
    assert (case.status, case.decision, case.note, case.decided_by) == (
        "decided",
        "keep",
        "述职合格,维持现职",
        hr,
    )
    assert case.decided_at is not None
    last = case.history.latest("history_date")
    assert (last.history_user, last.status, last.decision) == (hr, "decided", "keep")


@pytest.mark.parametrize("persona", ["employee", "supervisor", "head", "outsider"])
def test_only_hr_decides(world, work_report, persona):
    with pytest.raises(PermissionDenied):
        services.case_decide(case=work_report, decision="keep", note="x", actor=world.users[persona])
    work_report.refresh_from_db()
    assert work_report.status == "open"


def test_a_case_is_decided_once(hr, work_report):
    services.case_decide(case=work_report, decision="keep", note="维持", actor=hr)
    with pytest.raises(ValidationError):
        services.case_decide(case=work_report, decision="no_action", note="再次", actor=hr)


def test_nobody_decides_a_case_about_themselves(hr, world):
    own = _case(world.employees["hr"], CaseKind.WORK_REPORT)
    assert not services.may_decide(hr, own)
    with pytest.raises(PermissionDenied):
        services.case_decide(case=own, decision="keep", note="本人", actor=hr)


@pytest.mark.parametrize(
    ("kind", "decision"),
    [
        (CaseKind.PROMOTION_CANDIDATE, "dismiss"),
        (CaseKind.WORK_REPORT, "promote"),
        (CaseKind.FOLLOW_UP_DISMISSAL, "promote"),
        (CaseKind.UNQUALIFIED, "key_talent"),
    ],
)
def test_a_decision_must_fit_the_kind_of_case(hr, engineer, kind, decision):
    case = _case(
        engineer, kind, month=None if kind in (CaseKind.PROMOTION_CANDIDATE, CaseKind.WORK_REPORT) else 3
    )
    with pytest.raises(ValidationError) as error:
        services.case_decide(case=case, decision=decision, note="说明", actor=hr)
    assert "decision" in error.value.message_dict


def test_a_decision_needs_a_note(hr, work_report):
    with pytest.raises(ValidationError) as error:
        services.case_decide(case=work_report, decision="keep", note="  ", actor=hr)
    assert "note" in error.value.message_dict


def test_r_7_3_demotion_moves_the_employee_and_starts_the_follow_up(hr, engineer, work_report):
    """The position change is recorded twice: the adjustment, and the employee's own history."""
    lower = Position.objects.get(code="tech_support")
    case = services.case_decide(
        case=work_report,
        decision="demote",
        note="年度综合评价低于60分,降职",
        actor=hr,
        position=lower,
        effective=Month(2019, 1),
    )
    adjustment = PositionAdjustment.objects.get(case=case)
    assert (adjustment.from_position.code, adjustment.to_position, adjustment.effective_month) == (
        "field_engineer",
        lower,
        Month(2019, 1),
    )
    assert (adjustment.kind, adjustment.made_by) == ("demote", hr)
    engineer.refresh_from_db()
    assert (engineer.position, engineer.category, engineer.standard_salary) == (
        lower,
        lower.category,
        lower.standard_salary,
    )
    assert engineer.history.latest("history_date").history_user == hr
    # the six months after it are then followed
    archived_series(engineer, "2019-02", [50, 50, 65, 50, 50, 65])
    follow_up = services.results_evaluate(year=2019, month=7, actor=hr).raised
    assert [(c.kind, c.follows) for c in follow_up] == [(CaseKind.FOLLOW_UP_DISMISSAL, adjustment)]


def test_a_position_decision_needs_a_different_position(hr, engineer, work_report):
    with pytest.raises(ValidationError) as error:
        services.case_decide(case=work_report, decision="adjust_position", note="调整", actor=hr)
    assert "position" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.case_decide(
            case=work_report, decision="adjust_position", note="调整", actor=hr, position=engineer.position
        )


def test_one_adjustment_a_month(hr, engineer, work_report):
    other = _case(engineer, CaseKind.UNQUALIFIED, month=12)
    target = Position.objects.get(code="tech_support")
    services.case_decide(
        case=work_report,
        decision="adjust_position",
        note="调整",
        actor=hr,
        position=target,
        effective=Month(2019, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.case_decide(
            case=other,
            decision="change_job",
            note="调换",
            actor=hr,
            position=Position.objects.get(code="dispatcher"),
            effective=Month(2019, 1),
        )
    assert "effective" in error.value.message_dict
    other.refresh_from_db()
    assert other.status == "open"  # nothing of the refused decision stays


def test_r_7_5_training_for_a_low_score_not_due_to_attitude(hr, engineer):
    case = _case(engineer, CaseKind.UNQUALIFIED, month=3)
    case = services.case_decide(
        case=case,
        decision="training",
        note="低分系新产品故障诊断能力不足,非态度原因",
        actor=hr,
        training_content="新产品电气系统故障诊断",
    )
    request = case.training_request
    assert (request.employee, request.source, request.status) == (
        engineer,
        TrainingSource.LOW_SCORE,
        TrainingStatus.REQUESTED,
    )
    assert request.content == "新产品电气系统故障诊断"
    assert "非态度原因" in request.reason
    assert request.history.latest("history_date").history_user == hr


def test_training_needs_its_content(hr, engineer):
    case = _case(engineer, CaseKind.UNQUALIFIED, month=3)
    with pytest.raises(ValidationError) as error:
        services.case_decide(case=case, decision="training", note="非态度原因", actor=hr)
    assert "training_content" in error.value.message_dict


def test_r_7_2_key_talent_list_holds_the_candidates_decided_promote_or_key_talent(hr, world):
    people = [world.employee(name) for name in ("engineer", "engineer2", "engineer3")]
    for person in people:
        for year in (2016, 2017, 2018):
            archived(person, f"{year}-06", 95)
    raised = services.results_evaluate(year=2018, month=12, actor=hr).raised
    cases = {c.employee.user.username: c for c in raised}
    services.case_decide(case=cases["engineer"], decision="promote", note="晋升区域主管", actor=hr)
    services.case_decide(case=cases["engineer2"], decision="key_talent", note="列入骨干", actor=hr)
    services.case_decide(case=cases["engineer3"], decision="no_action", note="暂不", actor=hr)
    listed = {case.employee.user.username for case in selectors.key_talents(hr) if case.year == 2018}
    assert listed == {"engineer", "engineer2"}
    # the supervisor sees his own team's, the outsider nobody
    team = {c.employee.user.username for c in selectors.key_talents(world.users["supervisor"])}
    assert team == {"engineer", "engineer2"}
    assert not selectors.key_talents(world.users["outsider"]).exists()
