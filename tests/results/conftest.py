"""The demo organisation's personas (tests/access/cases.py) and the HR actor for the results tests.

The years used here (2015–2019) stay clear of the demo's own history (July of the last three years).
"""

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
