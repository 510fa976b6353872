"""A close line never changes once written — enforced by the database (migration payroll 0003).

Archived results never change: a correction is a new close version. The one later act on a line is
HR releasing held pay (R-4.3, R-4.4), which fills in the release columns and nothing else. These
tests go behind the services with queryset ``update()`` and raw SQL, which only the triggers stop.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from aftersales.organisation.models import Category
from aftersales.payroll.models import CloseLine
from aftersales.payroll.services import close_run
from tests.guards import columns_accepted, refused
from tests.payroll.helpers import Person, pool

MESSAGE = "a close line never changes"
RELEASE = {"released_at", "released_by", "release_note"}


@pytest.fixture
def line(hr):
    dept, staff, _period = pool("guard", [Person("5000", "90", Category.FIELD_SERVICE), Person("4000", "80")])
    (version,) = close_run(department=dept, year=2025, month=3, actor=hr).created
    return version.lines.get(employee=staff[0])


def _row(line: CloseLine) -> dict:
    return CloseLine.objects.filter(pk=line.pk).values().get()


def test_r5_the_database_refuses_to_change_a_closed_pay_figure(line):
    """R-5.3: the pay of a closed line changes only by a new close version, never in place."""
    before = _row(line)
    refused(lambda: CloseLine.objects.filter(pk=line.pk).update(pay=Decimal("99999")), MESSAGE)

    def raw_update() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {CloseLine._meta.db_table} SET computed_grade = 'A' WHERE id = %s", [line.pk]
            )

    refused(raw_update, MESSAGE)
    assert _row(line) == before


def test_every_column_but_the_release_is_guarded(line):
    """Each column of the line (one added later included) is refused; on SQLite the trigger lists them."""
    before = _row(line)
    guarded = [f for f in CloseLine._meta.concrete_fields if f.name not in RELEASE]
    assert len(guarded) == len(CloseLine._meta.concrete_fields) - len(RELEASE)
    assert columns_accepted(CloseLine.objects.filter(pk=line.pk), before, guarded) == []
    assert _row(line) == before


def test_r4_3_releasing_held_pay_fills_in_the_release_columns(line, hr):
    """R-4.3 / R-4.4: the release is the one change a line takes (services.pay_release writes it)."""
    now = timezone.now()
    CloseLine.objects.filter(pk=line.pk).update(released_at=now, released_by=hr, release_note="面谈已补录")
    row = _row(line)
    assert (row["released_at"], row["released_by_id"], row["release_note"]) == (now, hr.pk, "面谈已补录")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the delete trigger is PostgreSQL's (SQLite flushes test data with DELETE)",
)
def test_the_database_refuses_to_delete_a_close_line(line):
    def raw_delete() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {CloseLine._meta.db_table} WHERE id = %s", [line.pk])

    refused(raw_delete, MESSAGE)
    assert CloseLine.objects.filter(pk=line.pk).exists()
