"""Export of the organisation workbook (docs/workbook.md), in the sheets and columns the import reads.

An export re-imports with no change. A sheet with no rows carries one example row (工号 or 编码
starting with 示例, skipped by the import), so the export of an organisation without employees is
the template. Every header has a note (a cell comment) and the coded columns a drop-down list (data
validation). Text that a spreadsheet would run as a formula (starting with = + - @ tab or carriage
return) gets a leading apostrophe; the import takes it off again.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from aftersales.organisation import roles
from aftersales.organisation.importing import (
    DEPARTMENTS,
    EMPLOYEES,
    FORMULA_STARTS,
    GUIDE_SHEET,
    MAX_ROWS,
    NO,
    POSITIONS,
    REGIONS,
    YES,
    SheetSpec,
    category_label,
    role_text,
)
from aftersales.organisation.models import Category, Department, Employee, Position, Region

NUMBER_FORMATS = {"standard_salary": "0.00", "active_from": "yyyy-mm-dd", "active_to": "yyyy-mm-dd"}
EXAMPLE_FONT = Font(italic=True, color="808080")
GUIDE = [
    "组织工作簿：部门、区域、职位、员工（含登录名与角色）。说明见 docs/workbook.md。",
    "",
    "1. 每个工作表第一行是列名，请勿修改；鼠标停在列名上可看该列说明。带下拉列表的列请从列表中选择。",
    "2. 灰色斜体的示例行（工号或编码以“示例”开头）不会导入，可以删除或保留。",
    "3. 按编码（部门、区域、职位）和工号（员工）匹配已有记录：已有则更新，没有则新增。",
    "4. 工作簿中未列出的记录保持不变：不会因为没有列出而停用任何员工。员工离职请填写“离职日期”。",
    "5. 导入先校验全部工作表，只要有一处错误就不写入任何数据；错误会指出工作表、行、列。",
    "6. 校验通过后先显示预览（每个工作表新增、变更、停用、未变的行数和变更的字段），确认后才写入。",
    "7. 登录名：填写则新建登录账号。初始密码：填写则首次登录须修改；留空则生成一次性设置密码链接，"
    "导入结果中列出，请转交本人。导出文件不含密码，含密码的文件导入后请删除。",
    "8. 角色：员工、直接主管、部门负责人、人力资源、服务调度、库管、系统管理员，多个用“、”分隔。",
    "9. 导入顺序：部门（上级在前）、区域、职位、员工、直接主管、登录与角色、离职、部门负责人。",
]
# Drop-down lists: the codes of another sheet, by defined name (understood by every spreadsheet).
CODE_LISTS = {
    "DepartmentCodes": DEPARTMENTS,
    "RegionCodes": REGIONS,
    "PositionCodes": POSITIONS,
}


def neutralise(value: Any) -> Any:
    """Text that would start a formula, prefixed with an apostrophe (formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _department_row(department: Department) -> list[Any]:
    return [
        department.code,
        department.name,
        department.parent.code if department.parent else None,
        department.head.number if department.head else None,
        YES if department.head_in_pool else NO,
    ]


def _region_row(region: Region) -> list[Any]:
    return [region.code, region.name, region.department.code]


def _position_row(position: Position) -> list[Any]:
    return [position.code, position.name, category_label(position.category), position.standard_salary]


def _employee_row(employee: Employee) -> list[Any]:
    user = employee.user
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
        user.username if user else None,
        (role_text(group.name for group in user.groups.all()) or None) if user else None,
        None,  # 初始密码: never exported
    ]


def _example(spec: SheetSpec) -> list[Any]:
    """The template's example row of a sheet (the import skips it: its key starts with 示例)."""
    field_service = category_label(Category.FIELD_SERVICE)
    return {  # type: ignore[return-value]  # each sheet's row is a list
        DEPARTMENTS.name: ["示例-service", "售后服务部", None, "示例001", YES],
        REGIONS.name: ["示例-north", "华北区域", "示例-service"],
        POSITIONS.name: ["示例-engineer", "服务工程师", field_service, Decimal("5500")],
        EMPLOYEES.name: [
            "示例001",
            "张三",
            "示例-service",
            "示例-north",
            "示例-engineer",
            field_service,
            None,
            Decimal("5500"),
            date(2026, 1, 1),
            None,
            "zhangsan@example.com",
            "13800000000",
            "zhangsan",
            role_text([roles.EMPLOYEE, roles.SUPERVISOR]),
            None,
        ],
    }[spec.name]


