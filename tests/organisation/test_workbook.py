"""The organisation workbook (issue 10 item 4, docs/workbook.md): departments, regions, positions and
employees with logins and roles in one file; all or nothing; a preview before anything is written."""

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from aftersales.organisation import accounts
from aftersales.organisation.accounts import role_codes
from aftersales.organisation.exporting import roster_export, roster_template
from aftersales.organisation.importing import EMPLOYEE_COLUMNS, SHEETS, roster_import
from aftersales.organisation.models import Account, AccountEvent, Department, Employee, Position, Region
from tests.interviews.helpers import user
from tests.organisation.workbooks import company, organisation_workbook
from tests.personas import employee

pytestmark = pytest.mark.django_db
DOCS = Path(__file__).resolve().parents[2] / "docs" / "workbook.md"


def _import(data, by="hr", dry_run=False):
    return roster_import(data=data, actor=user(by) if by else None, reason="组织导入", dry_run=dry_run)


def _messages(result):
    return [str(error) for error in result.errors]


def _counts(result):
    return {s.sheet: (s.created, s.changed, s.deactivated, s.unchanged) for s in result.sheets}


def _table_sizes():
    models = (Department, Region, Position, Employee, get_user_model(), AccountEvent, Employee.history.model)
    return [model.objects.count() for model in models]


def _with(sheets, sheet, number, **changes):
    """The company's sheets with one row changed (by its first column)."""
    key = next(spec.key for spec in SHEETS if spec.name == sheet)
    sheets[sheet] = [row | changes if row[key] == number else row for row in sheets[sheet]]
    return sheets


def test_a_whole_organisation_is_created_with_logins_and_roles(personas):
    result = _import(organisation_workbook(**company()))
    assert result.ok, _messages(result)
    assert _counts(result) == {
        "部门": (3, 0, 0, 0),
        "区域": (1, 0, 0, 0),
        "职位": (4, 0, 0, 0),
        "员工": (25, 0, 0, 0),
    }
    service, field, quality = (Department.objects.get(code=c) for c in ("svc", "svc-field", "qa"))
    assert (service.head.number, field.parent, quality.head.number) == ("S01", service, "Q01")
    assert (service.head_in_pool, quality.head_in_pool, field.head_in_pool) == (True, False, True)
    engineer = Employee.objects.get(number="S07")
    assert (engineer.supervisor.number, engineer.region.code, engineer.category) == (
        "S02",
        "east",
        "field_service",
    )
    assert engineer.standard_salary == Decimal("5500")  # blank: the position's
    hr = Employee.objects.get(number="H01").user
    assert (hr.username, role_codes(hr), hr.email) == ("h01", ["employee", "hr"], "h01@example.com")
    assert hr.check_password("Start-2026-h01") and Account.objects.get(user=hr).must_change_password
    assert role_codes(Employee.objects.get(number="Q01").user) == ["head"]
    assert [(link.number, link.username) for link in result.links] == [
        (f"S{i:02d}", f"s{i:02d}") for i in range(4, 13)
    ]
    linked = Employee.objects.get(number="S04").user
    assert not linked.has_usable_password() and "/password/set/" in result.links[0].path
    assert role_codes(linked) == ["employee"]
    assert Employee.objects.filter(number__in=["S13", "S20"], user__isnull=True).count() == 2
    entry = Employee.objects.get(number="S07").history.earliest()
    assert (entry.history_user.username, entry.history_change_reason) == ("hr", "组织导入")


def test_re_importing_the_export_changes_nothing(personas):
    assert _import(organisation_workbook(**company())).ok
    sizes = _table_sizes()
    result = _import(roster_export(employees=Employee.objects.all()))
    assert result.ok, _messages(result)
    assert result.rows == [] and all(s.created == s.changed == s.deactivated == 0 for s in result.sheets)
    assert _counts(result)["员工"][3] == Employee.objects.count()
    assert _table_sizes() == sizes


