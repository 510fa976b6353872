"""Shared by the tests of the database guards (triggers) that keep archived results unchanged."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, models, transaction
from django.utils import timezone


def refused(update: Callable[[], Any], message: str) -> None:
    """``update`` is refused by a trigger with ``message`` (SQLite's RAISE(ABORT) and PostgreSQL's
    restrict_violation both arrive as IntegrityError); the test transaction stays usable."""
    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        update()
    assert refusal.type is IntegrityError
    assert message in str(refusal.value)


def another_value(field: models.Field, value: Any) -> Any:
    """A value of ``field``'s column that differs from ``value`` (foreign keys: any other id)."""
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.JSONField):
        return {"changed": True}
    if isinstance(field, models.DecimalField):
        return (value or Decimal(0)) + 1
    if isinstance(field, models.DateTimeField):
        return (value or timezone.now()) + timedelta(days=1)
    if isinstance(field, (models.CharField, models.TextField)):
        return "y" if value == "x" else "x"
    return (value or 0) + 100_000  # ids, counts and version numbers


class _Accepted(Exception):
    """Rolls back an update the database let through."""


def columns_accepted(rows: Any, before: dict[str, Any], fields: Iterable[models.Field]) -> list[str]:
    """The fields whose change the database lets through on ``rows`` (a one-row queryset); every
    attempt is rolled back."""
    accepted = []
    for field in fields:
        try:
            with transaction.atomic():
                rows.update(**{field.attname: another_value(field, before[field.attname])})
                raise _Accepted
        except IntegrityError:
            continue
        except _Accepted:
            accepted.append(field.name)
    return accepted
