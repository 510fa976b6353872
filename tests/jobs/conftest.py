"""The tests run the database queue's worker in their own process and transaction (run_worker)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """django-tasks-db's worker drops "old" connections as it wakes; inside a test's transaction the
    connection's autocommit differs from the settings', so it would close the test's own connection
    (PostgreSQL then answers "the connection is closed"). A real worker runs in autocommit."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
