"""`aftersales templates list|show CODE` against CONTRACTS.md (SPEC §2)."""

import json

import pytest

from aftersales.core.builtin_forms import BUILTIN_TEMPLATES
from aftersales.core.forms import from_dict, validate_template
from tests.cli.forms_cli import run_in_process, run_installed

LIST = {
    "templates": [
        {"code": "field_service", "name": "现场服务人员月度绩效考核表", "version": 1},
        {"code": "regional_supervisor", "name": "区域主管月度绩效考核表", "version": 1},
        {"code": "repair", "name": "返修人员绩效考核表", "version": 1},
        {"code": "tech_improvement", "name": "技改类员工绩效考核表", "version": 1},
        {"code": "tech_support", "name": "技术支持类,技术管理类员工绩效考核表", "version": 1},
    ]
}


@pytest.fixture
def templates(db, monkeypatch, capsys):
    def run(*args):
        return run_in_process(["templates", *args], "", monkeypatch, capsys)

    return run


def test_list_names_the_five_forms(templates):
    status, out, err = templates("list")
    assert (status, err) == (0, "")
    assert json.loads(out) == LIST


@pytest.mark.parametrize("builtin", BUILTIN_TEMPLATES, ids=lambda t: t.code)
def test_show_round_trips_to_the_builtin(templates, builtin):
    """show → from_dict → validate → the built-in form of SPEC §2."""
    status, out, err = templates("show", builtin.code)
    assert (status, err) == (0, "")
    shown = json.loads(out)
    assert (shown["code"], shown["name"], shown["version"], shown["total"]) == (
        builtin.code,
        builtin.name,
        1,
        "100",
    )
    template = from_dict(shown)
    validate_template(template)
    assert template == builtin


def test_show_repair_follows_the_contract_shape(templates):
    shown = json.loads(templates("show", "repair")[1])
    assert shown["grading"] == "absolute"
    compliance, seven_day = shown["sections"][:2]
    assert {k: compliance[k] for k in ("name", "kind", "points")} == {
        "name": "工作服从",
        "kind": "deduction",
        "points": "20",
    }
    assert compliance["items"][1] == {
        "code": "perfunctory",
        "text": "工作存在扯皮或敷衍了事",
        "deduction": "10",
        "group": None,
    }
    assert seven_day["items"][0]["lower"] == "100"
    assert seven_day["items"][0]["upper"] is None
    assert seven_day["items"][1] == {
        "code": "complete_90_100",
        "text": "完成90%-100%",
        "lower": "90",
        "upper": "100",
        "deduction": "5",
    }


def test_show_goals_and_graded(templates):
    sections = json.loads(templates("show", "tech_support")[1])["sections"]
    assert sections[0]["slots"] == ["30", "20", "20"]
    assert sections[1]["items"][1] == {
        "code": "within_3_days",
        "text": "应对客户投诉不及时,2-3天才作出反应",
        "min": "6",
        "max": "8",
    }


def test_unknown_code_exits_2(templates):
    status, out, err = templates("show", "xyz")
    assert (status, out, err) == (2, "", "error: code: unknown template 'xyz'\n")


@pytest.mark.parametrize("args", [(), ("show",), ("list", "repair"), ("publish",)])
def test_bad_usage_exits_2(templates, args):
    status, out, err = templates(*args)
    assert (status, out) == (2, "")
    assert err.startswith("error: command: usage:")


def test_works_without_a_database_and_creates_none(tmp_path):
    """CONTRACTS: no set-up step; without a database the built-ins answer, and no file is created."""
    status, out, err = run_installed(["templates", "list"], tmp_path)
    assert (status, err) == (0, "")
    assert json.loads(out) == LIST
    status, out, _ = run_installed(["templates", "show", "field_service"], tmp_path)
    assert json.loads(out)["grading"] == "forced"
    assert list(tmp_path.iterdir()) == []


def test_works_on_an_empty_database_file(tmp_path):
    """A database that exists but was never migrated: the built-ins answer."""
    (tmp_path / "aftersales.sqlite3").touch()
    status, out, err = run_installed(["templates", "show", "repair"], tmp_path)
    assert (status, err) == (0, "")
    assert json.loads(out)["name"] == "返修人员绩效考核表"
