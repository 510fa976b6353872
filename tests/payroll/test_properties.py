"""Invariants of the close over random companies (hypothesis): R-5.3 no yuan created or lost, R-5.4
the balance goes to the fund, and a rerun changes nothing."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.organisation.models import Category
from aftersales.payroll.models import CloseLine, CloseVersion, DepartmentCoefficient, PaySettings
from aftersales.payroll.services import close_run
from tests.payroll.helpers import Person, pool

CODES = itertools.count()
CATEGORIES = [Category.FIELD_SERVICE, Category.REPAIR, Category.TECH_SUPPORT]

people = st.builds(
    Person,
    salary=st.integers(min_value=0, max_value=20000).map(str),
    score=st.one_of(
        st.integers(min_value=0, max_value=100).map(str), st.decimals("0", "100", places=2).map(str)
    ),
    category=st.sampled_from(CATEGORIES),
)
departments = st.lists(
    st.tuples(
        st.lists(people, min_size=1, max_size=8),
        st.sampled_from(["1", "0.9", "0.75", "1.1", "0"]),  # d
        st.booleans(),  # the head (first member) in the pool
    ),
    min_size=1,
    max_size=3,
)


def _company(spec, hr) -> None:
    for members, coefficient, head_in_pool in spec:
        dept, _staff, _period = pool(f"p{next(CODES)}", members, head=0, head_in_pool=head_in_pool, actor=hr)
        DepartmentCoefficient.objects.create(
            department=dept, year=2025, month=3, value=Decimal(coefficient), reason="测试", set_by=hr
        )


def _check_sums(version: CloseVersion) -> None:
    lines = list(version.lines.all())
    pool_pay = sum((line.pay for line in lines if line.in_pool), Decimal(0))
    assert all(line.pay % version.rounding_unit == 0 for line in lines)
    if any(line.factor for line in lines if line.in_pool):
        assert pool_pay == version.distributable  # Σ pay_i = P exactly
        assert version.fund_inflow == max(version.pool_base - version.distributable, Decimal(0))
    else:  # nobody to share with, P goes to the fund too
        assert pool_pay == 0


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    spec=departments, unit=st.sampled_from(["1", "10", "0.5"]), ratio=st.sampled_from(["0.3", "0.5", "0.25"])
)
def test_every_close_pays_out_the_distributable_amount_and_a_rerun_changes_nothing(hr, spec, unit, ratio):
    with transaction.atomic():
        PaySettings.objects.update_or_create(pk=1, defaults={"rounding_unit": unit, "pay_ratio": ratio})
        _company(spec, hr)
        outcome = close_run(department=None, year=2025, month=3, actor=hr)
        assert len(outcome.created) == len(spec)
        for version in outcome.created:
            _check_sums(version)
        rows = (CloseVersion.objects.count(), CloseLine.objects.count(), list(CloseLine.objects.values()))
        again = close_run(department=None, year=2025, month=3, actor=hr)
        assert again.created == [] and len(again.unchanged) == len(spec)
        assert (
            CloseVersion.objects.count(),
            CloseLine.objects.count(),
            list(CloseLine.objects.values()),
        ) == rows
        transaction.set_rollback(True)  # the next example starts from an empty company
