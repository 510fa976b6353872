"""The evaluation raises the cases of SPEC §7 from archived final scores (R-7.1 … R-7.4), once."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.appraisal.models import State
from aftersales.organisation.models import Employee, Position
from aftersales.results import services
from aftersales.results.models import CaseKind, EvaluationRun, PositionAdjustment, ResultCase
from tests.results.factories import archived, archived_series


def _cases(employee: Employee, kind: str) -> list[ResultCase]:
    return list(ResultCase.objects.filter(employee=employee, kind=kind).order_by("year", "month"))


def _kinds(result: services.Evaluation) -> list[tuple[str, str]]:
    """(username, kind) of each case raised."""
    return sorted((case.employee.user.username, case.kind) for case in result.raised)


# --- unqualified ----------------------------------------------------------------------------


def test_r_7_4_three_months_below_60_raise_an_unqualified_case(hr, engineer):
    archived_series(engineer, "2018-01", [59, 55, "59.99"])
    result = services.results_evaluate(year=2018, month=3, actor=hr)
    assert _kinds(result) == [("engineer", CaseKind.UNQUALIFIED)]
    case = result.raised[0]
    assert (case.year, case.month, case.status) == (2018, 3, "open")
    assert case.facts == {"scores": {"2018-01": "59.00", "2018-02": "55.00", "2018-03": "59.99"}}
    assert case.raised_by == hr


def test_r_7_4_a_month_at_60_or_without_a_score_breaks_the_run(hr, engineer, world):
    archived_series(engineer, "2018-01", [50, 60, 50])
    other = world.employee("engineer2")
    archived(other, "2018-01", 50)
    archived(other, "2018-03", 50)  # February missing
    assert services.results_evaluate(year=2018, month=3, actor=hr).raised == []


def test_r_7_4_the_run_crosses_the_year(hr, engineer):
    archived_series(engineer, "2017-11", [40, 40, 40])
    assert _kinds(services.results_evaluate(year=2018, month=1, actor=hr)) == [
        ("engineer", CaseKind.UNQUALIFIED)
    ]


def test_r_7_4_a_continuing_run_raises_the_next_case_after_three_more_months(hr, engineer):
    archived_series(engineer, "2018-01", [50] * 7)
    for month in range(3, 8):
        services.results_evaluate(year=2018, month=month, actor=hr)
    assert [case.month for case in _cases(engineer, CaseKind.UNQUALIFIED)] == [3, 6]


def test_r_7_4_overlap_is_checked_whatever_the_order_of_the_runs(hr, engineer):
    archived_series(engineer, "2018-01", [50] * 4)
    services.results_evaluate(year=2018, month=4, actor=hr)
    services.results_evaluate(year=2018, month=3, actor=hr)
    assert [case.month for case in _cases(engineer, CaseKind.UNQUALIFIED)] == [4]


def test_only_the_current_archived_version_counts(hr, engineer, world):
    """An appraisal not archived yet, or replaced by a corrected version (R-4.3), is not a result."""
    archived(engineer, "2018-01", 50)
    archived(engineer, "2018-02", 50, state=State.CONFIRMED)
    archived(engineer, "2018-03", 50)
    second = world.employee("engineer2")
    archived_series(second, "2018-01", [50, 50])
    archived(second, "2018-03", 50, is_current=False, version=1)
    archived(second, "2018-03", 70, version=2)
    assert services.results_evaluate(year=2018, month=3, actor=hr).raised == []


def test_an_employee_who_left_is_not_raised(hr, engineer):
    archived_series(engineer, "2018-01", [50, 50, 50])
    Employee.objects.filter(pk=engineer.pk).update(active_to=date(2018, 2, 28))
    assert services.results_evaluate(year=2018, month=3, actor=hr).raised == []


# --- work report, R-7.2 promotion ------------------------------------------------------


def test_r_7_3_a_composite_below_60_at_year_end_calls_for_a_work_report(hr, engineer, world):
    archived_series(engineer, "2018-01", [70, 50, 55, 58])  # mean 58.25, never three below 60 in a row
    archived_series(world.employee("engineer2"), "2018-01", [60, 60])  # mean 60: no report
    result = services.results_evaluate(year=2018, month=12, actor=hr)
    assert _kinds(result) == [("engineer", CaseKind.WORK_REPORT)]
    case = result.raised[0]
    assert (case.year, case.month) == (2018, None)
    assert case.facts["composites"] == {"2018": "58.25"}
    assert case.facts["scores"]["2018-02"] == "50.00"


def test_the_annual_evaluation_runs_in_december_or_when_asked(hr, engineer):
    archived(engineer, "2018-05", 40)
    assert services.results_evaluate(year=2018, month=6, actor=hr).raised == []
    result = services.results_evaluate(year=2018, month=6, actor=hr, annual=True)
    assert _kinds(result) == [("engineer", CaseKind.WORK_REPORT)]
    assert result.run.annual is True


def test_r_7_2_three_years_at_90_or_more_make_a_promotion_candidate(hr, engineer, world):
    for year, score in [(2016, 90), (2017, 95), (2018, 92)]:
        archived(engineer, f"{year}-06", score)
    for year in (2017, 2018):  # only two years
        archived(world.employee("engineer2"), f"{year}-06", 99)
    result = services.results_evaluate(year=2018, month=12, actor=hr)
    assert _kinds(result) == [("engineer", CaseKind.PROMOTION_CANDIDATE)]
    assert result.raised[0].facts["composites"] == {"2016": "90.00", "2017": "95.00", "2018": "92.00"}


def test_r_7_2_one_year_below_90_breaks_the_three(hr, engineer):
    archived(engineer, "2016-06", 95)
    archived_series(engineer, "2017-01", [95, 84])  # composite 89.5
    archived(engineer, "2018-06", 95)
    assert services.results_evaluate(year=2018, month=12, actor=hr).raised == []


# --- six-month follow-up --------------------------------------------------------------------


def _adjustment(world, employee: Employee, month: str) -> PositionAdjustment:
    year, number = (int(part) for part in month.split("-"))
    return PositionAdjustment.objects.create(
        employee=employee,
        year=year,
        month=number,
        from_position=employee.position,
        to_position=Position.objects.get(code="tech_support"),
        kind="adjust_position",
        reason="述职后调整",
        made_by=world.users["hr"],
    )


def test_r_7_3_six_months_after_an_adjustment_still_below_60_raise_a_dismissal_case(hr, engineer, world):
    adjustment = _adjustment(world, engineer, "2018-03")
    archived(engineer, "2018-03", 10)  # the month of the adjustment itself does not count
    archived_series(engineer, "2018-04", [50, 50, 62, 50, 58, 62])  # mean 55.33
    assert services.results_evaluate(year=2018, month=8, actor=hr).raised == []  # five months only
    result = services.results_evaluate(year=2018, month=9, actor=hr)
    assert _kinds(result) == [("engineer", CaseKind.FOLLOW_UP_DISMISSAL)]
    case = result.raised[0]
    assert (case.year, case.month, case.follows) == (2018, 3, adjustment)
    assert case.facts["adjusted_in"] == "2018-03"
    assert list(case.facts["scores"]) == ["2018-04", "2018-05", "2018-06", "2018-07", "2018-08", "2018-09"]


def test_r_7_3_a_follow_up_at_60_or_more_passes_and_is_not_followed_again(hr, engineer, world):
    adjustment = _adjustment(world, engineer, "2018-03")
    archived_series(engineer, "2018-04", [60, 60, 55, 65, 60, 60, 10, 10, 10])
    services.results_evaluate(year=2018, month=9, actor=hr)
    adjustment.refresh_from_db()
    assert adjustment.follow_up_passed is True
    services.results_evaluate(year=2018, month=11, actor=hr)
    assert _cases(engineer, CaseKind.FOLLOW_UP_DISMISSAL) == []


# --- idempotency, permission, queries ---------------------------------------------------------------


def test_evaluating_twice_raises_nothing_new_and_records_both_runs(hr, engineer):
    archived_series(engineer, "2018-10", [50, 50, 50])
    first = services.results_evaluate(year=2018, month=12, actor=hr)
    second = services.results_evaluate(year=2018, month=12, actor=hr)
    assert _kinds(first) == [("engineer", CaseKind.UNQUALIFIED), ("engineer", CaseKind.WORK_REPORT)]
    assert second.raised == []
    assert ResultCase.objects.filter(employee=engineer).count() == 2
    runs = EvaluationRun.objects.filter(year=2018, month=12).order_by("id")
    assert [run.raised for run in runs] == [{"unqualified": 1, "work_report": 1}, {}]


def test_a_decided_case_is_not_raised_again(hr, engineer):
    archived_series(engineer, "2018-01", [50, 50, 50])
    case = services.results_evaluate(year=2018, month=3, actor=hr).raised[0]
    services.case_decide(case=case, decision="keep", note="已述职,留岗观察", actor=hr)
    assert services.results_evaluate(year=2018, month=3, actor=hr).raised == []


@pytest.mark.parametrize("persona", ["employee", "supervisor", "head", "outsider"])
def test_only_hr_evaluates(world, persona):
    with pytest.raises(PermissionDenied):
        services.results_evaluate(year=2018, month=3, actor=world.users[persona])


def test_the_command_line_runs_as_the_system(engineer):
    archived_series(engineer, "2018-01", [50, 50, 50])
    result = services.results_evaluate(year=2018, month=3, actor=None)
    assert result.raised[0].raised_by is None
    assert result.run.actor is None


def test_a_bad_month_is_refused(hr):
    with pytest.raises(ValidationError):
        services.results_evaluate(year=2018, month=13, actor=hr)


def test_the_evaluation_reads_the_scores_in_one_query_whatever_the_number_of_employees(hr, world):
    """Queries: savepoint, the adjustments to follow, the archived scores (one), the existing cases,
    the bulk inserts of the cases and of their history, the run, release, HR's e-mail addresses.
    (Marking passed follow-ups adds one more when there are any.)"""
    names = ["engineer", "engineer2", "engineer3", "technician", "technician2"]
    people = list(Employee.objects.filter(user__username__in=names))

    def queries(employees: list[Employee], month: str) -> int:
        for employee in employees:
            archived_series(employee, month, [50, 50, 50])
        year, number = (int(part) for part in month.split("-"))
        services.is_hr(hr)  # the actor's roles, read once per request and cached on the user
        with CaptureQueriesContext(connection) as captured:
            result = services.results_evaluate(year=year, month=number + 2, actor=hr)
        assert len(result.raised) == len(employees)
        return len(captured)

    # 9, and the month results (R-3.1, appraisal.outcome): periods, close lines in force, discipline
    # points, forced templates, the pay settings
    assert queries(people[:1], "2016-01") == queries(people, "2017-01") == 14


def test_hr_is_mailed_once_a_run_raises_cases(hr, engineer, mailoutbox, django_capture_on_commit_callbacks):
    archived_series(engineer, "2018-01", [50, 50, 50])
    with django_capture_on_commit_callbacks(execute=True):
        services.results_evaluate(year=2018, month=3, actor=hr)
    with django_capture_on_commit_callbacks(execute=True):
        services.results_evaluate(year=2018, month=3, actor=hr)  # nothing new: no mail
    assert [(mail.to, mail.subject) for mail in mailoutbox] == [
        (["hr@example.com"], "绩效结果运用: 2018-03 评估新立案 1 件")
    ]
