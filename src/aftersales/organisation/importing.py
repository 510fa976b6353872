"""Import of the organisation workbook (组织工作簿): departments and units, regions, positions and
employees with their logins and roles. docs/workbook.md describes every sheet and column.

The steps:
1. read the file safely (size, zip bomb, XML through defusedxml);
2. parse every sheet by its headers, cell by cell (example rows, 示例…, are skipped);
3. plan: what each row asks for against what is stored, checked across the sheets and the database
   (codes exist, no cycles, login names unique, roles known and the importer's to grant);
4. apply the plan in one transaction: departments (parents first), regions, positions, employees,
   supervisors, logins and roles, departures, heads.
The preview and ``--dry-run`` stop after 3. Every problem names sheet, row and column
(``工作表 员工 第3行 C列 部门编码: 不存在的部门编码 xx``); with any problem nothing is written.

Rows are matched by code or 工号 and updated in place. A record missing from the workbook is left
alone — nobody is deactivated for being absent; 离职日期 deactivates (and blocks the login). Every
change is recorded in the history (django-simple-history) with the actor and the reason given.

The file is untrusted: openpyxl parses its XML through defusedxml (entity expansion refused), and
before that the archive itself is checked, so a zip bomb is refused without being inflated.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import time
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from aftersales.organisation import accounts, roles
from aftersales.organisation.access import employee_of, is_company_wide
from aftersales.organisation.models import Category, Department, Employee, Position, Region
from aftersales.ui.exporting import FORMULA_STARTS

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all XML parts of the workbook together
MAX_COMPRESSION_RATIO = 100  # a part inflating more than this is a bomb, not a roster
MAX_PARTS = 500
MAX_ROWS = 5000
EXAMPLE_PREFIX = "示例"  # a row whose first cell starts so is an example of the template, not data
YES, NO = "是", "否"


# ---------------------------------------------------------------------------------------------
# The sheets and their columns (the headers are the file format: Chinese in every language)


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the field it fills, its header, whether required, its note."""

    field: str
    header: str
    required: bool = True
    note: str = ""


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    older_names: tuple[str, ...] = ()  # names of the two-sheet workbook before, still read

    @property
    def key(self) -> str:
        return self.columns[0].field

    def header(self, field_name: str) -> str:
        return next((c.header for c in self.columns if c.field == field_name), field_name)


CODE_NOTE = "字母、数字、- 或 _，最长 40 个字符；按编码匹配已有记录。"
DEPARTMENT_COLUMNS = (
    Column("code", "部门编码", note="必填。部门或单元的编码：" + CODE_NOTE),
    Column("name", "部门名称", note="必填。最长 100 个字符。"),
    Column(
        "parent",
        "上级部门编码",
        required=False,
        note="留空为部门；填写上级部门的编码则为其下的单元（班组、库房等）。上级可在本表或系统中。",
    ),
    Column(
        "head",
        "负责人工号",
        required=False,
        note="部门负责人的工号（员工表或系统中的员工）。单元不设负责人。留空为无负责人。",
    ),
    Column(
        "head_in_pool",
        "负责人计入奖金池",
        required=False,
        note="是 / 否（R-5.5）。否：负责人绩效薪资 = 部门系数 × 其标准绩效薪资。"
        "留空：新部门为是，已有部门不变。",
    ),
)
REGION_COLUMNS = (
    Column("code", "区域编码", note="必填。区域的编码：" + CODE_NOTE),
    Column("name", "区域名称", note="必填。最长 100 个字符。"),
    Column("department", "部门编码", note="必填。区域所属部门或单元的编码（部门表或系统中）。"),
)
POSITION_COLUMNS = (
    Column("code", "职位编码", note="必填。职位的编码：" + CODE_NOTE),
    Column("name", "职位名称", note="必填。最长 100 个字符。"),
    Column("category", "考核类别", note="必填。从下拉列表选择（R-1.2）；新员工留空时取此类别。"),
    Column("standard_salary", "职位标准薪资", note="必填。元/月，不小于 0，最多两位小数。"),
)
EMPLOYEE_COLUMNS = (
    Column("number", "工号", note="必填。最长 20 个字符；按工号匹配已有员工。以“示例”开头的行不导入。"),
    Column("name", "姓名", note="必填。最长 50 个字符。"),
    Column("department", "部门编码", note="必填。所在部门或单元的编码（部门表或系统中）。"),
    Column("region", "区域编码", required=False, note="现场服务人员驻在的区域；须属于同一部门。可留空。"),
    Column("position", "职位编码", note="必填。职位表或系统中的职位编码。"),
    Column("category", "考核类别", required=False, note="从下拉列表选择；留空则取职位的考核类别。"),
    Column(
        "supervisor", "直接主管工号", required=False, note="直接主管的工号；不能是本人，不能成环。可留空。"
    ),
    Column(
        "standard_salary", "职位标准薪资", required=False, note="元/月，最多两位小数；留空则取职位标准薪资。"
    ),
    Column("active_from", "入职日期", note="必填。YYYY-MM-DD。"),
    Column(
        "active_to",
        "离职日期",
        required=False,
        note="YYYY-MM-DD。填写即停用员工并立即封停其登录；清空则恢复。名册中未列出的员工不会被停用。",
    ),
    Column("email", "邮箱", required=False, note="可留空。新建登录时作为登录账号的邮箱。"),
    Column("phone", "电话", required=False, note="可留空。最长 30 个字符。"),
    Column(
        "username",
        "登录名",
        required=False,
        note="填写则为员工新建登录账号（字母、数字和 @ . + - _）；已有登录的员工保持原登录名。"
        "留空：不新建、不删除。",
    ),
    Column(
        "roles",
        "角色",
        required=False,
        note="多个角色用“、”或“,”分隔：员工、直接主管、部门负责人、人力资源、服务调度、库管、系统管理员。"
        "新建登录留空为“员工”；已有登录留空则不变。",
    ),
    Column(
        "password",
        "初始密码",
        required=False,
        note="只用于新建登录：填写则为初始密码，首次登录须修改；留空则生成一次性设置密码链接，列在导入结果中。"
        "已有登录的行忽略此列。导出文件不含密码。",
    ),
)
DEPARTMENTS = SheetSpec("部门", DEPARTMENT_COLUMNS)
REGIONS = SheetSpec("区域", REGION_COLUMNS)
POSITIONS = SheetSpec("职位", POSITION_COLUMNS, ("职位薪资标准",))
EMPLOYEES = SheetSpec("员工", EMPLOYEE_COLUMNS, ("员工名册",))
SHEETS = (DEPARTMENTS, REGIONS, POSITIONS, EMPLOYEES)
GUIDE_SHEET = "说明"
EMPLOYEE_SHEET, POSITION_SHEET = EMPLOYEES.name, POSITIONS.name
MAX_LENGTHS = {"number": 20, "name": 50, "phone": 30, "code": 40, "username": 150}


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
        return f"工作表 {self.sheet} 第{self.row}行 {self.column}列 {self.header}: {self.message}"


