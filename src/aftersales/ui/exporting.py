"""Every list page exports to .xlsx (导出 Excel) with its filters applied: ``?format=xlsx`` on the
list's own URL answers the same rows the page shows, on all pages, to the same people.

A list view builds its filtered queryset as before, then ``if wants_xlsx(request): return
xlsx_response(...)`` with its columns. The rows come from one queryset (with its ``select_related``),
so the export runs a fixed number of queries whatever the number of rows. Text that a spreadsheet
would run as a formula is neutralised by ``neutralise``, the one guard of every workbook the app
writes (the roster's and the pay sheet's too).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMAT_PARAMETER, FORMAT_XLSX = "format", "xlsx"
# A cell starting with one of these is a formula to a spreadsheet; exports prefix an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that would start a formula, prefixed with an apostrophe (formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# A column: its header (a Chinese source string, usually gettext_lazy) and how a row gives its value.
Column = tuple[str | Promise, Callable[[Any], Any]]


def wants_xlsx(request: HttpRequest) -> bool:
    """The list was asked for as a workbook (``?format=xlsx``)."""
    return request.GET.get(FORMAT_PARAMETER) == FORMAT_XLSX


def export_query(request: HttpRequest) -> str:
    """The current query string without its page, with ``format=xlsx``: the export link's ``href``."""
    query = request.GET.copy()
    query.pop("page", None)
    query[FORMAT_PARAMETER] = FORMAT_XLSX
    return "?" + query.urlencode()


def cell(value: Any) -> Any:
    """A value as a spreadsheet cell: numbers, dates and booleans as they are, aware times in local
    time without their zone (Excel has none), text neutralised, the rest as text."""
    if value is None or (isinstance(value, int | float | date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if hasattr(value, "as_tuple"):  # Decimal
        return value
    return neutralise(str(value))


def xlsx_workbook(columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    """One sheet: a bold header row, then one line per row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([str(header) for header, _value in columns])
    for header_cell in sheet[1]:
        header_cell.font = Font(bold=True)
    for row in rows:
        sheet.append([cell(value(row)) for _header, value in columns])
    for index in range(1, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(*, name: str, columns: Sequence[Column], rows: Iterable[Any]) -> HttpResponse:
    """The download ``<name>-<today>.xlsx`` of ``rows`` in ``columns``."""
    response = HttpResponse(xlsx_workbook(columns, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
