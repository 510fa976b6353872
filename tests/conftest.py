"""Shared fixtures.

The persona organisation (tests/personas.py: 售后服务部 with its units, HR, an outsider, the default
pay settings; built by the factories of tests/factories.py) is built ONCE per test database, when the
database is set up, so every test starts with it present (each test then runs in a transaction that
is rolled back). Nothing else is there: a test builds the records it reads (factories, the area's
fixtures), and counts or looks up the objects it creates itself. A transactional test
(``transaction=True``, ``live_server``) flushes the database at its end; the ``personas`` fixture
builds the organisation again when it finds it missing.

The product's demo (`serve --demo`: every area's data) is loaded only by the tests about it, through
the ``demo`` fixture, for a module at a time. On SQLite (in memory) each test process loads it once and
keeps a copy: a module's demo is that copy put in place, and after the module's last test the persona
organisation is put back (the backup API, milliseconds; loading the demo takes ~3 s). On PostgreSQL
it is loaded once per module inside a transaction rolled back after the module's last test.
tests/browser, whose live server flushes the database, loads it per test (tests/browser/conftest.py).
"""

import gc
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test.utils import override_settings

from tests.access.cases import PERSONAS as MATRIX_PERSONAS
from tests.personas import FAST_HASHERS, build_personas, log_in_once, personas_present
from tests.schema import copy_of, migrate_from_cache, restore


def pytest_sessionstart(session: pytest.Session) -> None:
    """The cyclic garbage collector runs rarely in a test process: what is imported by now is frozen out
    of it, and a young collection waits for 50,000 new objects instead of 700 (a page through the test
    client allocates tens of thousands; the access matrix and the link crawl ran ~6 % faster, the whole
    suite's gain is within its run-to-run noise, docs/performance.md). A process of the test suite lives
    a few minutes; the server's own settings are untouched (``serve`` freezes what it imported too)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


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
        log_in_once(list(MATRIX_PERSONAS.values()))


@pytest.fixture(autouse=True)
def _evidence_storage(settings, evidence_storage):
    settings.STORAGES = evidence_storage


@pytest.fixture
def personas(db):
    """The persona organisation (present already unless a transactional test flushed it)."""
    if not personas_present():
        build_personas()


_DEMO_COPY: list[Any] = []  # this process's copy of the demo database (SQLite in memory), once loaded


@pytest.fixture(scope="module")
def _demo_of_the_module(django_db_setup, django_db_blocker, evidence_storage):
    """The whole demo for the module; each test runs in a savepoint inside it (pytest sets up this
    module fixture before the test's ``db``)."""
    from django.db import connection

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, STORAGES=evidence_storage),
    ):
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            yield from _demo_copied(connection)
        else:
            yield from _demo_rolled_back()


def _demo_copied(connection: Any) -> Iterator[None]:
    from aftersales.demo import load_demo

    before = copy_of(connection)
    try:
        if _DEMO_COPY:
            restore(_DEMO_COPY[0], connection)
        else:
            load_demo()
            _DEMO_COPY.append(copy_of(connection))
        yield
    finally:
        restore(before, connection)
        before.close()


def _demo_rolled_back() -> Iterator[None]:
    from aftersales.demo import load_demo

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
