import pytest


@pytest.fixture
def org(personas):
    """The persona organisation (tests/personas.py): a test sees only the interviews it records."""
