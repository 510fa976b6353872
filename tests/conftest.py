"""Shared fixtures.

The demo organisation (`serve --demo`) is loaded ONCE per test database, when the database is set up,
so every test starts with it present (each test then runs in a transaction that is rolled back).
Tests must therefore not assume empty tables: count or look up the objects they create themselves.
A transactional test (``transaction=True``, ``live_server``) flushes the database at its end; the
``demo`` fixture loads the demo again when it finds it missing.
"""

import hashlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test.utils import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Migrated SQLite schemas, one file per state of the migrations (see ``_migrate_from_cache``).
SCHEMA_CACHE = Path(__file__).parent.parent / "var" / "test-schema"


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


def _schema_key() -> str:
    """A digest of every migration file Django would apply (the project's and the libraries'), of
    Django's and SQLite's versions: a cached schema is used only for exactly these migrations."""
    import django
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256(f"{django.__version__} {sqlite3.sqlite_version}".encode())
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in sorted(loader.disk_migrations):
        digest.update(repr(key).encode())
        digest.update(Path(sys.modules[loader.disk_migrations[key].__module__].__file__).read_bytes())
    return digest.hexdigest()[:24]


def _migrate_from_cache(original: Any) -> Any:
    """Django's ``migrate`` for the test database, which on SQLite copies the schema migrated by an
    earlier run with the same migrations (Django renders the model states of ~65 migrations for ~20 s of
    CPU per test process; the copy takes milliseconds). The copy is the whole database after
    ``migrate``: tables, triggers, content types, permissions and the record of applied migrations.
    Only the creation of the test database is served so; a later ``migrate`` is Django's own."""
    from django.core.management.commands import migrate

    def handle(self: Any, *args: Any, **options: Any) -> Any:
        from django.db import connections

        migrate.Command.handle = original
        connection = connections[options.get("database") or "default"]
        if connection.vendor != "sqlite" or not connection.is_in_memory_db():
            return original(self, *args, **options)
        cached = SCHEMA_CACHE / f"schema-{_schema_key()}.sqlite3"
        connection.ensure_connection()
        if cached.exists():
            source = sqlite3.connect(cached)
            source.backup(connection.connection)
            source.close()
            return None
        result = original(self, *args, **options)
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.partial")
        target = sqlite3.connect(partial)
        connection.connection.backup(target)
        target.close()
        os.replace(partial, cached)  # atomic: a parallel worker sees the whole file or none
        return result

    return handle


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings) -> Iterator[None]:
    """Runs before pytest-django creates the test database: its ``migrate`` goes through the cache."""
    from django.core.management.commands import migrate

    original = migrate.Command.handle
    migrate.Command.handle = _migrate_from_cache(original)
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
