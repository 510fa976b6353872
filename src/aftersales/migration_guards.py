"""For data migrations that fill new columns of rows a "never changes" trigger guards (archived appraisals,
pay lines): lift the trigger while they are filled. PostgreSQL's whole-row trigger is switched off and on
again (it guards the new columns by itself); SQLite's lists its columns, so it is made again from
``sqlite_guard``, which names the new columns too (a table rebuild for the new column has dropped it anyway).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def guard_lifted(schema_editor: Any, *, table: str, trigger: str, sqlite_guard: str) -> Iterator[None]:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    yield
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
    if vendor == "sqlite":
        schema_editor.execute(sqlite_guard)


def old_sqlite_guard(schema_editor: Any, *, trigger: str, statements: list[str]) -> None:
    """Going back: SQLite's trigger as the earlier migration made it."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for sql in statements:
            schema_editor.execute(sql)
