"""Who an employee was at a moment, from their change history (django-simple-history) — for the data
migrations that give archived records (pay lines, archived appraisals) the name and position they had
when they were archived."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

Identity = tuple[str, int, int | None]  # name, position id, supervisor id


def identities_as_of(
    apps: Any, wanted: Iterable[tuple[int, datetime]]
) -> dict[tuple[int, datetime], Identity]:
    """(employee id, moment) → the identity in the latest history record at or before the moment; the
    employee's present record when the history starts later (or was never kept)."""
    wanted = set(wanted)
    ids = {employee for employee, _ in wanted}
    history: dict[int, list[tuple[datetime, Identity]]] = defaultdict(list)
    records = apps.get_model("organisation", "HistoricalEmployee").objects.filter(id__in=ids)
    for row in records.order_by("id", "history_date").values_list(
        "id", "history_date", "name", "position_id", "supervisor_id"
    ):
        history[row[0]].append((row[1], (row[2], row[3], row[4])))
    present = {
        row[0]: (row[1], row[2], row[3])
        for row in apps.get_model("organisation", "Employee")
        .objects.filter(id__in=ids)
        .values_list("id", "name", "position_id", "supervisor_id")
    }
    answers = {}
    for employee, moment in wanted:
        dates = [when for when, _ in history[employee]]
        index = bisect_right(dates, moment)
        answers[employee, moment] = history[employee][index - 1][1] if index else present[employee]
    return answers