def test_a_dry_run_names_every_bad_cell_and_writes_nothing(personas):
    sheets = company()
    sheets["部门"].append({"code": "loop-a", "name": "甲", "parent": "loop-b"})
    sheets["部门"].append({"code": "loop-b", "name": "乙", "parent": "loop-a"})
    _with(sheets, "部门", "svc-field", head="S02")
    _with(sheets, "区域", "east", department="nowhere")
    _with(sheets, "职位", "eng", category="销售类")
    _with(sheets, "员工", "S05", roles="员工、老板", department="xx")
    _with(sheets, "员工", "S06", username="S05")
    _with(sheets, "员工", "S03", password="123")
    _with(sheets, "员工", "S13", roles="员工")
    _with(sheets, "员工", "S14", username="engineer")
    sizes = _table_sizes()
    result = _import(organisation_workbook(**sheets), dry_run=True)
    messages = _messages(result)
    assert messages[5].startswith("工作表 员工 第6行 O列 初始密码: ") and "常见" in messages[5]
    assert messages[:5] + messages[6:] == [
        "工作表 部门 第3行 D列 负责人工号: 单元不设部门负责人：负责人设在部门上",
        "工作表 部门 第5行 C列 上级部门编码: 上级部门关系形成循环",
        "工作表 部门 第6行 C列 上级部门编码: 上级部门关系形成循环",
        "工作表 区域 第2行 C列 部门编码: 不存在的部门编码 nowhere",
        "工作表 职位 第4行 C列 考核类别: 无效的考核类别 销售类",
        "工作表 员工 第8行 C列 部门编码: 不存在的部门编码 xx",
        "工作表 员工 第8行 N列 角色: 未知的角色：老板",
        "工作表 员工 第9行 M列 登录名: 与第8行重复：S05",
        "工作表 员工 第16行 N列 角色: 填写角色时须填写登录名",
        "工作表 员工 第17行 M列 登录名: 登录名 engineer 已被使用",
    ]
    assert _table_sizes() == sizes


def test_an_error_in_the_last_sheet_writes_nothing_of_the_others(personas):
    sheets = _with(company(), "员工", "Q04", supervisor="NOBODY")
    sizes = _table_sizes()
    result = _import(organisation_workbook(**sheets))
    assert _messages(result) == ["工作表 员工 第26行 G列 直接主管工号: 不存在的员工工号 NOBODY"]
    assert not result.applied and _table_sizes() == sizes


def test_a_refusal_while_writing_rolls_everything_back(personas, monkeypatch):
    """The database may change between the check and the write: the whole import is undone."""
    create = accounts.login_create

    def refuse_the_last(**kwargs):
        if kwargs["username"] == "s12":
            raise accounts.AccountError("登录名 s12 已被使用", "username")
        return create(**kwargs)

    monkeypatch.setattr(accounts, "login_create", refuse_the_last)
    sizes = _table_sizes()
    result = _import(organisation_workbook(**company()))
    assert _messages(result) == ["工作表 员工 第15行 M列 登录名: 登录名 s12 已被使用"]
    assert (result.applied, result.links) == (False, [])
    assert _table_sizes() == sizes


def test_roles_are_checked_against_the_fixed_list_and_who_grants_them(personas):
    sheets = company()
    _with(sheets, "员工", "S01", roles="hr, supervisor")  # codes too, any separator
    _with(sheets, "员工", "S02", roles="员工、系统管理员")
    result = _import(organisation_workbook(**sheets))
    assert _messages(result) == ["工作表 员工 第3行 N列 角色: 只有系统管理员可以授予或取消系统管理员角色"]
    assert _import(organisation_workbook(**sheets), by="admin").ok
    assert role_codes(get_user_model().objects.get(username="s01")) == ["supervisor", "hr"]
    assert role_codes(get_user_model().objects.get(username="s02")) == ["employee", "admin"]


def test_nobody_changes_their_own_roles_or_deactivates_themselves(personas):
    me = {"number": employee("hr").number, "name": "马丽", "department": "hrd", "position": "hr_specialist"}
    me |= {"active_from": "2024-01-01", "username": "hr"}
    rows = [me | {"roles": "员工", "active_to": timezone.localdate()}]
    assert _messages(_import(organisation_workbook(员工=rows))) == [
        "工作表 员工 第2行 J列 离职日期: 不能停用自己的账号（职责分离）",
        "工作表 员工 第2行 N列 角色: 不能变更自己的角色（职责分离）",
    ]


