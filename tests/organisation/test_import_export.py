"""Import and export of the roster and salary standards (.xlsx), SPEC §1, issue 3 part 1, R-1.1.

The whole-organisation workbook (departments, regions, logins, preview) is in test_workbook*.py."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from aftersales.organisation.exporting import roster_export
from aftersales.organisation.importing import ImportRefused, roster_import
from aftersales.organisation.models import Employee, Position
from aftersales.ui.exporting import neutralise
from tests.interviews.helpers import user
from tests.organisation.workbooks import employee_row, replace_part, workbook
from tests.personas import employee

pytestmark = pytest.mark.django_db


def _import(data, by="hr", reason="年度名册更新"):
    return roster_import(data=data, actor=user(by), reason=reason)


def _messages(result):
    return [str(error) for error in result.errors]


def _counts(result, sheet):
    summary = result.summary(sheet)
    return summary.created, summary.changed, summary.unchanged


def test_a_valid_file_creates_and_updates_employees_by_number(personas):
    number = employee("engineer").number
    changed = employee_row(number, name="赵磊", standard_salary="5800.50", phone="13911112222")
    result = _import(workbook([employee_row("N100"), changed]))
    assert result.ok and _counts(result, "员工")[:2] == (1, 1)
    new = Employee.objects.get(number="N100")
    assert (new.supervisor.user.username, new.category, new.standard_salary) == (
        "regional",
        "field_service",
        Decimal("5200"),
    )
    engineer = Employee.objects.get(number=number)
    assert (engineer.standard_salary, engineer.phone) == (Decimal("5800.50"), "13911112222")
    assert engineer.user.username == "engineer"  # the login stays linked


def test_every_change_is_in_the_history_with_the_actor_and_reason(personas):
    _import(
        workbook([employee_row(employee("engineer").number, name="赵磊", standard_salary=6000)]),
        reason="调薪",
    )
    entry = employee("engineer").history.latest()
    assert (entry.history_user.username, entry.history_change_reason) == ("hr", "调薪")


def test_errors_name_the_row_and_column_and_nothing_is_written(personas):
    rows = [
        employee_row("N100"),
        employee_row("N101", department="xx"),
        employee_row("N102", category="销售类", standard_salary=-1),
        employee_row("N103", supervisor="NOBODY", active_from="2026/13/01"),
        employee_row("N100", email="not-an-email"),
    ]
    result = _import(workbook(rows))
    assert _messages(result) == [
        "工作表 员工 第3行 C列 部门编码: 不存在的部门编码 xx",
        "工作表 员工 第4行 F列 考核类别: 无效的考核类别 销售类",
        "工作表 员工 第4行 H列 职位标准薪资: 必须是不小于 0 的金额",
        "工作表 员工 第5行 G列 直接主管工号: 不存在的员工工号 NOBODY",
        "工作表 员工 第5行 I列 入职日期: 日期格式应为 YYYY-MM-DD：2026/13/01",
        "工作表 员工 第6行 A列 工号: 与第2行重复：N100",
        "工作表 员工 第6行 K列 邮箱: 邮箱格式不正确：not-an-email",
    ]
    assert not Employee.objects.filter(number__startswith="N1").exists()


def test_required_cells_and_columns(personas):
    result = _import(workbook([employee_row("N100", name=None, active_from=None)]))
    assert _messages(result) == ["工作表 员工 第2行 B列 姓名: 必填", "工作表 员工 第2行 I列 入职日期: 必填"]
    book = load_workbook(io.BytesIO(workbook([])))
    book.active.delete_cols(1)  # no 工号 column
    buffer = io.BytesIO()
    book.save(buffer)
    assert _messages(_import(buffer.getvalue())) == ["工作表 员工 第1行 -列 工号: 缺少此列"]


def test_a_supervisor_may_be_a_new_employee_of_the_same_file(personas):
    rows = [employee_row("N101", supervisor="N100"), employee_row("N100")]
    assert _import(workbook(rows)).ok
    assert Employee.objects.get(number="N101").supervisor.number == "N100"


def test_supervisor_cycles_and_self_supervision_are_refused(personas):
    rows = [employee_row("N100", supervisor="N101"), employee_row("N101", supervisor="N100")]
    rows.append(employee_row("N102", supervisor="N102"))
    assert _messages(_import(workbook(rows))) == [
        "工作表 员工 第2行 G列 直接主管工号: 直接主管关系形成循环",
        "工作表 员工 第3行 G列 直接主管工号: 直接主管关系形成循环",
        "工作表 员工 第4行 G列 直接主管工号: 不能是本人",
    ]


def test_salary_standards_are_imported_and_new_positions_can_be_used_at_once(personas):
    positions = [
        ["field_engineer", "服务工程师", "field_service", "5800"],
        ["trainer", "培训师", "技术支持类/技术管理类", 6100],
    ]
    result = _import(workbook([employee_row("N100", position="trainer", category="tech_support")], positions))
    assert result.ok and _counts(result, "职位")[:2] == (1, 1)
    assert Position.objects.get(code="field_engineer").standard_salary == Decimal("5800")
    assert Employee.objects.get(number="N100").position.name == "培训师"


def test_salary_with_more_than_two_decimals_is_refused(personas):
    assert _messages(_import(workbook([employee_row(standard_salary="5000.123")]))) == [
        "工作表 员工 第2行 H列 职位标准薪资: 金额最多两位小数、10 位整数"
    ]


def test_only_hr_imports(personas):
    for someone in ("head", "regional", "engineer", "outsider"):
        with pytest.raises(PermissionDenied):
            _import(workbook([employee_row()]), by=someone)


def test_r_1_1_an_export_re_imports_unchanged(personas):
    data = roster_export(employees=Employee.objects.all())
    history = Employee.history.count()
    result = _import(data)
    assert result.ok, _messages(result)
    assert _counts(result, "员工") == (0, 0, Employee.objects.count())
    assert _counts(result, "职位") == (0, 0, Position.objects.count())
    assert Employee.history.count() == history


def test_export_neutralises_formula_injection_and_the_import_restores_the_text(personas):
    number = employee("engineer").number
    Employee.objects.filter(number=number).update(name='=HYPERLINK("http://x")', phone="+8613800000000")
    data = roster_export(employees=Employee.objects.all())
    sheet = load_workbook(io.BytesIO(data))["员工"]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == number)
    assert (row[1], row[11]) == ('\'=HYPERLINK("http://x")', "'+8613800000000")
    assert _counts(_import(data), "员工")[2] == Employee.objects.count()
    assert Employee.objects.get(number=number).name == '=HYPERLINK("http://x")'


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_is_neutralised(text):
    assert neutralise(text) == "'" + text
    assert neutralise("王=五") == "王=五" and neutralise(5) == 5


def test_a_file_that_is_not_a_workbook_is_refused(personas):
    with pytest.raises(ImportRefused):
        _import(b"not a zip at all")


def test_an_xml_bomb_is_refused_by_defusedxml(personas):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData>'
        b"</worksheet>"
    )
    with pytest.raises(ImportRefused, match="不安全的 XML"):
        _import(replace_part(workbook([employee_row()]), "xl/worksheets/sheet1.xml", bomb))
    assert not Employee.objects.filter(number="N100").exists()


def test_a_zip_bomb_is_refused_before_it_is_inflated(personas):
    padding = b"<!--" + b" " * (20 * 1024 * 1024) + b"-->"
    bombed = replace_part(workbook([employee_row()]), "docProps/app.xml", padding)
    assert len(bombed) < 100 * 1024
    with pytest.raises(ImportRefused, match="压缩"):
        _import(bombed)
