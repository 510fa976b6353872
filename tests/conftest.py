"""Shared fixtures.

The persona organisation (tests/personas.py: 售后服务部 with its units, HR, an outsider, the default
pay settings; built by the factories of tests/factories.py) is built ONCE per test database, when the
database is set up, so every test starts with it present (each test then runs in a transaction that
is rolled back). Nothing else is there: a test builds the records it reads (factories, the area's
fixtures), and counts or looks up the objects it creates itself. A transactional test
(``transaction=True``, ``live_server``) flushes the database at its end; the ``personas`` fixture
builds the organisation again when it finds it missing.

The product's demo (`serve --demo`: every area's data) is loaded only by the tests about it, through
the ``demo`` fixture: once per module, inside a transaction rolled back after the module's last test
(tests/browser, whose live server flushes the database, load it per test: tests/browser/conftest.py).
"""

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test.utils import override_settings

from tests.personas import build_personas, personas_present
from tests.schema import migrate_from_cache

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """With ``--dist loadgroup`` (make test) the tests on the demo all go to one worker, which loads the
    demo once per module instead of each worker loading it for the part of the module it was sent."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if "demo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("demo"))


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
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        build_personas()


@pytest.fixture(autouse=True)
def _evidence_storage(settings, evidence_storage):
    settings.STORAGES = evidence_storage


@pytest.fixture
def personas(db):
    """The persona organisation (present already unless a transactional test flushed it)."""
    if not personas_present():
        build_personas()


@pytest.fixture(scope="module")
def _demo_of_the_module(django_db_setup, django_db_blocker, evidence_storage):
    """The whole demo, loaded once for the module inside a transaction rolled back after it; each test
    runs in a savepoint inside it (pytest sets up this module fixture before the test's ``db``)."""
    from aftersales.demo import load_demo

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, STORAGES=evidence_storage),
    ):
        atomic = transaction.atomic()
        atomic._from_testcase = True  # type: ignore[attr-defined]  # durable blocks of the code may nest
        atomic.__enter__()
        try:
            load_demo()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_of_the_module, db):
    """The product's demo (`serve --demo`), for the tests about it."""


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Demo users are created in many tests; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
