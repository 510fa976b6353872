"""`aftersales results_evaluate` (the management command): the evaluation of SPEC §7 from the shell."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from aftersales.results.models import CaseKind, EvaluationRun, ResultCase
from tests.results.factories import archived_series


def _run(*args: str) -> str:
    out = StringIO()
    call_command("results_evaluate", *args, stdout=out)
    return out.getvalue()


def test_the_command_raises_the_cases_once(engineer):
    archived_series(engineer, "2016-10", [50, 50, 50])
    assert _run("--year", "2016", "--month", "12").splitlines() == [
        "raised 2 case(s) as of 2016-12",
        "  unqualified: 1",
        "  work_report: 1",
    ]
    assert _run("--year", "2016", "--month", "12").splitlines() == ["raised 0 case(s) as of 2016-12"]
    assert ResultCase.objects.filter(employee=engineer, kind=CaseKind.WORK_REPORT).get().raised_by is None


def test_the_command_records_the_hr_user_given(world, engineer):
    _run("--year", "2016", "--month", "6", "--annual", "--user", "hr")
    run = EvaluationRun.objects.get(year=2016, month=6)
    assert (run.actor, run.annual) == (world.users["hr"], True)


@pytest.mark.parametrize(
    "args",
    [
        ("--year", "2016", "--month", "13"),
        ("--year", "2016", "--month", "6", "--user", "engineer"),
        ("--year", "2016", "--month", "6", "--user", "nobody"),
    ],
)
def test_the_command_refuses_bad_input(world, args):
    with pytest.raises(CommandError):
        _run(*args)
