"""The pay sheet of a department's month (绩效薪资表) as .xlsx and PDF, in the columns of the source's
§5.1 table: 姓名, 职位, 职位标准薪资, 标准绩效薪资, 考核得分, 绩效系数, 绩效薪资 — then the grade and notes,
a totals row, and a header with the department, the month and d.

Text a spreadsheet would run as a formula is neutralised (ui.exporting.neutralise).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from aftersales.core.ordering import natural_key
from aftersales.notices import in_installation_language
from aftersales.payroll.explain import explain_hold
from aftersales.payroll.models import CloseLine, CloseVersion
from aftersales.printing import layout
from aftersales.ui.exporting import neutralise

COLUMNS = ("姓名", "职位", "职位标准薪资", "标准绩效薪资", "考核得分", "绩效系数", "绩效薪资", "等级", "备注")
MONEY = Decimal("0.01")
MONEY_COLUMNS = frozenset({2, 3, 6})  # printed with two decimals
SIGNERS = ("制表", "审核", "批准")


def _money(value: Decimal) -> Decimal:
    return value.quantize(MONEY, rounding=ROUND_HALF_UP)


def line_note(line: CloseLine) -> str:
    """备注: head outside the pool, the override and why, held pay and why."""
    notes = []
    if line.is_head:
        notes.append("部门负责人" + ("" if line.in_pool else "(不计入奖金池，d×S)"))
    if line.override_grade:
        notes.append(f"改判{line.computed_grade}→{line.override_grade}：{line.override_reason}")
    if line.held:
        with in_installation_language():
            reason = explain_hold(line.held_reason)
        notes.append(f"暂缓发放：{reason}" + ("(已解除)" if line.released_at else ""))
    return "；".join(notes)


@dataclass(frozen=True)
class PaySheet:
    title: str
    header: list[str]
    rows: list[list[Any]]
    totals: list[Any]
    prepared_by: str = ""  # 制表: who ran the close, and when
    prepared_on: date | None = None


def pay_sheet(version: CloseVersion, lines: Sequence[CloseLine]) -> PaySheet:
    """The sheet's rows in natural employee-number order (E9 before E10, R-3.3), as the close
    allocated them — the database's text order would put E10 first."""
    period = version.period
    lines = sorted(lines, key=lambda line: natural_key(line.employee.number))
    rows = [
        [
            line.employee_name,
            line.position,
            line.standard_salary,
            _money(line.standard_pay),
            line.final_score,
            line.factor,
            line.pay,
            line.grade,
            line_note(line),
        ]
        for line in lines
    ]
    totals = [
        "合计",
        "",
        sum((line.standard_salary for line in lines), Decimal(0)),
        _money(sum((line.standard_pay for line in lines), Decimal(0))),
        None,
        None,
        sum((line.pay for line in lines), Decimal(0)),
        "",
        "",
    ]
    header = [
        f"部门：{period.department.name}",
        f"月份：{period.year}年{period.month}月",
        f"部门月度绩效系数 d：{version.coefficient.normalize():f}",
        f"版本：v{version.number}",
        f"标准绩效薪资合计 B：{_money(version.pool_base)}",
        f"可分配绩效薪资总额 P：{version.distributable}",
        f"转入调节基金：{_money(version.fund_inflow)}",
    ]
    closer = version.closed_by
    employee = getattr(closer, "employee", None)
    prepared_by = employee.name if employee is not None else closer.get_full_name() or closer.get_username()
    return PaySheet("绩效薪资表", header, rows, totals, prepared_by, timezone.localdate(version.closed_at))


def sheet_filename(version: CloseVersion, extension: str) -> str:
    period = version.period
    return f"paysheet-{period.department.code}-{period.year}{period.month:02d}-v{version.number}.{extension}"


Progress = Callable[[int, int], None]  # (lines done, lines in all): a background job's progress bar


def _no_progress(done: int, total: int) -> None:
    pass


def pay_sheet_xlsx(sheet: PaySheet, progress: Progress = _no_progress) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "绩效薪资"
    ws.append([sheet.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([neutralise(text) for text in sheet.header[:4]])
    ws.append([neutralise(text) for text in sheet.header[4:]])
    ws.append(list(COLUMNS))
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    total = len(sheet.rows)
    for done, row in enumerate([*sheet.rows, sheet.totals], start=1):
        ws.append([neutralise(value) for value in row])
        progress(min(done, total), total + 1)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for index, width in enumerate((12, 16, 14, 14, 10, 10, 12, 6, 40), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    for row in ws.iter_rows(min_row=5, min_col=3, max_col=7):
        for cell in row:
            cell.number_format = "0.0000" if cell.column == 6 else "#,##0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    progress(total + 1, total + 1)
    return buffer.getvalue()


def _cell(column: int, value: Any) -> Any:
    """Amounts right-aligned with two decimals (1,556.00), score and factor right-aligned as they
    are (98.5, 0.985); text wrapped in the cell."""
    if column in MONEY_COLUMNS:
        return layout.text(layout.money(value), right=True)
    if isinstance(value, Decimal) or value is None:
        return layout.text(layout.number(value), right=True)
    return layout.text(value)


def _signatures(sheet: PaySheet) -> list[Any]:
    """制表 (filled in: who closed the month, and the day), 审核 and 批准, each with a date to sign."""
    blank = "______________"
    day = sheet.prepared_on
    filled = {"制表": (sheet.prepared_by, f"{day.year}年{day.month}月{day.day}日" if day else blank)}
    lines = []
    for signer in SIGNERS:
        name, signed_on = filled.get(signer, (blank, blank))
        lines += [layout.text(f"{signer}：{name}        日期：{signed_on}", 10), layout.gap(4)]
    return lines


def pay_sheet_pdf(sheet: PaySheet, progress: Progress = _no_progress) -> bytes:
    """``progress`` counts the lines laid out, then the page layout itself as one more step."""
    widths = [w * layout.PAGE_WIDTH / 100 for w in (9, 13, 11, 11, 8, 8, 11, 6, 23)]
    rows = [[layout.label(name) for name in COLUMNS]]
    total = len(sheet.rows)
    for done, row in enumerate([*sheet.rows, sheet.totals], start=1):
        rows.append([_cell(column, value) for column, value in enumerate(row)])
        progress(min(done, total), total + 1)
    flowables = [
        layout.title(sheet.title),
        layout.gap(3),
        layout.text(" · ".join(sheet.header[:4]), 10),
        layout.text(" · ".join(sheet.header[4:]), 10),
        layout.gap(3),
        layout.grid(rows, widths, shaded=[((0, 0), (-1, 0)), ((0, len(rows) - 1), (-1, len(rows) - 1))]),
        layout.gap(10),
        *_signatures(sheet),
    ]
    content = layout.build_pdf(flowables, document_title=sheet.title)
    progress(total + 1, total + 1)
    return content