def test_a_leaving_date_deactivates_the_employee_and_blocks_the_login(personas):
    export = load_workbook(
        io.BytesIO(roster_export(employees=Employee.objects.filter(user__username="engineer")))
    )
    sheet = export["员工"]
    sheet["J2"] = date(2026, 3, 31)
    buffer = io.BytesIO()
    export.save(buffer)
    preview = _import(buffer.getvalue(), dry_run=True)
    assert _counts(preview)["员工"] == (0, 0, 1, 0)
    assert [(c.header, c.old, c.new) for c in preview.rows[0].changes] == [("离职日期", "", "2026-03-31")]
    assert user("engineer").is_active
    assert _import(buffer.getvalue()).ok
    engineer = employee("engineer")
    assert (engineer.active_to, engineer.user.is_active) == (date(2026, 3, 31), False)
    assert AccountEvent.objects.filter(user=engineer.user, action="deactivated").exists()
    sheet["J2"] = None  # cleared: back again
    buffer = io.BytesIO()
    export.save(buffer)
    assert _import(buffer.getvalue()).ok and user("engineer").is_active


def test_employees_missing_from_the_workbook_are_left_alone(personas):
    result = _import(organisation_workbook(**company()))
    assert result.ok
    assert not Employee.objects.filter(active_to__isnull=False).exists()
    assert all(u.is_active for u in get_user_model().objects.filter(employee__number__startswith="E"))


def test_the_preview_counts_each_sheet_and_lists_the_changed_fields(personas):
    assert _import(organisation_workbook(**company())).ok
    sheets = company()
    _with(sheets, "部门", "qa", name="质量管理部")
    _with(sheets, "职位", "eng", name="服务工程师")
    _with(sheets, "员工", "S05", roles="员工、服务调度", phone="13900000000")
    _with(sheets, "员工", "S06", active_to="2026-06-30")
    sheets["员工"].append({"number": "S21", "name": "新人", "department": "svc-field", "position": "eng"})
    sheets["员工"][-1] |= {"active_from": "2026-02-01"}
    sizes = _table_sizes()
    preview = _import(organisation_workbook(**sheets), dry_run=True)
    assert preview.ok and not preview.applied and _table_sizes() == sizes
    assert _counts(preview) == {
        "部门": (0, 1, 0, 2),
        "区域": (0, 0, 0, 1),
        "职位": (0, 1, 0, 3),
        "员工": (1, 1, 1, 23),
    }
    changes = {
        (r.sheet, r.key): (r.status, [(c.header, c.old, c.new) for c in r.changes]) for r in preview.rows
    }
    assert changes == {
        ("部门", "qa"): ("changed", [("部门名称", "质量部", "质量管理部")]),
        ("职位", "eng"): ("changed", [("职位名称", "工程师", "服务工程师")]),
        ("员工", "S05"): ("changed", [("电话", "", "13900000000"), ("角色", "员工", "员工、服务调度")]),
        ("员工", "S06"): ("deactivated", [("离职日期", "", "2026-06-30")]),
        ("员工", "S21"): ("created", []),
    }
    assert preview.new_logins == 0


def test_login_names_are_not_changed_and_initial_passwords_of_existing_logins_are_ignored(personas):
    assert _import(organisation_workbook(**company())).ok
    sheets = _with(company(), "员工", "S02", username="zhou")
    assert _messages(_import(organisation_workbook(**sheets))) == [
        "工作表 员工 第3行 M列 登录名: 已有登录名 s02，导入不更改登录名"
    ]
    result = _import(organisation_workbook(**company()))
    assert result.ok and result.new_logins == 0 and result.links == []
    assert [str(w) for w in result.warnings][:1] == [
        "工作表 员工 第2行 O列 初始密码: 已有登录账号，未使用此初始密码"
    ]
    assert get_user_model().objects.get(username="s01").check_password("Start-2026-s01")


def test_a_login_for_someone_who_has_left_is_refused(personas):
    left = (timezone.localdate() - timedelta(days=1)).isoformat()
    sheets = _with(company(), "员工", "S04", active_to=left)
    assert _messages(_import(organisation_workbook(**sheets))) == [
        "工作表 员工 第7行 M列 登录名: 员工已离职，不能创建登录账号"
    ]


def test_the_command_line_imports_as_the_system(personas):
    result = _import(organisation_workbook(**company()), by=None)
    assert result.ok and result.applied
    event = AccountEvent.objects.filter(user__username="s01", action="created").get()
    assert event.actor is None


