"""The year select of lists that open on one year (issue 11: lists that do not grow with history)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet


def years_spanned(rows: QuerySet[Any], field: str) -> list[int]:
    """The years from the newest to the oldest of ``rows``' ``field`` (a year or a date), newest
    first; empty without rows. Two index seeks (the first row each way), whatever the number of
    rows — a year in between without rows is listed too, and shows an empty list."""
    values = rows.order_by().values_list(field, flat=True)
    newest, oldest = values.order_by(f"-{field}").first(), values.order_by(field).first()
    if newest is None or oldest is None:
        return []
    return list(range(_year(newest), _year(oldest) - 1, -1))


def _year(value: int | date) -> int:
    return value.year if isinstance(value, date) else value
