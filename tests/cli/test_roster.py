"""`aftersales roster export FILE.xlsx` and `aftersales roster import FILE.xlsx [--dry-run]` (docs/cli.md):
exit 0 with the per-sheet summary; a workbook with errors: exit 2, every bad cell named, nothing written."""

import pytest
from django.contrib.auth import get_user_model

from aftersales.organisation.models import Account, Department, Employee, Position, Region
from tests.cli.forms_cli import run_in_process, run_installed
from tests.organisation.workbooks import company, organisation_workbook
from tests.schema import seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(personas, monkeypatch, capsys):
    def run(*args):
        return run_in_process(["roster", *args], "", monkeypatch, capsys)

    return run


def _sizes():
    return [m.objects.count() for m in (Department, Region, Position, Employee, get_user_model())]


def _bad_company():
    sheets = company()
    sheets["区域"][0]["department"] = "nowhere"
    sheets["员工"][1]["roles"] = "员工、老板"
    sheets["员工"][5]["supervisor"] = "S05"  # S04 and S05 each other's supervisor: a cycle
    sheets["员工"][6]["supervisor"] = "S04"
    return sheets


def test_a_dry_run_with_errors_names_every_bad_cell_and_changes_nothing(roster, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(organisation_workbook(**_bad_company()))
    before = _sizes()
    status, out, err = roster("import", str(path), "--dry-run")
    lines = err.splitlines()
    assert (status, out) == (2, "")
    assert (
        lines[0]
        == "error: 工作表 区域 第2行 C列 部门编码: 不存在的部门编码 nowhere（共 4 处错误，未写入任何数据）"
    )
    assert lines[1:] == [
        "  工作表 区域 第2行 C列 部门编码: 不存在的部门编码 nowhere",
        "  工作表 员工 第3行 N列 角色: 未知的角色：老板",
        "  工作表 员工 第7行 G列 直接主管工号: 直接主管关系形成循环",
        "  工作表 员工 第8行 G列 直接主管工号: 直接主管关系形成循环",
    ]
    assert _sizes() == before


def test_the_same_errors_without_dry_run_also_exit_2_and_write_nothing(roster, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(organisation_workbook(**_bad_company()))
    before = _sizes()
    assert roster("import", str(path))[0] == 2
    assert _sizes() == before


def test_a_dry_run_of_a_good_workbook_prints_the_summary_and_changes_nothing(roster, tmp_path):
    path = tmp_path / "company.xlsx"
    path.write_bytes(organisation_workbook(**company()))
    before = _sizes()
    status, out, err = roster("import", str(path), "--dry-run")
    assert (status, err) == (0, "")
    assert out.splitlines()[:4] == [
        "部门: 新增 3，变更 0，停用 0，未变 0",
        "区域: 新增 1，变更 0，停用 0，未变 0",
        "职位: 新增 4，变更 0，停用 0，未变 0",
        "员工: 新增 25，变更 0，停用 0，未变 0",
    ]
    assert out.splitlines()[-1] == "试运行：将新建登录 17 个；未写入任何数据。"
    assert _sizes() == before


def test_import_writes_and_prints_the_set_password_links(roster, tmp_path):
    path = tmp_path / "company.xlsx"
    path.write_bytes(organisation_workbook(**company()))
    status, out, err = roster(
        "import", str(path), "--reason", "上线导入", "--base-url", "https://hr.example/"
    )
    assert (status, err) == (0, "")
    links = [line for line in out.splitlines() if "/password/set/" in line]
    assert len(links) == 9 and links[0].startswith("  S04 工程师4 s04 https://hr.example/password/set/")
    head = Employee.objects.get(number="S01")
    assert Account.objects.get(user=head.user).must_change_password
    assert head.history.earliest().history_change_reason == "上线导入"


def test_export_then_import_changes_nothing(roster, tmp_path):
    path = tmp_path / "organisation.xlsx"
    status, out, _err = roster("export", str(path))
    assert status == 0 and out.startswith(f"{path}: ")
    status, out, err = roster("import", str(path))
    assert (status, err) == (0, "")
    assert f"员工: 新增 0，变更 0，停用 0，未变 {Employee.objects.count()}" in out.splitlines()


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "No such file or directory"), (b"not a workbook", "不是有效的 .xlsx 文件")],
)
def test_a_missing_or_unreadable_file_exits_2(roster, tmp_path, content, message):
    path = tmp_path / "roster.xlsx"
    if content is not None:
        path.write_bytes(content)
    status, out, err = roster("import", str(path))
    assert (status, out) == (2, "")
    assert err.startswith(f"error: {path}: ") and message in err and len(err.splitlines()) == 1


def test_usage_errors_exit_2(roster):
    assert roster("import")[0] == 2
    assert roster("delete", "x.xlsx")[0] == 2


def test_the_installed_command_on_a_new_database(tmp_path):
    """As a user runs it: migrate, then the template and a dry run of the company workbook. The new
    database is seeded with the migrated schema (tests/schema.py), so its ``migrate`` runs and has nothing
    to apply: ~20 s of CPU the test database's own creation spends already."""
    seed(tmp_path / "aftersales.sqlite3")
    assert run_installed(["migrate", "--verbosity", "0"], tmp_path)[0] == 0
    status, _out, err = run_installed(["roster", "export", "--template", "template.xlsx"], tmp_path)
    assert (status, err) == (0, "") and (tmp_path / "template.xlsx").exists()
    (tmp_path / "company.xlsx").write_bytes(organisation_workbook(**company()))
    status, out, err = run_installed(["roster", "import", "company.xlsx", "--dry-run"], tmp_path)
    assert (status, err) == (0, "") and "员工: 新增 25" in out
