"""One truth per employee-month (R-3.1) and closes that go out of date.

Before the close the month's result is the form total with the discipline points approved so far
(whenever approved), and a forced-distribution form has no grade yet; after the close every place
reads the close version in force. A change after the close flags it out of date, lists the change
for HR, and a re-close clears it and tells the employees whose result moved.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.appraisal.models import Appeal, Appraisal, Notification
from aftersales.appraisal.outcome import result_of, results_for
from aftersales.core.periods import Month
from aftersales.discipline.models import DisciplineRecord, Status
from aftersales.organisation.models import Category
from aftersales.payroll import changes
from aftersales.payroll.models import (
    CloseLine,
    CloseVersion,
    DepartmentCoefficient,
    GradeOverride,
    PaySettings,
)
from aftersales.payroll.services import ActionError, close_run, coefficient_set, pay_settings_update
from aftersales.results.selectors import archived_scores
from tests.payroll.helpers import Person, pool

pytestmark = pytest.mark.django_db

D = Decimal
FIELD = Category.FIELD_SERVICE


def _approve(employee, kind: str, day: date, hr, at=None) -> DisciplineRecord:
    return DisciplineRecord.objects.create(
        employee=employee,
        kind=kind,
        reason_text="测试",
        effective_date=day,
        issuer=hr,
        status=Status.APPROVED,
        approved_by=hr,
        approved_at=at or timezone.now(),
    )


def _flagged(version: CloseVersion) -> bool:
    return changes.with_out_of_date(CloseVersion.objects.filter(pk=version.pk)).get().out_of_date


def _month(dept, hr, people=None):
    people = people or [Person("5000", "95", FIELD), Person("5000", "85", FIELD), Person("5000", "75", FIELD)]
    dept_, staff, period = pool(dept, people, actor=hr)
    return dept_, staff, period


def test_r_3_1_before_the_close_the_form_shows_points_approved_before_the_period_opened(hr):
    """R-3.1: a record approved before HR opened the period counts on the form, live."""
    _dept, staff, period = _month("t1", hr)
    _approve(staff[0], "demerit", date(2025, 3, 5), hr)
    form = Appraisal.objects.get(period=period, employee=staff[0])
    result = result_of(form)
    assert (result.discipline_points, result.final_score) == (D(-3), D(92))
    assert result.pending and result.grade == "" and result.reference_grade == "A"  # forced: at the close


def test_r_3_1_after_the_close_every_place_reads_the_close_version(hr):
    """R-3.1: once closed, form, pay line and R-7 agree — the forced grade is the close's, with its
    rank-of-n explanation, not the absolute grade of the score."""
    dept, staff, period = _month("t2", hr)
    (version,) = close_run(department=dept, year=2025, month=3, actor=hr).created
    forms = list(Appraisal.objects.filter(period=period))
    results = results_for(forms)
    lines = {line.employee_id: line for line in CloseLine.objects.filter(version=version)}
    for form in forms:
        line, result = lines[form.employee_id], results[form.pk]
        assert (result.final_score, result.grade) == (line.final_score, line.grade)
        assert result.closed and result.explanation == line.grade_explanation
    top = results[next(f.pk for f in forms if f.employee_id == staff[0].pk)]
    assert top.grade != "A" and "3" in top.explanation  # 95 is not A among 3 (quota 4 %): rank 1 of 3
    scores = archived_scores(until=Month(2025, 3), since=Month(2025, 3))
    assert {e: s[Month(2025, 3)] for e, s in scores.items()} == {
        line.employee_id: line.final_score for line in lines.values()
    }


def test_r_3_1_a_record_approved_after_the_close_makes_it_out_of_date_until_re_closed(
    hr, django_capture_on_commit_callbacks
):
    """R-3.1: a discipline record approved after the close flags the close, lists the change,
    keeps showing the close's figures until HR re-closes; the re-close clears the flag and tells
    the employee whose final score changed (R-7 follows)."""
    dept, staff, period = _month("t3", hr)
    staff[1].user = hr.__class__.objects.create(username="t3-employee")
    staff[1].save(update_fields=["user"])
    (version,) = close_run(department=dept, year=2025, month=3, actor=hr).created
    assert not _flagged(version) and changes.changes_after(version) == []
    _approve(staff[1], "major_demerit", date(2025, 3, 20), hr)
    assert _flagged(version)
    (change,) = changes.changes_after(version)
    assert change.kind == changes.DISCIPLINE and staff[1].name in change.text
    form = Appraisal.objects.get(period=period, employee=staff[1])
    assert result_of(form).final_score == D(85) and result_of(form).out_of_date
    assert list(changes.out_of_date_closes()) == [version]
    with pytest.raises(ActionError):
        close_run(department=dept, year=2025, month=3, actor=hr)  # a re-close needs a reason
    with django_capture_on_commit_callbacks(execute=True):
        (second,) = close_run(department=dept, year=2025, month=3, actor=hr, reason="大过").created
    assert not _flagged(second) and result_of(form).final_score == D(76)
    assert archived_scores(until=Month(2025, 3), since=Month(2025, 3))[staff[1].pk][Month(2025, 3)] == D(76)
    notice = Notification.objects.get(recipient=staff[1].user)
    assert "76" in notice.message


def test_r_3_1_a_re_close_with_the_same_result_clears_the_flag(hr):
    """R-3.1: a change that changes nothing (an override withdrawn where there was none): the
    re-close makes no new version but records the check, and the close is no longer out of date."""
    dept, staff, period = _month("t4", hr, [Person("5000", "100"), Person("5000", "80")])
    (version,) = close_run(department=dept, year=2025, month=3, actor=hr).created
    GradeOverride.objects.create(
        employee=staff[0], year=2025, month=3, grade="", reason="撤销", final_score=D(100), actor=hr
    )
    assert _flagged(version)
    outcome = close_run(department=dept, year=2025, month=3, actor=hr, reason="核对")
    assert outcome.created == [] and outcome.unchanged == [period.pk]
    version.refresh_from_db()
    assert version.checked_at is not None and not _flagged(version) and changes.changes_after(version) == []


def test_r_3_1_overrides_coefficients_and_upheld_appeals_flag_the_close(hr):
    """R-3.1: an override, the department's coefficient and an upheld appeal of that month."""
    dept, staff, period = _month("t5", hr)
    (version,) = close_run(department=dept, year=2025, month=3, actor=hr).created
    GradeOverride.objects.create(
        employee=staff[2], year=2025, month=3, grade="B", reason="贡献", final_score=D(75), actor=hr
    )
    assert [c.kind for c in changes.changes_after(version)] == [changes.OVERRIDE]
    (version,) = close_run(department=dept, year=2025, month=3, actor=hr, reason="改判").created
    coefficient_set(department=dept, year=2025, month=3, value=D("0.9"), reason="部门考核", actor=hr)
    assert [c.kind for c in changes.changes_after(version)] == [changes.COEFFICIENT] and _flagged(version)
    (version,) = close_run(department=dept, year=2025, month=3, actor=hr, reason="系数").created
    form = Appraisal.objects.get(period=period, employee=staff[0])
    Appeal.objects.create(
        appraisal=form, items=["x"], reasons="r", status=Appeal.Status.UPHELD, decided_at=timezone.now()
    )
    assert [c.kind for c in changes.changes_after(version)] == [changes.APPEAL] and _flagged(version)


