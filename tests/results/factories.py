"""Archived appraisals straight in the database (factory_boy): the results read nothing else.

Walking a form through the monthly cycle takes a dozen actions; the use of results only reads the
final score of the current archived version, so these build that row (and its period) directly.
"""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from aftersales.appraisal.models import Appraisal, Period, State
from aftersales.core.periods import Month
from aftersales.organisation.models import Employee


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ("department", "year", "month")

    year = 2018
    month = 1
    status = Period.Status.CLOSED
    opened_by = factory.LazyFunction(lambda: get_user_model().objects.get(username="hr"))


class AppraisalFactory(factory.django.DjangoModelFactory):
    """An archived, current appraisal (the final monthly score, R-3.1) unless told otherwise."""

    class Meta:
        model = Appraisal

    employee = factory.LazyFunction(lambda: Employee.objects.get(user__username="engineer"))
    period = factory.LazyAttribute(lambda o: PeriodFactory(department=o.employee.department.root))
    template_code = factory.LazyAttribute(lambda o: o.employee.category)
    template_version = 1
    state = State.ARCHIVED
    final_score = Decimal("80")
    form_total = factory.LazyAttribute(lambda o: o.final_score)


def archived(employee: Employee, month: str, score: str | int, **kwargs: object) -> Appraisal:
    """``employee``'s archived final score of ``month`` ("YYYY-MM")."""
    at = Month.parse(month)
    period = PeriodFactory(department=employee.department.root, year=at.year, month=at.month)
    return AppraisalFactory(employee=employee, period=period, final_score=Decimal(score), **kwargs)


def archived_series(employee: Employee, first: str, scores: list[str | int]) -> None:
    """Consecutive months from ``first``, one archived score each."""
    start = Month.parse(first)
    for step, score in enumerate(scores):
        archived(employee, str(start.shift(step)), score)