def _list_validation(formula: str, prompt: str, strict: bool = True) -> DataValidation:
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.prompt, validation.showInputMessage = prompt, True
    validation.showErrorMessage = strict  # not strict: other values are accepted, the list only helps
    return validation


def _validations(spec: SheetSpec) -> dict[str, DataValidation]:
    """Column field → its drop-down list on this sheet."""
    categories = '"' + ",".join(category_label(code) for code in Category.values) + '"'
    wanted = {
        "category": _list_validation(categories, "从列表选择考核类别"),
        "head_in_pool": _list_validation(f'"{YES},{NO}"', "是 / 否"),
        "roles": _list_validation(
            '"' + role_text(roles.ALL_ROLES).replace("、", ",") + '"',
            "可选一个；多个角色请用“、”分隔输入",
            strict=False,
        ),
        # codes may also be ones stored already and left out of the sheet: the list only helps
        "parent": _list_validation("DepartmentCodes", "部门表中的部门编码", strict=False),
        "department": _list_validation("DepartmentCodes", "部门表中的部门编码", strict=False),
        "region": _list_validation("RegionCodes", "区域表中的区域编码", strict=False),
        "position": _list_validation("PositionCodes", "职位表中的职位编码", strict=False),
    }
    return {c.field: wanted[c.field] for c in spec.columns if c.field in wanted}


def _headers(sheet: Any, spec: SheetSpec) -> None:
    sheet.append([column.header for column in spec.columns])
    for cell, column in zip(sheet[1], spec.columns, strict=True):
        cell.font = Font(bold=True)
        cell.comment = Comment(column.note, "aftersales", width=320, height=140)


def _fill(sheet: Any, spec: SheetSpec, rows: Iterable[Sequence[Any]]) -> None:
    _headers(sheet, spec)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    if sheet.max_row == 1:
        sheet.append(_example(spec))
        for cell in sheet[2]:
            cell.font = EXAMPLE_FONT
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 16
        if column.field in NUMBER_FORMATS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = NUMBER_FORMATS[column.field]
    fields = [column.field for column in spec.columns]
    for name, validation in _validations(spec).items():
        letter = get_column_letter(fields.index(name) + 1)
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"


def _guide(workbook: Workbook) -> None:
    sheet = workbook.active
    sheet.title = GUIDE_SHEET
    for line in GUIDE:
        sheet.append([line])
    sheet.column_dimensions["A"].width = 120
    for (cell,) in sheet.iter_rows():
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _workbook(sheets: Sequence[tuple[SheetSpec, Iterable[Sequence[Any]]]]) -> bytes:
    workbook = Workbook()
    _guide(workbook)
    for spec, rows in sheets:
        _fill(workbook.create_sheet(spec.name), spec, rows)
    for name, spec in CODE_LISTS.items():
        reference = f"{quote_sheetname(spec.name)}!$A$2:$A${MAX_ROWS + 1}"
        workbook.defined_names[name] = DefinedName(name, attr_text=reference)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_export(*, employees: QuerySet[Employee]) -> bytes:
    """The organisation workbook: every department, region and position, and ``employees``."""
    departments = Department.objects.select_related("parent", "head").order_by("code")
    people = employees.select_related("department", "region", "position", "supervisor", "user")
    people = people.prefetch_related("user__groups").order_by("number")
    return _workbook(
        [
            (DEPARTMENTS, (_department_row(d) for d in departments)),
            (REGIONS, (_region_row(r) for r in Region.objects.select_related("department").order_by("code"))),
            (POSITIONS, (_position_row(p) for p in Position.objects.order_by("code"))),
            (EMPLOYEES, (_employee_row(e) for e in people)),
        ]
    )


def roster_template() -> bytes:
    """The empty workbook: headers with their notes, drop-down lists, one example row per sheet."""
    return _workbook([(spec, ()) for spec in (DEPARTMENTS, REGIONS, POSITIONS, EMPLOYEES)])
