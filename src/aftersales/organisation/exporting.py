"""Export of the roster and salary standards to .xlsx, in the columns the import reads.

An export re-imports unchanged. Text that a spreadsheet would run as a formula (starting with
= + - @ tab or carriage return) gets a leading apostrophe; the import takes it off again.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from aftersales.organisation.importing import (
    EMPLOYEE_COLUMNS,
    EMPLOYEE_SHEET,
    FORMULA_STARTS,
    POSITION_COLUMNS,
    POSITION_SHEET,
    Column,
    category_label,
)
from aftersales.organisation.models import Employee, Position

NUMBER_FORMATS = {"standard_salary": "0.00", "active_from": "yyyy-mm-dd", "active_to": "yyyy-mm-dd"}


def neutralise(value: Any) -> Any:
    """Text that would start a formula, prefixed with an apostrophe (formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _employee_row(employee: Employee) -> list[Any]:
    return [
        employee.number,
        employee.name,
        employee.department.code,
        employee.region.code if employee.region else None,
        employee.position.code,
        category_label(employee.category),
        employee.supervisor.number if employee.supervisor else None,
        employee.standard_salary,
        employee.active_from,
        employee.active_to,
        employee.email or None,
        employee.phone or None,
    ]


def _position_row(position: Position) -> list[Any]:
    return [position.code, position.name, category_label(position.category), position.standard_salary]


def _fill(sheet: Any, columns: Sequence[Column], rows: Iterable[list[Any]]) -> None:
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 16
        if column.field in NUMBER_FORMATS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = NUMBER_FORMATS[column.field]
    sheet.freeze_panes = "A2"


def roster_export(employees: QuerySet[Employee], positions: QuerySet[Position]) -> bytes:
    """The workbook: sheet 员工名册 (the given employees) and sheet 职位薪资标准 (the positions)."""
    workbook = Workbook()
    roster = workbook.active
    roster.title = EMPLOYEE_SHEET
    related = employees.select_related("department", "region", "position", "supervisor").order_by("number")
    _fill(roster, EMPLOYEE_COLUMNS, (_employee_row(e) for e in related))
    _fill(
        workbook.create_sheet(POSITION_SHEET),
        POSITION_COLUMNS,
        (_position_row(p) for p in positions.order_by("code")),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
