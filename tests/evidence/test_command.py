"""`aftersales evidence_propose --year --month`: the month's proposals for every department (SPEC §11)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from aftersales.evidence.models import Proposal
from tests.evidence.conftest import complaint, phone_offs

pytestmark = pytest.mark.django_db


def run(**options) -> str:
    out = StringIO()
    call_command("evidence_propose", stdout=out, **options)
    return out.getvalue()


def test_the_command_proposes_and_is_idempotent(people, june):
    complaint(people)
    phone_offs(people, "engineer2", [3])
    assert "2 new, 0 refreshed, 0 withdrawn" in run(year=2025, month=6)
    assert "0 new, 0 refreshed, 0 withdrawn" in run(year=2025, month=6)
    assert Proposal.objects.filter(appraisal__period=june).count() == 2


def test_the_command_refuses_a_month_without_a_period(people):
    with pytest.raises(CommandError, match="no appraisal period"):
        run(year=2019, month=2)
    with pytest.raises(CommandError, match="between 1 and 12"):
        run(year=2025, month=13)
