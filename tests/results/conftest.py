"""The personas (tests/access/cases.py, tests/personas.py) and the HR actor for the results tests."""

from __future__ import annotations

import pytest

from tests.access.cases import World


@pytest.fixture
def world(personas) -> World:
    return World()


@pytest.fixture
def hr(world):
    return world.users["hr"]


@pytest.fixture
def engineer(world):
    """赵磊, field service, reports to 陈刚."""
    return world.employees["employee"]
