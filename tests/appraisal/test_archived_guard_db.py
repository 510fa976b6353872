"""R-4.1 an archived form never changes — enforced by the database too (migration 0002_archived_guard).

``Appraisal.save()/delete()`` refuse already (test_services.py); these tests go behind the model's
back with queryset ``update()`` and raw SQL, which only the database triggers can stop.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from aftersales.appraisal.models import Appraisal, State
from tests.appraisal.helpers import advance
from tests.guards import columns_accepted, refused

pytestmark = pytest.mark.django_db

TABLE = Appraisal._meta.db_table


@pytest.fixture
def archived(appraisal):
    return advance(appraisal, State.ARCHIVED)


def _row(appraisal: Appraisal) -> dict[str, Any]:
    return Appraisal.objects.filter(pk=appraisal.pk).values().get()


def _refused(update: Callable[[], Any]) -> None:
    refused(update, "an archived appraisal never changes (R-4.1)")


def test_r4_1_the_database_refuses_to_change_an_archived_result(archived):
    """R-4.1: neither a queryset update nor raw SQL changes the score of an archived form."""
    before = _row(archived)
    _refused(lambda: Appraisal.objects.filter(pk=archived.pk).update(form_total=Decimal("1.00")))

    def raw_update() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET final_score = 1 WHERE id = %s", [archived.pk])

    _refused(raw_update)
    assert _row(archived) == before


def test_r4_1_every_column_but_the_interview_flag_is_guarded(archived):
    """R-4.1: each column of the model (a column added later included) is refused on an archived
    form, except ``Appraisal._MUTABLE_WHEN_ARCHIVED`` — on SQLite the trigger lists the columns."""
    before = _row(archived)
    guarded = [f for f in Appraisal._meta.concrete_fields if f.name not in Appraisal._MUTABLE_WHEN_ARCHIVED]
    assert columns_accepted(Appraisal.objects.filter(pk=archived.pk), before, guarded) == []
    assert len(guarded) == len(Appraisal._meta.concrete_fields) - 2
    assert _row(archived) == before


def test_r4_1_the_interview_flag_may_change_on_an_archived_result(archived):
    """R-4.1 with R-4.4: the "interview missing" flag holds or releases pay, not the form."""
    later = timezone.now() + timedelta(hours=1)
    Appraisal.objects.filter(pk=archived.pk).update(interview_missing=True, updated_at=later)
    row = _row(archived)
    assert row["interview_missing"] is True
    assert row["updated_at"] == later
    Appraisal.objects.filter(pk=archived.pk).update(interview_missing=False)
    assert _row(archived)["interview_missing"] is False


def test_r4_1_forms_not_yet_archived_are_unaffected(appraisal):
    """R-4.1 guards archived forms only: earlier states change, and archiving itself is an update."""
    advance(appraisal, State.CONFIRMED)
    Appraisal.objects.filter(pk=appraisal.pk).update(form_total=Decimal("1.00"))
    assert _row(appraisal)["form_total"] == Decimal("1.00")
    Appraisal.objects.filter(pk=appraisal.pk).update(state=State.ARCHIVED, final_score=Decimal("2.00"))
    assert _row(appraisal)["final_score"] == Decimal("2.00")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the delete trigger is PostgreSQL's (SQLite flushes test data with DELETE)",
)
def test_r4_1_the_database_refuses_to_delete_an_archived_result(archived):
    """R-4.1: raw SQL cannot delete an archived form either."""

    def raw_delete() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [archived.pk])

    _refused(raw_delete)
    assert Appraisal.objects.filter(pk=archived.pk, state=State.ARCHIVED).exists()
