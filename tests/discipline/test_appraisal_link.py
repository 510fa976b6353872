"""R-3.1/R-6.2: an approval shows its points on that month's appraisal form while the form can change."""

from datetime import date
from decimal import Decimal

import pytest

from aftersales.appraisal.models import Appraisal, Period, State
from aftersales.discipline.models import Kind
from tests.discipline.conftest import YEAR, approved


def _appraisal(world, state: str, month: int = 3) -> Appraisal:
    engineer = world.employees["employee"]
    period = Period.objects.create(
        department=engineer.department, year=YEAR, month=month, opened_by=world.users["hr"]
    )
    return Appraisal.objects.create(
        period=period, employee=engineer, template_code="field_service", template_version=1, state=state
    )


def test_the_months_form_gets_the_points(world):
    appraisal = _appraisal(world, State.SELF_REPORTED)
    approved(world, Kind.MERIT, day=date(YEAR, 3, 2))
    approved(world, Kind.WARNING, day=date(YEAR, 3, 20))
    approved(world, Kind.MAJOR_MERIT, day=date(YEAR, 4, 1))  # another month
    appraisal.refresh_from_db()
    assert appraisal.discipline_points == Decimal(2)


@pytest.mark.parametrize("state", [State.CONFIRMED, State.ARCHIVED])
def test_a_confirmed_form_is_left_as_it_is(world, state):
    appraisal = _appraisal(world, state)
    approved(world, Kind.MERIT)
    appraisal.refresh_from_db()
    assert appraisal.discipline_points == Decimal(0)