def test_the_template_has_notes_drop_down_lists_and_example_rows(personas):
    book = load_workbook(io.BytesIO(roster_template()))
    assert book.sheetnames == ["说明", "部门", "区域", "职位", "员工"]
    for spec in SHEETS:
        sheet = book[spec.name]
        headers = [cell.value for cell in sheet[1]]
        assert headers == [column.header for column in spec.columns]
        notes = [cell.comment.text for cell in sheet[1]]
        assert [note.startswith("必填") for note in notes] == [c.required for c in spec.columns], spec.name
        assert str(sheet["A2"].value).startswith("示例") and sheet.max_row == 2
    lists = {
        (name, str(dv.sqref).split(":")[0]): dv.formula1
        for name in ("部门", "区域", "职位", "员工")
        for dv in book[name].data_validations.dataValidation
    }
    assert lists[("员工", "F2")] == '"技术支持类/技术管理类,技改类,返修(操作)类,现场服务类,区域主管"'
    assert lists[("员工", "N2")] == '"员工,直接主管,部门负责人,人力资源,服务调度,库管,系统管理员"'
    assert lists[("员工", "C2")] == lists[("区域", "C2")] == lists[("部门", "C2")] == "DepartmentCodes"
    assert lists[("部门", "E2")] == '"是,否"'
    assert book.defined_names["DepartmentCodes"].attr_text == "'部门'!$A$2:$A$5001"
    result = _import(roster_template(), dry_run=True)  # the example rows are skipped
    assert result.ok and all(s.created == 0 for s in result.sheets)


def test_the_export_of_an_organisation_without_employees_is_the_template(personas):
    book = load_workbook(io.BytesIO(roster_export(employees=Employee.objects.none())))
    assert book["员工"]["A2"].value == "示例001" and book["员工"].max_row == 2
    assert book["部门"]["A2"].value != "示例-service"  # real departments, no example


def test_the_docs_describe_every_sheet_and_column():
    text = DOCS.read_text(encoding="utf-8")
    for spec in SHEETS:
        assert f"## {spec.name}" in text
        section = text.split(f"## {spec.name}", 1)[1].split("\n## ", 1)[0]
        missing = [c.header for c in spec.columns if f"| {c.header} |" not in section]
        assert not missing, (spec.name, missing)


def test_the_older_two_sheet_workbook_still_imports(personas):
    book = Workbook()
    roster = book.active
    roster.title = "员工名册"
    roster.append([c.header for c in EMPLOYEE_COLUMNS[:12]])  # no login columns
    engineer, regional = employee("engineer").number, employee("regional").number
    roster.append(
        [engineer, "赵磊", "as-field", "north", "trainer", "现场服务类", regional, 5900, "2024-01-01"]
    )
    roster.append(["N100", "新员工", "xx", None, "trainer", None, None, None, "2026-03-01"])
    positions = book.create_sheet("职位薪资标准")
    positions.append(["职位编码", "职位名称", "考核类别", "职位标准薪资"])
    positions.append(["trainer", "培训师", "技术支持类/技术管理类", 6100])
    buffer = io.BytesIO()
    book.save(buffer)
    assert _messages(_import(buffer.getvalue())) == [
        "工作表 员工名册 第3行 C列 部门编码: 不存在的部门编码 xx"
    ]
    roster.delete_rows(3)
    buffer = io.BytesIO()
    book.save(buffer)
    result = _import(buffer.getvalue())
    assert result.ok and _counts(result) == {"职位": (1, 0, 0, 0), "员工": (0, 1, 0, 0)}
    engineer = employee("engineer")
    assert (engineer.position.code, engineer.standard_salary, engineer.user.username) == (
        "trainer",
        Decimal("5900"),
        "engineer",  # the login and its roles are left alone
    )
    assert role_codes(engineer.user) == ["employee"]


def test_the_preview_reads_the_database_in_a_fixed_number_of_queries(personas):
    """Stored organisation (employees with logins and roles, departments, regions, positions, login
    names), the importer's own record: the count does not grow with the rows of the file."""
    small, large = company(), company()
    small["员工"] = small["员工"][:5]
    counts = []
    for sheets in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert _import(organisation_workbook(**sheets), dry_run=True).ok
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_export_reads_the_database_in_a_fixed_number_of_queries(personas):
    counts = []
    for employees in (Employee.objects.filter(user__username="engineer"), Employee.objects.all()):
        with CaptureQueriesContext(connection) as queries:
            roster_export(employees=employees)
        counts.append(len(queries))
    assert counts[0] == counts[1]
