"""Building .xlsx files for import tests."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from aftersales.organisation.importing import (
    EMPLOYEE_COLUMNS,
    EMPLOYEE_SHEET,
    POSITION_COLUMNS,
    POSITION_SHEET,
)

HEADERS = [column.header for column in EMPLOYEE_COLUMNS]
POSITION_HEADERS = [column.header for column in POSITION_COLUMNS]


def employee_row(number: str = "N100", **changes: Any) -> list[Any]:
    """A valid roster row (a new field engineer under 陈刚 E005), with changes by field name."""
    values = {
        "number": number,
        "name": "新员工",
        "department": "as-field",
        "region": "north",
        "position": "field_engineer",
        "category": "现场服务类",
        "supervisor": "E005",
        "standard_salary": 5200,
        "active_from": "2026-03-01",
        "active_to": None,
        "email": "new@example.com",
        "phone": "13800000000",
    }
    values.update(changes)
    return [values[column.field] for column in EMPLOYEE_COLUMNS]


def workbook(rows: Sequence[Sequence[Any]], positions: Sequence[Sequence[Any]] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = EMPLOYEE_SHEET
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(list(row))
    if positions is not None:
        position_sheet = book.create_sheet(POSITION_SHEET)
        position_sheet.append(POSITION_HEADERS)
        for row in positions:
            position_sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one of its XML parts replaced (for hostile files)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == name else source.read(item.filename))
    return buffer.getvalue()
