"""Import of the roster (员工名册) and the salary standards (职位薪资标准) from an Excel workbook.

Every row is validated first; errors name the row and column (``第3行 C列 部门编码: 不存在的部门编码 xx``).
Nothing is written unless the whole file is valid, and then in one transaction. Employees are
matched by number (工号) and updated in place; positions by code. Every change is recorded in the
history (django-simple-history) with the actor and the reason given.

The file is untrusted: openpyxl parses its XML through defusedxml (entity expansion refused), and
before that the archive itself is checked, so a zip bomb is refused without being inflated.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from defusedxml import DefusedXmlException
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from aftersales.organisation.access import is_company_wide
from aftersales.organisation.models import Category, Department, Employee, Position, Region

EMPLOYEE_SHEET = "员工名册"
POSITION_SHEET = "职位薪资标准"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all XML parts of the workbook together
MAX_COMPRESSION_RATIO = 100  # a part inflating more than this is a bomb, not a roster
MAX_PARTS = 500
MAX_ROWS = 5000
# A cell starting with one of these is a formula to a spreadsheet; the export prefixes an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its Chinese header, the field it fills, and whether it is required."""

    field: str
    header: str
    required: bool = True


EMPLOYEE_COLUMNS = (
    Column("number", "工号"),
    Column("name", "姓名"),
    Column("department", "部门编码"),
    Column("region", "区域编码", required=False),
    Column("position", "职位编码"),
    Column("category", "考核类别"),
    Column("supervisor", "直接主管工号", required=False),
    Column("standard_salary", "职位标准薪资"),
    Column("active_from", "入职日期"),
    Column("active_to", "离职日期", required=False),
    Column("email", "邮箱", required=False),
    Column("phone", "电话", required=False),
)
POSITION_COLUMNS = (
    Column("code", "职位编码"),
    Column("name", "职位名称"),
    Column("category", "考核类别"),
    Column("standard_salary", "职位标准薪资"),
)
MAX_LENGTHS = {"number": 20, "name": 50, "phone": 30, "code": 40}


class ImportRefused(Exception):
    """The file as a whole cannot be read (not a workbook, too large, a zip bomb, unsafe XML)."""


@dataclass(frozen=True)
class RowError:
    """A problem in one cell; ``row`` is the spreadsheet row number, ``column`` its letter."""

    sheet: str
    row: int
    column: str
    header: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet} 第{self.row}行 {self.column}列 {self.header}: {self.message}"


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    positions_created: int = 0
    positions_updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------------------------------------
# Reading the file safely


def check_archive(data: bytes) -> None:
    """Refuse what is not a plausible .xlsx before any XML is parsed (size, parts, zip bomb)."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(_("文件过大（上限 5 MB）"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRefused(_("不是有效的 .xlsx 文件")) from None
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise ImportRefused(_("文件结构异常，已拒绝"))
    if sum(part.file_size for part in parts) > MAX_UNCOMPRESSED_BYTES:
        raise ImportRefused(_("文件解压后过大，已拒绝"))
    if any(part.file_size > MAX_COMPRESSION_RATIO * max(part.compress_size, 1) for part in parts):
        raise ImportRefused(_("文件压缩比异常（疑似压缩炸弹），已拒绝"))


def _unsafe_xml(error: BaseException | None) -> bool:
    """Whether defusedxml refused the XML somewhere in the chain of causes."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return True
        error = error.__cause__ or error.__context__
    return False


def _refusal(error: Exception) -> ImportRefused:
    if _unsafe_xml(error):
        return ImportRefused(_("文件含有不安全的 XML（实体声明），已拒绝"))
    return ImportRefused(_("文件无法读取，请确认是 Excel .xlsx 文件"))


