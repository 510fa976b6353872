"""Personas of tests/access/cases.py (赵磊, his supervisor 陈刚, head 王建国, hr, outsider) and helpers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from aftersales.discipline import services
from aftersales.discipline.models import DisciplineRecord
from tests.access.cases import World

# A year of its own, clear of the current year (the demo's records, when a test loads the demo).
YEAR = 2023


@pytest.fixture
def world(personas) -> World:
    return World()


def propose(
    world: World,
    kind: str,
    *,
    employee: Any = None,
    day: date | None = None,
    by: str = "supervisor",
    **kwargs: Any,
) -> DisciplineRecord:
    """A record for 赵磊 (default) proposed by his supervisor 陈刚 (default)."""
    kwargs.setdefault("reason_text", "测试事由")
    return services.record_propose(
        employee=employee or world.employees["employee"],
        kind=kind,
        effective_date=day or date(YEAR, 3, 15),
        actor=world.users[by],
        **kwargs,
    )


def approved(world: World, kind: str, **kwargs: Any) -> DisciplineRecord:
    """Proposed by the supervisor, approved by the department head."""
    return services.record_approve(record=propose(world, kind, **kwargs), actor=world.users["head"])
