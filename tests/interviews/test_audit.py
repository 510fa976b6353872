"""R-4.4: HR's audit of missing interviews, the "interview missing" flag on appraisals and its release."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.appraisal.models import Appraisal
from aftersales.appraisal.services import period_open
from aftersales.core.interview_rules import Block
from aftersales.interviews.selectors import employees_missing_interview, interview_audit
from aftersales.interviews.services import interviews_flag_missing
from aftersales.organisation.models import Department, Employee
from tests.interviews.helpers import record, user

pytestmark = pytest.mark.django_db

MAR_APR = Block(2026, 2)


def _missing(block=MAR_APR, as_of=None):
    return set(employees_missing_interview(block, as_of=as_of).values_list("user__username", flat=True))


def _with_supervisor():
    return set(Employee.objects.filter(supervisor__isnull=False).values_list("user__username", flat=True))


def test_r_4_4_everyone_with_a_supervisor_is_missing_until_interviewed(org):
    assert _missing() == _with_supervisor()
    assert {"head", "hr", "outsider"}.isdisjoint(_missing())  # nobody to interview them


def test_r_4_4_an_interview_dated_in_the_block_covers_it(org):
    record("engineer", held_on=date(2026, 4, 30))
    record("engineer2", held_on=date(2026, 3, 1))
    assert {"engineer", "engineer2"}.isdisjoint(_missing())


def test_r_4_4_an_interview_before_the_block_does_not_cover_it(org):
    record("engineer", held_on=date(2026, 2, 28))
    assert "engineer" in _missing()


def test_r_4_4_a_late_interview_counts_up_to_when_the_audit_looks(org):
    record("engineer", held_on=date(2026, 5, 6))
    assert "engineer" in _missing(as_of=date(2026, 5, 5))
    assert "engineer" not in _missing(as_of=date(2026, 5, 6))


def test_r_4_4_who_left_before_or_joined_after_the_block_is_not_audited(org):
    Employee.objects.filter(user__username="engineer").update(active_to=date(2026, 2, 28))
    Employee.objects.filter(user__username="engineer2").update(active_from=date(2026, 5, 1))
    assert {"engineer", "engineer2"}.isdisjoint(_missing())
    Employee.objects.filter(user__username="engineer").update(active_to=date(2026, 3, 1))
    assert "engineer" in _missing()


def test_r_4_4_the_audit_lists_missing_interviews_per_supervisor(org):
    record("engineer", held_on=date(2026, 3, 10))
    groups = {group.supervisor.user.username: group for group in interview_audit(2026, 2)}
    assert [e.user.username for e in groups["regional"].employees] == ["engineer2", "engineer3"]
    assert set(groups) == {"head", "supervisor", "regional", "repairlead"}
    assert all(e.supervisor == group.supervisor for group in groups.values() for e in group.employees)


def test_the_audit_takes_one_query_however_many_are_missing(org):
    with CaptureQueriesContext(connection) as few:
        interview_audit(2026, 2)
    Employee.objects.filter(supervisor__isnull=True, user__username__in=["head", "hr", "outsider"]).update(
        supervisor=Employee.objects.get(user__username="supervisor")
    )
    with CaptureQueriesContext(connection) as more:
        groups = interview_audit(2026, 2)
        [e.department.name for group in groups for e in group.employees]
    assert len(few) == len(more) == 1  # employees ⋈ supervisor, department, position, NOT EXISTS interview


def _open_april():
    period_open(actor=user("hr"), department=Department.objects.get(code="as"), year=2026, month=4)


def _flag(username):
    return Appraisal.objects.get(
        employee__user__username=username, period__year=2026, period__month=4, is_current=True
    ).interview_missing


def test_r_4_4_at_the_close_the_months_appraisal_of_the_missing_is_flagged(org):
    _open_april()
    record("engineer", held_on=date(2026, 4, 2))
    result = interviews_flag_missing(year=2026, month=4, actor=user("hr"))
    assert "engineer" not in {e.user.username for e in result.missing}
    assert (_flag("engineer"), _flag("engineer2")) == (False, True)
    assert result.flagged == Appraisal.objects.filter(interview_missing=True).count() > 0
    entry = Appraisal.objects.get(employee__user__username="engineer2", period__month=4).history.latest()
    assert entry.history_user == user("hr")


def test_r_4_4_recording_the_interview_releases_the_flag(org):
    _open_april()
    interviews_flag_missing(year=2026, month=4, actor=user("hr"))
    assert _flag("engineer2")
    record("engineer2", held_on=date(2026, 5, 3))
    assert not _flag("engineer2")
    assert _flag("engineer3")


def test_r_4_4_an_interview_before_the_block_does_not_release_it(org):
    _open_april()
    interviews_flag_missing(year=2026, month=4, actor=user("hr"))
    record("engineer2", held_on=date(2026, 2, 27))
    assert _flag("engineer2")


def test_r_4_4_flagging_twice_flags_nothing_new(org):
    _open_april()
    first = interviews_flag_missing(year=2026, month=4, actor=user("hr"))
    again = interviews_flag_missing(year=2026, month=4, actor=user("hr"))
    assert first.flagged > 0 and again.flagged == 0
    assert len(first.missing) == len(again.missing)


def test_r_4_4_flags_are_set_only_at_the_close_of_a_block(org):
    with pytest.raises(ValidationError):
        interviews_flag_missing(year=2026, month=3, actor=user("hr"))


@pytest.mark.parametrize("someone", ["regional", "head", "engineer"])
def test_r_4_4_only_hr_runs_the_audit(org, someone):
    with pytest.raises(PermissionDenied):
        interviews_flag_missing(year=2026, month=4, actor=user(someone))


def test_r_4_4_the_audit_command_flags_at_the_close_and_only_reports_otherwise(org):
    from io import StringIO

    from django.core.management import call_command

    _open_april()
    out = StringIO()
    call_command("interview_audit", month="2026-03", user="hr", stdout=out)
    assert "nothing flagged" in out.getvalue() and not _flag("engineer2")
    call_command("interview_audit", month="2026-04", user="hr", stdout=out)
    sun = Employee.objects.get(user__username="engineer2")
    assert f"{sun.number} 孙涛" in out.getvalue() and _flag("engineer2")