CREATED, CHANGED, DEACTIVATED, UNCHANGED = "created", "changed", "deactivated", "unchanged"


@dataclass
class SheetSummary:
    """Per sheet: rows that create, change, deactivate (离职日期 newly set) or leave a record."""

    sheet: str
    created: int = 0
    changed: int = 0
    deactivated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class Change:
    header: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    sheet: str
    row: int
    key: str
    name: str
    status: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class LoginLink:
    """A new login without an initial password: its one-time set-password link (a path)."""

    number: str
    name: str
    username: str
    path: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    sheets: list[SheetSummary] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)  # rows that change something, in sheet order
    new_logins: int = 0
    links: list[LoginLink] = field(default_factory=list)
    applied: bool = False
    deferred: bool = False  # valid, but too big to apply in the request: for a background job

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self, sheet: str) -> SheetSummary:
        return next((s for s in self.sheets if s.sheet == sheet), SheetSummary(sheet))

    def refusal(self) -> str:
        """What an import refused for its cell errors says (the API's refusal, the job's failure)."""
        count = len(self.errors)
        message = ngettext(
            "发现 %(counter)s 处错误，未导入任何数据。", "发现 %(counter)s 处错误，未导入任何数据。", count
        )
        return message % {"counter": count}


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


def yes_no_value(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    answer = text_value(value).lower()
    if answer in {YES, "yes", "y", "true", "1"}:
        return True
    if answer in {NO, "no", "n", "false", "0"}:
        return False
    raise ValueError(_("请填写“是”或“否”：%(value)s") % {"value": value})


def _labels_in_every_language(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Accepted spellings (code, Chinese label, English label) → code."""
    names: dict[str, str] = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            names |= {str(label): code for code, label in choices}
    return names


def category_names() -> dict[str, str]:
    return {code: code for code in Category.values} | _labels_in_every_language(Category.choices)


def category_label(code: str) -> str:
    """The Chinese name the export writes (whatever language the exporter uses)."""
    with translation.override("zh-hans"):
        return str(Category(code).label)


ROLE_SEPARATORS = re.compile(r"[、,，;；\n]+")


def role_names() -> dict[str, str]:
    names = {code: code for code in roles.ALL_ROLES}
    return names | _labels_in_every_language(roles.ROLE_LABELS.items())


def role_text(codes: Iterable[str]) -> str:
    """Roles as the workbook writes them: Chinese labels in the fixed order, separated by 、."""
    held = set(codes)
    with translation.override("zh-hans"):
        return "、".join(accounts.role_labels(code for code in roles.ALL_ROLES if code in held))


def roles_value(value: Any) -> frozenset[str]:
    known = role_names()
    names = known | {name.lower(): code for name, code in known.items()}
    words = [word.strip() for word in ROLE_SEPARATORS.split(text_value(value)) if word.strip()]
    unknown = [word for word in words if word not in names and word.lower() not in names]
    if unknown:
        raise ValueError(_("未知的角色：%(roles)s") % {"roles": "、".join(unknown)})
    return frozenset(names.get(word) or names[word.lower()] for word in words)


def _bounded_text(limit: int | None) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        result = text_value(value)
        if limit and len(result) > limit:
            raise ValueError(_("不能超过 %(limit)d 个字符") % {"limit": limit})
        return result

    return convert


def code_value(value: Any) -> str:
    code = _bounded_text(MAX_LENGTHS["code"])(value)
    try:
        validate_slug(code)
    except ValidationError:
        raise ValueError(_("编码只能包含字母、数字、- 和 _：%(value)s") % {"value": code}) from None
    return code


def username_value(value: Any) -> str:
    username = _bounded_text(MAX_LENGTHS["username"])(value)
    try:
        get_user_model()._meta.get_field("username").run_validators(username)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return username


def _email(value: Any) -> str:
    address = text_value(value)
    try:
        validate_email(address)
    except ValidationError:
        raise ValueError(_("邮箱格式不正确：%(value)s") % {"value": address}) from None
    return address


def _choice(known: Mapping[str, str], message: str) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        key = text_value(value)
        if key not in known:
            raise ValueError(message % {"value": key})
        return known[key]

    return convert


# ---------------------------------------------------------------------------------------------
# Parsing a sheet into rows


@dataclass
class Row:
    sheet: SheetSpec
    title: str  # the sheet's name in the file
    number: int  # spreadsheet row
    values: dict[str, Any]
    letters: dict[str, str]  # field → column letter, for the columns the sheet has

    def has(self, field_name: str) -> bool:
        return field_name in self.letters


class Problems:
    """The cell errors found so far, and the warnings (the import goes on despite these)."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []

    @staticmethod
    def at(row: Row, field_name: str, message: str) -> RowError:
        letter = row.letters.get(field_name, "-")
        return RowError(row.title, row.number, letter, row.sheet.header(field_name), message)

    def add(self, row: Row, field_name: str, message: str) -> None:
        self.errors.append(self.at(row, field_name, message))

    def warn(self, row: Row, field_name: str, message: str) -> None:
        self.warnings.append(self.at(row, field_name, message))


class SheetReader:
    """Reads one sheet by its headers and collects cell errors."""

    def __init__(self, sheet: Any, title: str, spec: SheetSpec, problems: Problems) -> None:
        self.sheet, self.title, self.spec, self.problems = sheet, title, spec, problems

    def rows(self, parse: Callable[[Row, SheetReader], None]) -> list[Row]:
        lines = self.sheet.iter_rows(values_only=True)
        header = next(lines, None) or ()
        positions = self._header_positions(header)
        if positions is None:
            return []
        letters = {f: get_column_letter(i + 1) for f, i in positions.items()}
        rows: list[Row] = []
        for number, cells in enumerate(lines, start=2):
            if number > MAX_ROWS + 1:
                raise ImportRefused(_("行数超过上限 %(max)d") % {"max": MAX_ROWS})
            raw = {f: cells[i] if i < len(cells) else None for f, i in positions.items()}
            if all(text_value(value) == "" for value in raw.values()):
                continue  # blank line
            if text_value(raw[self.spec.key]).startswith(EXAMPLE_PREFIX):
                continue  # the template's example row
            row = Row(self.spec, self.title, number, raw, letters)
            self._check_required(row)
            parse(row, self)
            rows.append(row)
        return rows

    def _header_positions(self, header: Sequence[Any]) -> dict[str, int] | None:
        found = {text_value(value): index for index, value in enumerate(header)}
        positions = {c.field: found[c.header] for c in self.spec.columns if c.header in found}
        missing = [c.header for c in self.spec.columns if c.required and c.field not in positions]
        for name in missing:
            self.problems.errors.append(RowError(self.title, 1, "-", name, _("缺少此列")))
        return None if missing else positions

    def _check_required(self, row: Row) -> None:
        for column in self.spec.columns:
            if column.required and text_value(row.values[column.field]) == "":
                self.problems.add(row, column.field, _("必填"))

    def convert(self, row: Row, field_name: str, convert: Callable[[Any], Any]) -> None:
        """Replace the raw cell by its converted value (None when blank), or record the error."""
        raw = row.values.get(field_name)
        if raw is None or text_value(raw) == "":
            row.values[field_name] = None
            return
        try:
            row.values[field_name] = convert(raw)
        except ValueError as error:
            row.values[field_name] = None
            self.problems.add(row, field_name, str(error))


def _parse_department(row: Row, reader: SheetReader) -> None:
    for name, convert in (("code", code_value), ("parent", code_value), ("name", _bounded_text(100))):
        reader.convert(row, name, convert)
    reader.convert(row, "head", text_value)
    reader.convert(row, "head_in_pool", yes_no_value)


def _parse_region(row: Row, reader: SheetReader) -> None:
    for name, convert in (("code", code_value), ("department", code_value), ("name", _bounded_text(100))):
        reader.convert(row, name, convert)


def _parse_position(row: Row, reader: SheetReader) -> None:
    reader.convert(row, "code", code_value)
    reader.convert(row, "name", _bounded_text(100))
    reader.convert(row, "category", _choice(category_names(), _("无效的考核类别 %(value)s")))
    reader.convert(row, "standard_salary", decimal_value)


def _parse_employee(row: Row, reader: SheetReader) -> None:
    for name in ("number", "name", "phone"):
        reader.convert(row, name, _bounded_text(MAX_LENGTHS[name]))
    for name in ("department", "region", "position"):
        reader.convert(row, name, code_value)
    for name, convert in (("supervisor", text_value), ("password", text_value), ("username", username_value)):
        reader.convert(row, name, convert)
    reader.convert(row, "category", _choice(category_names(), _("无效的考核类别 %(value)s")))
    reader.convert(row, "roles", roles_value)
    reader.convert(row, "standard_salary", decimal_value)
    reader.convert(row, "active_from", date_value)
    reader.convert(row, "active_to", date_value)
    reader.convert(row, "email", _email)
    start, end = row.values["active_from"], row.values["active_to"]
    if start and end and end < start:
        reader.problems.add(row, "active_to", _("离职日期早于入职日期"))


PARSERS: dict[str, Callable[[Row, SheetReader], None]] = {
    DEPARTMENTS.name: _parse_department,
    REGIONS.name: _parse_region,
    POSITIONS.name: _parse_position,
    EMPLOYEES.name: _parse_employee,
}


def _check_unique(rows: Iterable[Row], key: str, problems: Problems, fold: bool = False) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        value = row.values.get(key)
        if not value:
            continue
        folded = value.lower() if fold else value
        if folded in seen:
            message = _("与第%(row)d行重复：%(value)s") % {"row": seen[folded], "value": value}
            problems.add(row, key, message)
        seen.setdefault(folded, row.number)


def _sheet_title(workbook: Any, spec: SheetSpec) -> str | None:
    return next((n for n in (spec.name, *spec.older_names) if n in workbook.sheetnames), None)


def parse_workbook(workbook: Any, problems: Problems) -> dict[str, list[Row]]:
    """Every sheet of the workbook that this import knows, parsed: sheet name → rows."""
    parsed: dict[str, list[Row]] = {}
    for spec in SHEETS:
        title = _sheet_title(workbook, spec)
        if title is not None:
            reader = SheetReader(workbook[title], title, spec, problems)
            parsed[spec.name] = reader.rows(PARSERS[spec.name])
            _check_unique(parsed[spec.name], spec.key, problems)
    if not parsed:
        names = "、".join(spec.name for spec in SHEETS)
        raise ImportRefused(_("工作簿中没有可导入的工作表（%(names)s）") % {"names": names})
    _check_unique(parsed.get(EMPLOYEES.name, ()), "username", problems, fold=True)
    return parsed


# ---------------------------------------------------------------------------------------------
# What is stored, in the workbook's terms (codes and 工号 instead of ids)


@dataclass
class Stored:
    tables: dict[str, dict[str, dict[str, Any]]]  # sheet name → code or 工号 → field → value
    logins: dict[str, Any]  # 工号 → the employee's login
    usernames: set[str]  # every login name of the installation, lower-case


def _employee_state(employee: Employee) -> dict[str, Any]:
    user = employee.user
    held = frozenset(g.name for g in user.groups.all()) & set(roles.ALL_ROLES) if user else None
    return {
        "name": employee.name,
        "department": employee.department.code,
        "region": employee.region.code if employee.region else None,
        "position": employee.position.code,
        "category": employee.category,
        "supervisor": employee.supervisor.number if employee.supervisor else None,
        "standard_salary": employee.standard_salary,
        "active_from": employee.active_from,
        "active_to": employee.active_to,
        "email": employee.email,
        "phone": employee.phone,
        "username": user.username if user else None,
        "roles": held,
    }


def load_stored() -> Stored:
    employees = list(
        Employee.objects.select_related("department", "region", "position", "supervisor", "user")
        .prefetch_related("user__groups")
        .order_by("number")
    )
    usernames = get_user_model().objects.values_list("username", flat=True)
    departments = {
        d.code: {
            "name": d.name,
            "parent": d.parent.code if d.parent else None,
            "head": d.head.number if d.head else None,
            "head_in_pool": d.head_in_pool,
        }
        for d in Department.objects.select_related("parent", "head")
    }
    regions = {
        r.code: {"name": r.name, "department": r.department.code}
        for r in Region.objects.select_related("department")
    }
    positions = {
        p.code: {"name": p.name, "category": p.category, "standard_salary": p.standard_salary}
        for p in Position.objects.all()
    }
    return Stored(
        tables={
            DEPARTMENTS.name: departments,
            REGIONS.name: regions,
            POSITIONS.name: positions,
            EMPLOYEES.name: {e.number: _employee_state(e) for e in employees},
        },
        logins={e.number: e.user for e in employees if e.user is not None},
        usernames={name.lower() for name in usernames},
    )


# ---------------------------------------------------------------------------------------------
# The plan: what every row asks for, checked


@dataclass
class Item:
    """One row of the workbook against its stored record (``current`` None: a new record)."""

    row: Row
    key: str
    current: dict[str, Any] | None
    wanted: dict[str, Any]

    def after(self, name: str) -> Any:
        """The value once imported."""
        return self.wanted[name] if name in self.wanted else (self.current or {}).get(name)

    def changes(self) -> dict[str, tuple[Any, Any]]:
        before = self.current or {}
        return {
            name: (before.get(name), value)
            for name, value in self.wanted.items()
            if self.current is None or before.get(name) != value
        }

    @property
    def status(self) -> str:
        changes = self.changes()
        if self.current is None:
            return CREATED
        if "active_to" in changes and changes["active_to"][0] is None:
            return DEACTIVATED
        return CHANGED if changes else UNCHANGED

    @property
    def creates_login(self) -> bool:
        return bool(self.wanted.get("username")) and not (self.current or {}).get("username")


# field → value of a new record when the column is absent or the cell blank
DEFAULTS: dict[str, dict[str, Any]] = {
    DEPARTMENTS.name: {"name": "", "parent": None, "head": None, "head_in_pool": True},
    REGIONS.name: {"name": "", "department": None},
    POSITIONS.name: {"name": "", "category": None, "standard_salary": None},
    EMPLOYEES.name: {
        "name": "",
        "department": None,
        "region": None,
        "position": None,
        "category": None,
        "supervisor": None,
        "standard_salary": None,
        "active_from": None,
        "active_to": None,
        "email": "",
        "phone": "",
        "username": None,
        "roles": None,
    },
}
# A blank cell here keeps the stored value (a login is never removed by the workbook).
KEEP_WHEN_BLANK = frozenset({"head_in_pool", "username", "roles"})


def _wanted(row: Row, current: Mapping[str, Any] | None, defaults: Mapping[str, Any]) -> dict[str, Any]:
    """The values the row asks for. A column the sheet lacks keeps the stored value (a new record
    gets the default); so does a blank cell of ``KEEP_WHEN_BLANK``."""
    wanted: dict[str, Any] = {}
    for name, default in defaults.items():
        value = row.values.get(name)
        blank = value is None or value == ""
        if row.has(name) and not (blank and name in KEEP_WHEN_BLANK and current is not None):
            wanted[name] = default if blank else value
        elif current is None:
            wanted[name] = default
    return wanted


def _items(rows: Iterable[Row], stored: Mapping[str, dict[str, Any]]) -> list[Item]:
    items: dict[str, Item] = {}
    for row in rows:
        key = row.values[row.sheet.key]
        if key and key not in items:  # a duplicate is an error already
            current = stored.get(key)
            items[key] = Item(row, key, current, _wanted(row, current, DEFAULTS[row.sheet.name]))
    return list(items.values())


@dataclass
class Plan:
    items: dict[str, list[Item]]  # sheet name → items
    stored: Stored

    def merged(self, sheet: str, name: str) -> dict[str, Any]:
        """key → the value of ``name`` once imported, over the stored records and the sheet."""
        values = {key: state.get(name) for key, state in self.stored.tables[sheet].items()}
        return values | {item.key: item.after(name) for item in self.items.get(sheet, ())}


def _reaches(chain: Mapping[str, str | None], start: str, target: str) -> bool:
    seen: set[str] = set()
    node: str | None = start
    while node is not None and node not in seen:
        if node == target:
            return True
        seen.add(node)
        node = chain.get(node)
    return False


def _root(parents: Mapping[str, str | None], code: str) -> str:
    seen: set[str] = set()
    while parents.get(code) and code not in seen:
        seen.add(code)
        code = parents[code]  # type: ignore[assignment]
    return code


def _check_exists(item: Item, name: str, known: Collection[str], message: str, problems: Problems) -> None:
    value = item.wanted.get(name)
    if value and value not in known:
        problems.add(item.row, name, message % {"value": value})


def _check_tree(
    item: Item, name: str, chain: Mapping[str, str | None], messages: tuple[str, str, str], problems: Problems
) -> None:
    """``name`` points at a record of ``chain`` that exists, is not the row itself, makes no cycle."""
    target = item.wanted.get(name)
    if not target:
        return
    missing, itself, cycle = messages
    if target not in chain:
        problems.add(item.row, name, missing % {"value": target})
    elif target == item.key:
        problems.add(item.row, name, itself)
    elif _reaches(chain, target, item.key):
        problems.add(item.row, name, cycle)


def _check_departments(plan: Plan, problems: Problems) -> None:
    parents = plan.merged(DEPARTMENTS.name, "parent")
    people = plan.merged(EMPLOYEES.name, "name")
    messages = (_("不存在的部门编码 %(value)s"), _("不能是本部门"), _("上级部门关系形成循环"))
    for item in plan.items.get(DEPARTMENTS.name, ()):
        _check_tree(item, "parent", parents, messages, problems)
        _check_exists(item, "head", people, _("不存在的员工工号 %(value)s"), problems)
        if item.wanted.get("head") and item.after("parent"):
            problems.add(item.row, "head", _("单元不设部门负责人：负责人设在部门上"))


def _check_regions(plan: Plan, problems: Problems) -> None:
    departments = plan.merged(DEPARTMENTS.name, "parent")
    for item in plan.items.get(REGIONS.name, ()):
        _check_exists(item, "department", departments, _("不存在的部门编码 %(value)s"), problems)


def _fill_from_position(item: Item, positions: Mapping[str, Mapping[str, Any]]) -> None:
    """考核类别 and 职位标准薪资 left blank take the position's."""
    for name, of_position in positions.items():
        if name in item.wanted and item.wanted[name] is None:
            item.wanted[name] = of_position.get(item.after("position"))


def _check_employee_references(plan: Plan, problems: Problems) -> None:
    parents = plan.merged(DEPARTMENTS.name, "parent")
    region_departments = plan.merged(REGIONS.name, "department")
    positions = {name: plan.merged(POSITIONS.name, name) for name in ("category", "standard_salary")}
    chain = plan.merged(EMPLOYEES.name, "supervisor")
    messages = (_("不存在的员工工号 %(value)s"), _("不能是本人"), _("直接主管关系形成循环"))
    for item in plan.items.get(EMPLOYEES.name, ()):
        _check_exists(item, "department", parents, _("不存在的部门编码 %(value)s"), problems)
        _check_exists(item, "region", region_departments, _("不存在的区域编码 %(value)s"), problems)
        _check_exists(item, "position", positions["category"], _("不存在的职位编码 %(value)s"), problems)
        _check_tree(item, "supervisor", chain, messages, problems)
        _fill_from_position(item, positions)
        region, department = item.after("region"), item.after("department")
        moved = {"region", "department"} & item.changes().keys()
        known = region_departments.get(region) in parents and department in parents
        if moved and known and _root(parents, region_departments[region]) != _root(parents, department):
            problems.add(item.row, "region", _("区域不属于该部门"))


def _check_new_login(item: Item, plan: Plan, password: str, problems: Problems) -> None:
    username = item.wanted["username"]
    if username.lower() in plan.stored.usernames:
        problems.add(item.row, "username", _("登录名 %(name)s 已被使用") % {"name": username})
    left = item.after("active_to")
    if left is not None and left < timezone.localdate():
        problems.add(item.row, "username", _("员工已离职，不能创建登录账号"))
    if item.wanted.get("roles") is None:
        item.wanted["roles"] = frozenset({roles.EMPLOYEE})
    if password:
        probe = get_user_model()(
            username=username, email=item.after("email") or "", first_name=item.after("name") or ""
        )
        try:
            validate_password(password, probe)
        except ValidationError as error:
            problems.add(item.row, "password", " ".join(error.messages))


def _check_login(item: Item, plan: Plan, actor: Any, problems: Problems) -> None:
    """登录名, 角色 and 初始密码 of one employee row."""
    have = (item.current or {}).get("username")
    username, password = item.wanted.get("username"), item.row.values.get("password") or ""
    if have and username and username.lower() != have.lower():
        problems.add(item.row, "username", _("已有登录名 %(name)s，导入不更改登录名") % {"name": have})
    if have:
        item.wanted["username"] = have
        if password:
            problems.warn(item.row, "password", _("已有登录账号，未使用此初始密码"))
    elif username:
        _check_new_login(item, plan, password, problems)
    else:
        if item.wanted.get("roles"):
            problems.add(item.row, "roles", _("填写角色时须填写登录名"))
        if password:
            problems.add(item.row, "password", _("填写初始密码时须填写登录名"))
        item.wanted.pop("roles", None)
        return
    before, after = (item.current or {}).get("roles") or frozenset(), item.after("roles")
    try:
        accounts.check_role_change(
            actor=actor, user=plan.stored.logins.get(item.key), before=set(before), after=set(after)
        )
    except accounts.AccountError as refused:
        problems.add(item.row, "roles", str(refused))


def _check_employees(plan: Plan, actor: Any, problems: Problems) -> None:
    _check_employee_references(plan, problems)
    me = employee_of(actor) if actor is not None else None
    for item in plan.items.get(EMPLOYEES.name, ()):
        _check_login(item, plan, actor, problems)
        if me is not None and item.key == me.number and item.changes().get("active_to", (None, None))[1]:
            problems.add(item.row, "active_to", _("不能停用自己的账号（职责分离）"))


def make_plan(parsed: Mapping[str, list[Row]], actor: Any, problems: Problems) -> Plan:
    stored = load_stored()
    plan = Plan({sheet: _items(rows, stored.tables[sheet]) for sheet, rows in parsed.items()}, stored)
    _check_departments(plan, problems)
    _check_regions(plan, problems)
    _check_employees(plan, actor, problems)
    return plan


# ---------------------------------------------------------------------------------------------
# The preview: per sheet what changes


def shown(name: str, value: Any) -> str:
    """A value as the workbook writes it."""
    if value is None or value == "":
        return ""
    if name == "category":
        return category_label(value)
    if name == "roles":
        return role_text(value)
    if isinstance(value, bool):
        return YES if value else NO
    return str(value)


def _row_change(item: Item) -> RowChange:
    status = item.status
    changes = () if status == CREATED else item.changes().items()
    return RowChange(
        sheet=item.row.sheet.name,
        row=item.row.number,
        key=item.key,
        name=str(item.after("name") or ""),
        status=status,
        changes=tuple(
            Change(item.row.sheet.header(name), shown(name, old), shown(name, new))
            for name, (old, new) in changes
        ),
    )


def describe(plan: Plan, result: ImportResult) -> None:
    for spec in SHEETS:
        if spec.name not in plan.items:
            continue
        summary = SheetSummary(spec.name)
        for item in plan.items[spec.name]:
            status = item.status
            setattr(summary, status, getattr(summary, status) + 1)
            if status != UNCHANGED:
                result.rows.append(_row_change(item))
        result.sheets.append(summary)
    result.new_logins = sum(item.creates_login for item in plan.items.get(EMPLOYEES.name, ()))


# ---------------------------------------------------------------------------------------------
# Writing


class RowRefused(Exception):
    """An account action refused while writing (the database changed since the check)."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True)
class Stamp:
    """Who imports and why: written into every history record."""

    actor: Any
    reason: str

    def save(self, instance: models.Model, values: Mapping[str, Any]) -> None:
        for name, value in values.items():
            setattr(instance, name, value)
        instance._history_user = self.actor  # type: ignore[attr-defined]
        instance._change_reason = self.reason  # type: ignore[attr-defined]
        instance.save()


def _resolved(
    changes: Mapping[str, tuple[Any, Any]], references: Mapping[str, Mapping[str, Any]], skip: Collection[str]
) -> dict[str, Any]:
    """The new values of ``changes`` with codes replaced by their records (None stays None)."""
    values = {}
    for name, (_old, new) in changes.items():
        if name not in skip:
            values[name] = references[name][new] if name in references and new is not None else new
    return values


def _write(
    items: Iterable[Item],
    records: dict[str, Any],
    make: Callable[[str], models.Model],
    references: Mapping[str, Mapping[str, Any]],
    stamp: Stamp,
    skip: Collection[str] = (),
) -> None:
    """Create (``make``) or update the records of ``items``; ``records`` maps every key to its record."""
    for item in items:
        values = _resolved(item.changes(), references, skip)
        if values:
            record = records.get(item.key) or make(item.key)
            stamp.save(record, values)
            records[item.key] = record


def _sets(item: Item, name: str) -> bool:
    """Whether the row changes ``name``, written after the record itself (a new record's blank
    value is there already)."""
    changes = item.changes()
    return name in changes and (item.current is not None or changes[name][1] is not None)


ALL_BUT = {
    "head": tuple(DEFAULTS[DEPARTMENTS.name].keys() - {"head"}),
    "supervisor": tuple(DEFAULTS[EMPLOYEES.name].keys() - {"supervisor"}),
}


def _depth(parents: Mapping[str, str | None], code: str) -> int:
    depth, node = 0, parents.get(code)
    while node is not None and depth <= len(parents):
        depth, node = depth + 1, parents.get(node)
    return depth


def _write_employees(
    items: Sequence[Item], references: Mapping[str, Mapping[str, Any]], stamp: Stamp
) -> dict[str, Employee]:
    """Everything but the supervisor first: the supervisor may be a new employee of the file."""
    employees = {e.number: e for e in Employee.objects.select_related("user")}
    late = ("supervisor", "active_to", "username", "roles")
    _write(items, employees, lambda key: Employee(number=key), references, stamp, skip=late)
    for item in items:
        changes = item.changes()
        employee = employees[item.key]
        if "email" in changes and employee.user is not None:  # the login's e-mail follows
            employee.user.email = changes["email"][1]
            employee.user.save(update_fields=["email"])
    supervisors = [item for item in items if _sets(item, "supervisor")]
    _write(supervisors, employees, Employee, {"supervisor": employees}, stamp, skip=ALL_BUT["supervisor"])
    return employees


@contextmanager
def _account_refusal_at(item: Item) -> Iterator[None]:
    try:
        yield
    except accounts.AccountError as refused:
        raise RowRefused(Problems.at(item.row, refused.field or "username", str(refused))) from None


def _write_logins(items: Iterable[Item], employees: Mapping[str, Employee], stamp: Stamp) -> list[LoginLink]:
    links = []
    for item in items:
        employee = employees[item.key]
        with _account_refusal_at(item):
            if item.creates_login:
                made = accounts.login_create(
                    employee=employee,
                    username=item.wanted["username"],
                    email=employee.email,
                    password=item.row.values.get("password") or "",
                    codes=item.wanted["roles"],
                    actor=stamp.actor,
                    reason=stamp.reason,
                )
                if made.set_password_path:
                    links.append(
                        LoginLink(item.key, employee.name, made.user.username, made.set_password_path)
                    )
            elif "roles" in item.changes():
                accounts.roles_set(
                    user=employee.user, codes=item.wanted["roles"], actor=stamp.actor, reason=stamp.reason
                )
    return links


def _write_departures(items: Iterable[Item], employees: Mapping[str, Employee], stamp: Stamp) -> None:
    """离职日期 set: the employee leaves and the login is blocked; cleared: back again."""
    for item in items:
        if not _sets(item, "active_to"):
            continue
        employee, on = employees[item.key], item.wanted["active_to"]
        with _account_refusal_at(item):
            if on is None:
                accounts.employee_reactivate(employee=employee, actor=stamp.actor, reason=stamp.reason)
            else:
                accounts.employee_deactivate(employee=employee, on=on, actor=stamp.actor, reason=stamp.reason)


def apply(plan: Plan, stamp: Stamp) -> list[LoginLink]:
    """Write the plan (inside the caller's transaction); the set-password links of new logins."""
    parents = plan.merged(DEPARTMENTS.name, "parent")
    department_items = sorted(plan.items.get(DEPARTMENTS.name, ()), key=lambda i: _depth(parents, i.key))
    departments: dict[str, Any] = {d.code: d for d in Department.objects.all()}
    # parents before their units (the same dict resolves 上级部门编码); heads once employees exist
    _write(
        department_items,
        departments,
        lambda key: Department(code=key),
        {"parent": departments},
        stamp,
        ("head",),
    )
    regions: dict[str, Any] = {r.code: r for r in Region.objects.all()}
    references = {"department": departments}
    _write(plan.items.get(REGIONS.name, ()), regions, lambda key: Region(code=key), references, stamp)
    positions: dict[str, Any] = {p.code: p for p in Position.objects.all()}
    _write(plan.items.get(POSITIONS.name, ()), positions, lambda key: Position(code=key), {}, stamp)
    employee_items = plan.items.get(EMPLOYEES.name, [])
    references |= {"region": regions, "position": positions}
    employees = _write_employees(employee_items, references, stamp)
    links = _write_logins(employee_items, employees, stamp)
    _write_departures(employee_items, employees, stamp)
    heads = [item for item in department_items if _sets(item, "head")]
    _write(heads, departments, Department, {"head": employees}, stamp, skip=ALL_BUT["head"])
    return links


# ---------------------------------------------------------------------------------------------
# The import


def _sheet_order(error: RowError) -> tuple[int, int, int, str]:
    titles = [(spec.name, *spec.older_names) for spec in SHEETS]
    index = next((i for i, names in enumerate(titles) if error.sheet in names), len(titles))
    return index, error.row, len(error.column), error.column


def roster_import(
    *, data: bytes, actor: Any, reason: str, dry_run: bool = False, defer_over: int | None = None
) -> ImportResult:
    """HR (or the command line, ``actor`` None) imports the organisation workbook: every row valid
    or nothing written, in one transaction. With ``dry_run`` (the preview) nothing is written. With
    ``defer_over``, a valid import that changes more rows than that is not applied either but marked
    ``deferred``: the caller hands the file to a background job (the file is read once either way)."""
    if actor is not None and not is_company_wide(actor):
        raise PermissionDenied(_("只有人力资源部可以导入员工名册"))
    if not reason.strip():
        raise ValueError(_("请填写导入原因"))
    workbook = read_workbook(data)
    problems = Problems()
    try:  # read-only sheets are parsed row by row: unsafe XML may surface only now
        parsed = parse_workbook(workbook, problems)
    except DefusedXmlException as error:
        raise _refusal(error) from error
    finally:
        workbook.close()
    result = ImportResult()
    try:
        with transaction.atomic():
            plan = make_plan(parsed, actor, problems)
            result.errors = sorted(problems.errors, key=_sheet_order)
            result.warnings = sorted(problems.warnings, key=_sheet_order)
            describe(plan, result)
            result.deferred = (
                result.ok and not dry_run and defer_over is not None and len(result.rows) > defer_over
            )
            if result.ok and not dry_run and not result.deferred:
                result.links = apply(plan, Stamp(actor, reason))
                result.applied = True
    except RowRefused as refused:
        result.errors, result.applied, result.links = [refused.error], False, []
    return result


# ---------------------------------------------------------------------------------------------
# An uploaded file between its preview and HR's confirmation

PENDING_MAX_AGE_SECONDS = 24 * 3600
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")


def _pending_dir() -> Path:
    return Path(settings.VAR_DIR) / "roster-uploads"


def pending_keep(data: bytes) -> str:
    """Keep an uploaded file (readable by this process's user only) until it is confirmed; its token.
    Files left unconfirmed for a day are removed."""
    folder = _pending_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    expired = time.time() - PENDING_MAX_AGE_SECONDS
    for old in folder.glob("*.xlsx"):
        with suppress(FileNotFoundError):
            if old.stat().st_mtime < expired:
                old.unlink()
    token = secrets.token_urlsafe(24)
    descriptor = os.open(folder / f"{token}.xlsx", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as target:
        target.write(data)
    return token


def pending_take(token: str) -> bytes | None:
    """The kept file, removed from the store (a token is good once); None if unknown or expired."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    path = _pending_dir() / f"{token}.xlsx"
    try:
        fresh = path.stat().st_mtime >= time.time() - PENDING_MAX_AGE_SECONDS
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    path.unlink(missing_ok=True)
    return data if fresh else None
