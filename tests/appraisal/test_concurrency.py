"""R-4.1/R-4.2/R-4.3 under concurrency: a step checks the form's state under a row lock.

Two threads, each with its own connection and transaction, take two steps that both start from
"reviewed" at the same moment: the employee confirms while appealing in another tab, or the daily
automatic confirmation runs while the employee appeals. The form's row lock (``select_for_update``
in ``services._check``/``_lock``) makes one wait for the other, which then sees the new state and
is refused. Exactly one step is recorded.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from aftersales.appraisal import services
from aftersales.appraisal.models import Appeal, Appraisal, State, Transition
from aftersales.appraisal.scoring import appraisal_template
from tests.appraisal.helpers import advance
from tests.concurrency import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent transactions: SQLite serialises writers (BEGIN IMMEDIATE)",
    ),
]


def _race(*actions) -> list[str]:
    """Each action's outcome is "done" unless it is refused."""

    def done(action):
        return lambda: (action(), "done")[1]

    return race(*(done(action) for action in actions), refused=services.ActionError)


def _steps_out_of_reviewed(appraisal: Appraisal) -> int:
    return Transition.objects.filter(appraisal=appraisal, from_state=State.REVIEWED).count()


def test_r_4_2_confirm_and_appeal_at_once_only_one_is_taken(people, appraisal):
    advance(appraisal, State.REVIEWED)
    section = appraisal_template(appraisal).sections[0].code
    employee = people["employee"]
    outcomes = _race(
        lambda: services.appraisal_confirm(appraisal=Appraisal.objects.get(pk=appraisal.pk), actor=employee),
        lambda: services.appeal_file(
            appraisal=Appraisal.objects.get(pk=appraisal.pk), actor=employee, items=[section], reasons="不实"
        ),
    )
    assert outcomes == ["done", "refused"]
    assert _steps_out_of_reviewed(appraisal) == 1
    appraisal.refresh_from_db()
    assert (appraisal.state == State.APPEALED) == Appeal.objects.filter(appraisal=appraisal).exists()


def test_r_4_2_the_automatic_confirmation_and_an_appeal_at_once_only_one_is_taken(people, appraisal):
    advance(appraisal, State.REVIEWED)
    Appraisal.objects.filter(pk=appraisal.pk).update(seen_at=timezone.now() - timedelta(days=3, minutes=1))
    section = appraisal_template(appraisal).sections[0].code
    results: list[bool] = []

    def auto():
        results.append(services.appraisal_auto_confirm(appraisal=Appraisal.objects.get(pk=appraisal.pk)))

    outcomes = _race(
        auto,
        lambda: services.appeal_file(
            appraisal=Appraisal.objects.get(pk=appraisal.pk),
            actor=people["employee"],
            items=[section],
            reasons="不实",
        ),
    )
    # whichever came first wins; the automatic confirmation answers False (nothing to do) when the
    # appeal came first, and the appeal is refused when the confirmation came first
    assert (results, outcomes) in (([True], ["done", "refused"]), ([False], ["done", "done"]))
    assert _steps_out_of_reviewed(appraisal) == 1
