"""Shared fixtures.

The demo organisation (`serve --demo`) is loaded ONCE per test database, when the database is set up,
so every test starts with it present (each test then runs in a transaction that is rolled back).
Tests must therefore not assume empty tables: count or look up the objects they create themselves.
A transactional test (``transaction=True``, ``live_server``) flushes the database at its end; the
``demo`` fixture loads the demo again when it finds it missing.
"""

from collections.abc import Iterator

import pytest
from django.test.utils import override_settings

from tests.schema import migrate_from_cache

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _demo_present() -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username="outsider").exists()


@pytest.fixture(scope="session")
def evidence_storage(tmp_path_factory):
    """Photos and signatures of the test session go to a temporary folder, not to ./var/media."""
    from django.conf import settings

    location = tmp_path_factory.mktemp("evidence")
    backend = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(location)},
    }
    return {**settings.STORAGES, "evidence": backend}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings) -> Iterator[None]:
    """Runs before pytest-django creates the test database: its ``migrate`` goes through the cache."""
    from django.core.management.commands import migrate

    original = migrate.Command.handle
    migrate.Command.handle = migrate_from_cache(original)
    try:
        yield
    finally:
        migrate.Command.handle = original


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, evidence_storage):
    from aftersales.demo import load_demo

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, STORAGES=evidence_storage),
    ):
        load_demo()


@pytest.fixture(autouse=True)
def _evidence_storage(settings, evidence_storage):
    settings.STORAGES = evidence_storage


@pytest.fixture
def demo(db):
    """The demo organisation of `serve --demo` (present already unless a transactional test flushed it)."""
    from aftersales.demo import load_demo

    if not _demo_present():
        load_demo()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Demo users are created in many tests; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
