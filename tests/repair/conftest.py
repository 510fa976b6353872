"""Fixtures of the repair tests: the repair group (返修组 of the personas) and a month of jobs (June 2025)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.auth import get_user_model

from aftersales.core.periods import SHANGHAI, Month
from aftersales.organisation.models import Employee
from aftersales.repair.models import RepairJob
from tests.parts.conftest import api, as_user, org  # noqa: F401 — the parts tests' fixtures, shared

JUNE = Month(2025, 6)


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def users(org):  # noqa: F811
    names = ["repairlead", "technician", "technician2", "engineer", "regional", "head", "hr", "outsider"]
    return get_user_model().objects.in_bulk(names, field_name="username")


@pytest.fixture
def techs(org):  # noqa: F811
    """郑浩 and 冯军, the repair lead 吴强's technicians."""
    return tuple(Employee.objects.get(user__username=name) for name in ["technician", "technician2"])


@pytest.fixture
def june(users, techs):
    """A month of repairs: 郑浩 (a) is late once and has a unit come back; 冯军 (b) is clean."""
    a, b = techs

    def job(tech, unit, received, completed):
        return RepairJob.objects.create(
            technician=tech,
            unit_serial=unit,
            product="控制器",
            received_at=received,
            completed_at=completed,
            created_by=users["repairlead"],
        )

    return {
        "a0": job(a, "SN-4", at(4, 10), at(4, 15)),  # comes back in June (58 days later)
        "a1": job(a, "SN-1", at(6, 2), at(6, 5)),  # on time
        "a2": job(a, "SN-2", at(6, 10), at(6, 20)),  # 10 days: late
        "a3": job(a, "SN-3", at(6, 28), None),  # deadline in July
        "b1": job(b, "SN-4", at(6, 12), at(6, 14)),  # the second repair of a0's unit
        "b2": job(b, "SN-5", at(6, 3), at(6, 6)),
    }
