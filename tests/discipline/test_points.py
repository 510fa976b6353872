"""R-6.2 points on the month of effect, from approved records only; the selectors the close calls."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.discipline import services
from aftersales.discipline.models import Kind
from aftersales.discipline.selectors import discipline_points_by_employee, discipline_points_for
from tests.discipline.conftest import YEAR, approved, propose


def test_r6_2_points_land_on_the_month_of_effect(world):
    approved(world, Kind.MERIT, day=date(YEAR, 3, 31))
    approved(world, Kind.WARNING, day=date(YEAR, 3, 1))
    approved(world, Kind.MAJOR_DEMERIT, day=date(YEAR, 4, 1))
    engineer = world.employees["employee"]
    assert discipline_points_for(engineer, YEAR, 3) == Decimal(2)
    assert discipline_points_for(engineer, YEAR, 4) == Decimal(-9)
    assert discipline_points_for(engineer, YEAR, 5) == Decimal(0)
    assert isinstance(discipline_points_for(engineer, YEAR, 5), Decimal)


def test_r6_2_only_approved_records_count(world):
    propose(world, Kind.MAJOR_MERIT)  # awaiting approval
    rejected = propose(world, Kind.MERIT)
    services.record_reject(record=rejected, actor=world.users["head"], note="不属实")
    approved(world, Kind.COMMENDATION)
    assert discipline_points_for(world.employees["employee"], YEAR, 3) == Decimal(1)


def test_r6_2_removal_and_dismissal_carry_no_points(world):
    approved(world, Kind.REMOVAL)
    assert discipline_points_for(world.employees["employee"], YEAR, 3) == Decimal(0)


def test_points_are_per_employee(world):
    colleague = world.employee("engineer2")
    approved(world, Kind.MERIT)
    approved(world, Kind.DEMERIT, employee=colleague)
    points = discipline_points_by_employee(YEAR, 3)
    assert points == {world.employees["employee"].pk: Decimal(3), colleague.pk: Decimal(-3)}
    assert discipline_points_by_employee(YEAR, 3, [colleague.pk]) == {colleague.pk: Decimal(-3)}


def test_points_for_a_whole_month_take_one_query(world):
    for persona in ("engineer", "engineer2", "engineer3"):
        approved(world, Kind.MERIT, employee=world.employee(persona))
    with CaptureQueriesContext(connection) as queries:
        points = discipline_points_by_employee(YEAR, 3)
    assert len(points) == 3
    assert len(queries) == 1  # the approved records of the month