def read_workbook(data: bytes) -> Any:
    check_archive(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # defusedxml's refusals, openpyxl's format errors, broken parts
        raise _refusal(error) from error


# ---------------------------------------------------------------------------------------------
# Cell values


def text_value(value: Any) -> str:
    """A cell as text; a number typed into a text column (工号 1001) loses its ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    if result.startswith("'") and result[1:].startswith(FORMULA_STARTS):
        result = result[1:]  # the apostrophe the export put before a formula-like text
    return result


def decimal_value(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(_("不是数字：%(value)s") % {"value": value}) from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(_("必须是不小于 0 的金额"))
    if amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e10"):
        raise ValueError(_("金额最多两位小数、10 位整数"))
    return amount.quantize(Decimal("0.01"))


def date_value(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(_("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": value}) from None


def category_names() -> dict[str, str]:
    """Accepted spellings of a category (code, Chinese name, English name) → code."""
    names = {code: code for code in Category.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names |= {str(label): code for code, label in Category.choices}
    return names


def category_label(code: str) -> str:
    """The Chinese name the export writes (whatever language the exporter uses)."""
    with translation.override("zh-hans"):
        return str(Category(code).label)


# ---------------------------------------------------------------------------------------------
# Parsing a sheet into rows


@dataclass
class Row:
    number: int  # spreadsheet row
    values: dict[str, Any]
    letters: dict[str, str]  # field → column letter


class SheetReader:
    """Reads one sheet by its headers and collects cell errors."""

    def __init__(self, sheet: Any, title: str, columns: Sequence[Column], errors: list[RowError]) -> None:
        self.sheet, self.title, self.columns, self.errors = sheet, title, columns, errors
        self.headers = {column.field: column.header for column in columns}

    def error(self, row: int, letter: str, field_name: str, message: str) -> None:
        self.errors.append(
            RowError(self.title, row, letter, self.headers.get(field_name, field_name), message)
        )

    def rows(self, parse: Callable[[Row, SheetReader], None]) -> list[Row]:
        lines = self.sheet.iter_rows(values_only=True)
        header = next(lines, None) or ()
        positions = self._header_positions(header)
        if positions is None:
            return []
        rows: list[Row] = []
        for number, cells in enumerate(lines, start=2):
            if number > MAX_ROWS + 1:
                raise ImportRefused(_("行数超过上限 %(max)d") % {"max": MAX_ROWS})
            raw = {f: cells[i] if i < len(cells) else None for f, i in positions.items()}
            if all(text_value(value) == "" for value in raw.values()):
                continue  # blank line
            row = Row(number, raw, {f: get_column_letter(i + 1) for f, i in positions.items()})
            self._check_required(row)
            parse(row, self)
            rows.append(row)
        return rows

    def _header_positions(self, header: Sequence[Any]) -> dict[str, int] | None:
        found = {text_value(value): index for index, value in enumerate(header)}
        positions = {c.field: found[c.header] for c in self.columns if c.header in found}
        missing = [c.header for c in self.columns if c.required and c.field not in positions]
        for name in missing:
            self.errors.append(RowError(self.title, 1, "-", name, _("缺少此列")))
        return None if missing else positions

    def _check_required(self, row: Row) -> None:
        for column in self.columns:
            if column.field not in row.values:
                row.values[column.field] = None
                continue
            if column.required and text_value(row.values[column.field]) == "":
                self.error(row.number, row.letters[column.field], column.field, _("必填"))

    def convert(self, row: Row, field_name: str, convert: Callable[[Any], Any]) -> None:
        """Replace the raw cell by its converted value, or record the error (and leave None)."""
        raw = row.values.get(field_name)
        if raw is None or text_value(raw) == "":
            row.values[field_name] = None
            return
        try:
            row.values[field_name] = convert(raw)
        except ValueError as error:
            row.values[field_name] = None
            self.error(row.number, row.letters[field_name], field_name, str(error))


def _bounded_text(limit: int | None) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        result = text_value(value)
        if limit and len(result) > limit:
            raise ValueError(_("不能超过 %(limit)d 个字符") % {"limit": limit})
        return result

    return convert


def _email(value: Any) -> str:
    address = text_value(value)
    try:
        validate_email(address)
    except ValidationError:
        raise ValueError(_("邮箱格式不正确：%(value)s") % {"value": address}) from None
    return address


def _lookup(known: Mapping[str, Any], message: str) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        key = text_value(value)
        if key not in known:
            raise ValueError(message % {"value": key})
        return known[key]

    return convert


# ---------------------------------------------------------------------------------------------
# The two sheets


def _parse_position(row: Row, reader: SheetReader, categories: Mapping[str, str]) -> None:
    reader.convert(row, "code", _bounded_text(MAX_LENGTHS["code"]))
    reader.convert(row, "name", _bounded_text(100))
    reader.convert(row, "category", _lookup(categories, _("无效的考核类别 %(value)s")))
    reader.convert(row, "standard_salary", decimal_value)


def _parse_employee(row: Row, reader: SheetReader, refs: Mapping[str, Mapping[str, Any]]) -> None:
    for name in ("number", "name", "phone"):
        reader.convert(row, name, _bounded_text(MAX_LENGTHS[name]))
    reader.convert(row, "supervisor", text_value)
    reader.convert(row, "department", _lookup(refs["departments"], _("不存在的部门编码 %(value)s")))
    reader.convert(row, "region", _lookup(refs["regions"], _("不存在的区域编码 %(value)s")))
    reader.convert(row, "position", _lookup(refs["positions"], _("不存在的职位编码 %(value)s")))
    reader.convert(row, "category", _lookup(refs["categories"], _("无效的考核类别 %(value)s")))
    reader.convert(row, "standard_salary", decimal_value)
    reader.convert(row, "active_from", date_value)
    reader.convert(row, "active_to", date_value)
    reader.convert(row, "email", _email)
    start, end = row.values["active_from"], row.values["active_to"]
    if start and end and end < start:
        reader.error(row.number, row.letters["active_to"], "active_to", _("离职日期早于入职日期"))


def _check_unique(rows: Iterable[Row], key: str, reader: SheetReader) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        value = row.values.get(key)
        if not value:
            continue
        if value in seen:
            reader.error(
                row.number,
                row.letters[key],
                key,
                _("与第%(row)d行重复：%(value)s") % {"row": seen[value], "value": value},
            )
        seen.setdefault(value, row.number)


def _check_supervisors(rows: Sequence[Row], reader: SheetReader) -> None:
    """直接主管工号 names an employee of the file or of the database, not oneself, with no cycle."""
    chain = dict(Employee.objects.values_list("number", "supervisor__number"))
    chain |= {row.values["number"]: row.values["supervisor"] or None for row in rows if row.values["number"]}
    for row in rows:
        boss = row.values["supervisor"]
        if not boss:
            continue
        letter = row.letters["supervisor"]
        if boss not in chain:
            reader.error(row.number, letter, "supervisor", _("不存在的员工工号 %(value)s") % {"value": boss})
        elif boss == row.values["number"]:
            reader.error(row.number, letter, "supervisor", _("不能是本人"))
        elif _reaches(chain, boss, row.values["number"]):
            reader.error(row.number, letter, "supervisor", _("直接主管关系形成循环"))


def _reaches(chain: Mapping[str, str | None], start: str, target: str) -> bool:
    seen: set[str] = set()
    node: str | None = start
    while node is not None and node not in seen:
        if node == target:
            return True
        seen.add(node)
        node = chain.get(node)
    return False


def _references(position_rows: Sequence[Row], categories: Mapping[str, str]) -> dict[str, Mapping[str, Any]]:
    positions: dict[str, Any] = {p.code: p.code for p in Position.objects.only("code")}
    positions |= {row.values["code"]: row.values["code"] for row in position_rows if row.values["code"]}
    return {
        "departments": {d.code: d for d in Department.objects.all()},
        "regions": {r.code: r for r in Region.objects.all()},
        "positions": positions,
        "categories": categories,
    }


def parse_workbook(workbook: Any) -> tuple[list[Row], list[Row], list[RowError]]:
    """Both sheets parsed and cross-checked: (position rows, employee rows, errors)."""
    errors: list[RowError] = []
    categories = category_names()
    position_rows: list[Row] = []
    if POSITION_SHEET in workbook.sheetnames:
        reader = SheetReader(workbook[POSITION_SHEET], POSITION_SHEET, POSITION_COLUMNS, errors)
        position_rows = reader.rows(lambda row, r: _parse_position(row, r, categories))
        _check_unique(position_rows, "code", reader)
    sheet_name = EMPLOYEE_SHEET if EMPLOYEE_SHEET in workbook.sheetnames else workbook.sheetnames[0]
    refs = _references(position_rows, categories)
    reader = SheetReader(workbook[sheet_name], sheet_name, EMPLOYEE_COLUMNS, errors)
    employee_rows = reader.rows(lambda row, r: _parse_employee(row, r, refs))
    _check_unique(employee_rows, "number", reader)
    _check_supervisors(employee_rows, reader)
    return position_rows, employee_rows, errors


# ---------------------------------------------------------------------------------------------
# Writing


def _save_if_changed(instance: models.Model, values: Mapping[str, Any], actor: Any, reason: str) -> bool:
    """Set the values; save (with who and why in the history) only when something changed."""
    changed = instance.pk is None or any(getattr(instance, name) != value for name, value in values.items())
    if changed:
        for name, value in values.items():
            setattr(instance, name, value)
        instance._history_user = actor  # type: ignore[attr-defined]
        instance._change_reason = reason  # type: ignore[attr-defined]
        instance.save()
    return changed


def _write_positions(
    rows: Sequence[Row], result: ImportResult, actor: Any, reason: str
) -> dict[str, Position]:
    positions = {p.code: p for p in Position.objects.all()}
    for row in rows:
        position = positions.get(row.values["code"]) or Position(code=row.values["code"])
        is_new = position.pk is None
        values = {name: row.values[name] for name in ("name", "category", "standard_salary")}
        if _save_if_changed(position, values, actor, reason):
            result.positions_created += is_new
            result.positions_updated += not is_new
        positions[position.code] = position
    return positions


def _employee_values(row: Row, positions: Mapping[str, Position]) -> dict[str, Any]:
    values = dict(row.values)
    values["position"] = positions[values["position"]]
    for optional in ("email", "phone"):
        values[optional] = values[optional] or ""
    values.pop("supervisor")
    values.pop("number")
    return values


def _write_employees(
    rows: Sequence[Row], positions: Mapping[str, Position], result: ImportResult, actor: Any, reason: str
) -> None:
    employees = {e.number: e for e in Employee.objects.filter(number__in=[r.values["number"] for r in rows])}
    changed: set[str] = set()
    for row in rows:  # first everything but the supervisor: it may be a new employee of the file
        number = row.values["number"]
        employee = employees.get(number) or Employee(number=number)
        is_new = employee.pk is None
        if _save_if_changed(employee, _employee_values(row, positions), actor, reason):
            changed.add(number)
            result.created += is_new
            result.updated += not is_new
        employees[number] = employee
    everyone = {e.number: e for e in Employee.objects.only("pk", "number")}
    for row in rows:
        employee = employees[row.values["number"]]
        boss = everyone[row.values["supervisor"]].pk if row.values["supervisor"] else None
        if (
            _save_if_changed(employee, {"supervisor_id": boss}, actor, reason)
            and employee.number not in changed
        ):
            changed.add(employee.number)
            result.updated += 1
    result.unchanged = len(rows) - len(changed)


def roster_import(*, data: bytes, actor: AbstractBaseUser, reason: str) -> ImportResult:
    """HR imports the roster and salary standards; all rows valid or nothing written (one transaction)."""
    if not is_company_wide(actor):
        raise PermissionDenied(_("只有人力资源部可以导入员工名册"))
    if not reason.strip():
        raise ValueError(_("请填写导入原因"))
    workbook = read_workbook(data)
    try:  # read-only sheets are parsed row by row: unsafe XML may surface only now
        position_rows, employee_rows, errors = parse_workbook(workbook)
    except DefusedXmlException as error:
        raise _refusal(error) from error
    finally:
        workbook.close()
    result = ImportResult(errors=sorted(errors, key=lambda e: (e.sheet != POSITION_SHEET, e.row, e.column)))
    if result.errors:
        return result
    with transaction.atomic():
        positions = _write_positions(position_rows, result, actor, reason)
        _write_employees(employee_rows, positions, result, actor, reason)
    return result