def test_r_3_1_settings_changes_concern_months_whose_pay_is_still_being_made(hr):
    """R-3.1 (decision, rules-payroll.md): a pay-settings change flags the closes of month M made
    before it when it happens before the end of M+1; older months are history."""
    this = Month.of(timezone.localdate())
    recent, old = this.shift(-1), this.shift(-6)
    dept, _staff, _period = pool("t6", [Person("5000", "90")], year=recent.year, month=recent.month, actor=hr)
    dept2, _staff2, _period2 = pool("t7", [Person("5000", "90")], year=old.year, month=old.month, actor=hr)
    (fresh,) = close_run(department=dept, year=recent.year, month=recent.month, actor=hr).created
    (stale,) = close_run(department=dept2, year=old.year, month=old.month, actor=hr).created
    PaySettings.load()
    pay_settings_update(actor=hr, reason="比例调整", fields={"pay_ratio": D("0.35")}, pay_factors={})
    assert _flagged(fresh) and [c.kind for c in changes.changes_after(fresh)] == [changes.SETTINGS]
    assert not _flagged(stale) and changes.changes_after(stale) == []


def test_r_3_1_the_list_flag_and_the_change_list_agree(hr):
    """The one-query flag (lists) and the change list (pay sheet) state the same rule."""
    dept, staff, _period = _month("t8", hr)
    (version,) = close_run(department=dept, year=2025, month=3, actor=hr).created
    earlier = version.closed_at - timedelta(minutes=1)
    _approve(staff[0], "merit", date(2025, 3, 1), hr, at=earlier)  # before the close: in it already
    _approve(staff[0], "merit", date(2025, 4, 1), hr)  # another month
    assert not _flagged(version) and changes.changes_after(version) == []
    DepartmentCoefficient.objects.create(
        department=dept, year=2025, month=4, value=D("0.8"), reason="下月", set_by=hr
    )
    assert not _flagged(version) and changes.changes_after(version) == []


def test_r_3_1_the_latest_change_of_each_month_is_read_by_effective_month(hr):
    """The to-do list's narrowing: the latest approval per effective month, months told apart at the
    year's turn (months no other test uses), computed by the database's own date functions
    (SQLite and PostgreSQL alike)."""
    _dept, staff, _period = _month("t-month", hr)
    employee = staff[0]
    early, late = timezone.now() - timedelta(days=2), timezone.now() - timedelta(days=1)
    _approve(employee, "merit", date(2098, 12, 31), hr, at=early)
    _approve(employee, "demerit", date(2098, 12, 1), hr, at=late)
    _approve(employee, "warning", date(2099, 1, 1), hr, at=early)
    latest = changes._latest_change_by_month()
    assert latest[2098 * 12 + 11] == late
    assert latest[2099 * 12 + 0] == early
