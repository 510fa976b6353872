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
    SHEETS,
)

HEADERS = [column.header for column in EMPLOYEE_COLUMNS]
POSITION_HEADERS = [column.header for column in POSITION_COLUMNS]


def employee_row(number: str = "N100", **changes: Any) -> list[Any]:
    """A valid roster row (a new field engineer under 陈刚, no login), with changes by field name."""
    from tests.personas import employee

    values = {
        "number": number,
        "name": "新员工",
        "department": "as-field",
        "region": "north",
        "position": "field_engineer",
        "category": "现场服务类",
        "supervisor": employee("regional").number,
        "standard_salary": 5200,
        "active_from": "2026-03-01",
        "active_to": None,
        "email": "new@example.com",
        "phone": "13800000000",
    }
    values.update(changes)
    return [values.get(column.field) for column in EMPLOYEE_COLUMNS]


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


def organisation_workbook(**sheets: Sequence[dict[str, Any]]) -> bytes:
    """A workbook of the given sheets (部门, 区域, 职位, 员工 by name), rows as {field: value}."""
    book = Workbook()
    book.remove(book.active)
    for spec in SHEETS:
        if spec.name in sheets:
            sheet = book.create_sheet(spec.name)
            sheet.append([column.header for column in spec.columns])
            for row in sheets[spec.name]:
                sheet.append([row.get(column.field) for column in spec.columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def company() -> dict[str, list[dict[str, Any]]]:
    """Two departments (服务部 with its unit 现场组, and 质量部), one region, four positions and 25
    employees: heads, supervisors and HR with initial passwords, ten engineers of 服务部 with logins
    and no password (set-password links), the rest of 服务部 without a login. 质量部 is small enough to
    walk a whole month in the browser: its head 郑部长 (Q01), the supervisor 王主管 (Q02) and two
    inspectors (Q03, Q04), all with initial passwords; HR 吴人事 belongs to it and is not appraised
    (no direct supervisor)."""
    departments = [
        {"code": "svc", "name": "服务部", "head": "S01", "head_in_pool": "是"},
        {"code": "svc-field", "name": "现场组", "parent": "svc"},
        {"code": "qa", "name": "质量部", "head": "Q01", "head_in_pool": "否"},
    ]
    positions = [
        {"code": "mgr", "name": "部长", "category": "技术支持类/技术管理类", "standard_salary": 9000},
        {"code": "lead", "name": "主管", "category": "技术支持类/技术管理类", "standard_salary": 7000},
        {"code": "eng", "name": "工程师", "category": "现场服务类", "standard_salary": 5500},
        {"code": "hrs", "name": "人事专员", "category": "技术支持类/技术管理类", "standard_salary": 6000},
    ]

    def person(number, name, department, position, supervisor=None, **extra):
        return {
            "number": number,
            "name": name,
            "department": department,
            "position": position,
            "supervisor": supervisor,
            "active_from": "2026-01-05",
            "email": f"{number.lower()}@example.com",
            **extra,
        }

    def login(number, roles, password=True):
        return {
            "username": number.lower(),
            "roles": roles,
            "password": f"Start-2026-{number.lower()}" if password else None,
        }

    employees = [
        person("S01", "孙部长", "svc", "mgr", **login("S01", "员工、部门负责人")),
        person("S02", "周主管", "svc-field", "lead", "S01", **login("S02", "员工、直接主管")),
        person("H01", "吴人事", "qa", "hrs", **login("H01", "员工、人力资源")),
        person("Q01", "郑部长", "qa", "mgr", **login("Q01", "部门负责人")),
    ]
    for index in range(3, 21):  # S03 … S20: engineers of 周主管, the first ten with a login
        number = f"S{index:02d}"
        extra = login(number, "员工", password=index == 3) if index < 13 else {}
        employees.append(person(number, f"工程师{index}", "svc-field", "eng", "S02", region="east", **extra))
    employees.append(person("Q02", "王主管", "qa", "eng", "Q01", **login("Q02", "员工、直接主管")))
    employees += [
        person(f"Q{index:02d}", f"质检员{index}", "qa", "eng", "Q02", **login(f"Q{index:02d}", "员工"))
        for index in (3, 4)
    ]
    return {
        "部门": departments,
        "区域": [{"code": "east", "name": "华东区域", "department": "svc-field"}],
        "职位": positions,
        "员工": employees,
    }
