"""The harness of the list exports (issue 11, item 5): one row of ``LISTS`` per list page.

Every list answers ``?format=xlsx`` with the rows its filters select — all of them, not one page —
to the same people who see the list (R-1.1), in a workbook whose text cannot run as a formula.
A row names the list, how its rows are built (``rows``: a few records of the personas, made by the
area's actions or factories), the persona who sees most of it, a filter that narrows it, where the page keeps
its rows (the paginator of ``page_key`` in the context) and how an exported row is recognised
(``key``: the value of column ``column`` for one of the page's objects).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class ListExport:
    url: str
    persona: str  # the persona whose list the filter narrows
    query: dict[str, str] | Callable[[], dict[str, str]]  # the filter ({}: the list has none)
    key: Callable[[Any], Any]  # one page object → the text of its row's ``column``
    column: int = 0
    page_key: str = "page_obj"
    kwargs: Callable[[], dict[str, Any]] = field(default=lambda: {})
    employee_sees: bool = True  # an employee reaches this list (and sees a part of it)
    everything: dict[str, str] = field(default_factory=dict)  # the list without the filter
    expected: Callable[[Any], Any] | None = None  # user → the rows, where the page lists others
    label: str = ""
    rows: Callable[[Any], None] = field(default=lambda world: None)  # builds the list's rows (World)

    def filters(self) -> dict[str, str]:
        return self.query() if callable(self.query) else dict(self.query)

    @property
    def id(self) -> str:
        return self.label or self.url


def sheet_rows(content: bytes) -> list[list[Any]]:
    """The data rows (without the header) of the workbook's first sheet."""
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def page_objects(response: Any, page_key: str) -> list[Any]:
    """Every object the list selects (the paginator's list, all pages)."""
    return list(response.context[page_key].paginator.object_list)


def formula_cells(rows: list[list[Any]]) -> list[str]:
    return [v for row in rows for v in row if isinstance(v, str) and v.startswith(FORMULA_STARTS)]
