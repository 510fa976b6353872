"""The migrated SQLite schema, cached between test runs in ``var/test-schema/``.

Django renders the model states of every migration to apply them: ~20 s of CPU for each new database,
in each test process and in each subprocess that serves a fresh SQLite file. The database right after
``migrate`` (tables, triggers, content types, permissions, the record of applied migrations) is kept in
a file named by a digest of every migration file Django would apply (the project's and the
libraries') and of Django's and SQLite's versions, so a new or changed migration makes a new file and
the schema is never stale. Delete the folder to force a fresh ``migrate``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

CACHE = Path(__file__).parent.parent / "var" / "test-schema"


@functools.cache
def schema_key() -> str:
    import django
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256(f"{django.__version__} {sqlite3.sqlite_version}".encode())
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in sorted(loader.disk_migrations):
        digest.update(repr(key).encode())
        digest.update(Path(sys.modules[loader.disk_migrations[key].__module__].__file__).read_bytes())
    return digest.hexdigest()[:24]


def cached_schema() -> Path:
    return CACHE / f"schema-{schema_key()}.sqlite3"


def migrate_from_cache(original: Any) -> Any:
    """Django's ``migrate`` command for the creation of the test database: on an in-memory SQLite
    database it copies the cached schema (milliseconds), or migrates and caches the result. Only the
    first call is served so (it restores Django's own command); PostgreSQL always migrates."""
    from django.core.management.commands import migrate

    def handle(self: Any, *args: Any, **options: Any) -> Any:
        from django.db import connections

        migrate.Command.handle = original
        connection = connections[options.get("database") or "default"]
        if connection.vendor != "sqlite" or not connection.is_in_memory_db():
            return original(self, *args, **options)
        connection.ensure_connection()
        cached = cached_schema()
        if cached.exists():
            _put_cached_schema(cached, connection)
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


def seed(database: Path) -> bool:
    """Give a new SQLite file (of a server or a script the test starts) the migrated schema, so its own
    ``migrate`` has nothing to apply; False when there is no cached schema (it then migrates itself)."""
    cached = cached_schema()
    if database.exists() or not cached.exists():
        return False
    database.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, database)
    return True


def copy_of(connection: Any) -> sqlite3.Connection:
    """A copy, in this process's memory, of what an in-memory SQLite database holds now (the backup
    API: milliseconds for the test databases)."""
    connection.ensure_connection()
    copy = sqlite3.connect(":memory:")
    connection.connection.backup(copy)
    return copy


def restore(copy: sqlite3.Connection, connection: Any) -> None:
    """Make the database of ``connection`` what ``copy`` holds (outside any transaction)."""
    connection.ensure_connection()
    copy.backup(connection.connection)


def migrate_to_latest(connection: Any) -> None:
    """After a test migrated backwards: every migration applied again. On SQLite in memory the cached
    schema is put in place instead (what the migrations would rebuild, with no rows: the tests that
    migrate are transactional, and their database is flushed after them anyway)."""
    from django.db.migrations.executor import MigrationExecutor

    cached = cached_schema()
    if connection.vendor == "sqlite" and connection.is_in_memory_db() and cached.exists():
        _put_cached_schema(cached, connection)
        return
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _put_cached_schema(cached: Path, connection: Any) -> None:
    """The in-memory database of ``connection`` becomes the cached migrated schema."""
    source = sqlite3.connect(cached)
    try:
        restore(source, connection)
    finally:
        source.close()
