"""Pay acts under concurrency (R-4.1 row locks, R-5): checked and changed under a row lock.

Two threads, each with its own connection and transaction, at the same moment: two HR users release
the same held pay; two HR users close the same month. The lock makes the second wait for the first
and then see its result: one release, one first close (the other finds the month unchanged).
"""

from __future__ import annotations

import pytest
from django.db import connection

from aftersales.appraisal.models import Appraisal
from aftersales.payroll.models import CloseLine, CloseVersion
from aftersales.payroll.services import ActionError, close_run, pay_release
from tests.concurrency import race
from tests.payroll.helpers import Person, hr_user, pool

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent transactions: SQLite serialises writers (BEGIN IMMEDIATE)",
    ),
]


def _race(*actions) -> list[str]:
    return race(*actions, refused=ActionError)


def test_two_hr_users_release_the_same_held_pay_once():
    first, second = hr_user("hr-a"), hr_user("hr-b")
    dept, staff, period = pool("race", [Person("3000", "100"), Person("2000", "80", interview_missing=True)])
    (version,) = close_run(department=dept, year=2025, month=3, actor=first).created
    Appraisal.objects.filter(period=period).update(interview_missing=False)
    held = version.lines.get(employee=staff[1])

    def release(user):
        return lambda: (
            pay_release(line=CloseLine.objects.get(pk=held.pk), actor=user, note=user.username) and "done"
        )

    assert _race(release(first), release(second)) == ["done", "refused"]
    held.refresh_from_db()
    assert held.released_by in (first, second) and held.release_note == held.released_by.username


def test_two_hr_users_close_the_same_month_at_once_one_version_is_made():
    first, second = hr_user("hr-a"), hr_user("hr-b")
    dept, _staff, period = pool("twice", [Person("3000", "100"), Person("2000", "80")])

    def close(user):
        def run():
            outcome = close_run(department=dept, year=2025, month=3, actor=user)
            return "created" if outcome.created else "unchanged"

        return run

    assert _race(close(first), close(second)) == ["created", "unchanged"]
    assert CloseVersion.objects.filter(period=period).count() == 1
