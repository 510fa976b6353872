"""`aftersales calc score` against CONTRACTS.md (R-2.1–R-2.4, R-3.1): one example per form, and errors."""

import json

import pytest

from tests.cli.forms_cli import run_in_process, run_installed


@pytest.fixture
def score(db, monkeypatch, capsys):
    def run(payload):
        return run_in_process(["calc", "score"], payload, monkeypatch, capsys)

    return run


def ok(score, payload):
    status, out, err = score(payload)
    assert (status, err) == (0, "")
    return json.loads(out)


def scores(result):
    return {s["code"]: s["score"] for s in result["sections"]}


def test_field_service_example(score):
    """R-2.1 deductions once each, R-2.3 one phone-off item, floor of 信息传递 at 0."""
    payload = {
        "template": "field_service",
        "entries": {
            "work_arrangement": ["delay_task"],
            "parts_management": [],
            "information_transfer": ["quality_database_misuse", "phone_off_3plus", "lack_cooperation"],
        },
        "discipline_points": "-1",
    }
    result = ok(score, payload)
    assert scores(result) == {
        "work_arrangement": "15",
        "parts_management": "20",
        "fault_handling": "25",
        "customer_communication": "10",
        "information_transfer": "0",
    }
    assert (result["form_total"], result["final"]) == ("70", "69")


def test_regional_supervisor_example(score):
    payload = {
        "template": "regional_supervisor",
        "entries": {
            "regional_management": ["customer_visits_lacking"],
            "information_transfer": ["phone_off_occasional"],
        },
    }
    result = ok(score, payload)
    assert scores(result)["regional_management"] == "25"
    assert scores(result)["information_transfer"] == "7"
    assert (result["form_total"], result["final"]) == ("82", "82")


def test_repair_example_matches_the_contract_shape(score):
    payload = {
        "template": "repair",
        "entries": {
            "work_compliance": ["perfunctory"],
            "seven_day_repair": "85",
            "second_repair": None,
            "work_attitude": "helps_others",
        },
        "discipline_points": "3",
    }
    result = ok(score, payload)
    assert result["template"] == "repair"
    assert result["version"] == 1
    assert result["sections"][1] == {
        "code": "seven_day_repair",
        "name": "七日返修",
        "points": "30",
        "score": "20",
    }
    assert (result["form_total"], result["final"]) == ("78", "81")


def test_repair_lowest_band_floors_at_zero(score):
    """R-2.4: 65 % falls in the extended lowest band (−35) and the section floors at 0."""
    payload = {
        "template": "repair",
        "entries": {"seven_day_repair": 65, "work_attitude": "prevents_problems"},
    }
    assert scores(ok(score, payload))["seven_day_repair"] == "0"


def test_tech_improvement_example_with_own_goal_weights(score):
    payload = {
        "template": "tech_improvement",
        "entries": {
            "monthly_goals": [{"weight": 40, "score": "36.5"}, {"weight": "20", "score": 18}],
            "work_attitude": "meets_requirements",
            "work_discipline": ["lateness_absence"],
        },
        "discipline_points": 9,
    }
    result = ok(score, payload)
    assert scores(result) == {
        "monthly_goals": "54.5",
        "work_compliance": "20",
        "work_attitude": "6",
        "work_discipline": "5",
    }
    assert (result["form_total"], result["final"]) == ("85.5", "94.5")


def test_tech_support_example(score):
    payload = {
        "template": "tech_support",
        "entries": {
            "monthly_goals": [30, "18", 20],
            "complaint_handling": {"item": "within_1_day", "score": 10},
            "website_maintenance": {"item": "over_3_days", "score": "2"},
            "document_maintenance": {"item": "lagging", "score": 8},
        },
        "discipline_points": "3",
    }
    result = ok(score, payload)
    assert (result["form_total"], result["final"]) == ("88", "91")


def test_final_is_clamped_to_100(score):
    """R-3.1: a full form with a commendation stays at 100."""
    payload = {
        "template": "repair",
        "entries": {"work_attitude": "prevents_problems"},
        "discipline_points": "1",
    }
    assert ok(score, payload)["final"] == "100"


REPAIR_OK = {"work_attitude": "prevents_problems"}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"template": "foo", "entries": {}}, "template: unknown template 'foo'"),
        ({"template": "repair", "entries": {}}, "entries.work_attitude: is required"),
        (
            {
                "template": "field_service",
                "entries": {"information_transfer": ["phone_off_3plus", "phone_off_occasional"]},
            },
            "entries.information_transfer[1]: 'phone_off_occasional' and 'phone_off_3plus' exclude",
        ),
        (
            {
                "template": "tech_improvement",
                "entries": {"monthly_goals": [30, 16, 15], "work_attitude": "helps_others"},
            },
            "entries.monthly_goals[1]: must be between 0 and 15",
        ),
        (
            {"template": "repair", "entries": {**REPAIR_OK, "overtime": []}},
            "entries.overtime: unknown section",
        ),
        (
            {"template": "repair", "entries": {**REPAIR_OK, "seven_day_repair": 120}},
            "entries.seven_day_repair: must be",
        ),
        ({"template": "repair", "entries": REPAIR_OK, "bonus": 1}, "bonus: unknown field"),
        (
            {"template": "repair", "version": 7, "entries": REPAIR_OK},
            "version: template 'repair' has no version 7",
        ),
        ({"entries": REPAIR_OK}, "template: is required"),
        (
            {"template": "repair", "entries": REPAIR_OK, "discipline_points": "x"},
            "discipline_points: must be",
        ),
        ("{not json", "input: malformed JSON"),
    ],
)
def test_bad_input_exits_2_naming_the_field(score, payload, message):
    status, out, err = score(payload)
    assert (status, out) == (2, "")
    assert err.startswith(f"error: {message}")
    assert err.count("\n") == 1


def test_pinned_version(score):
    payload = {"template": "repair", "version": 1, "entries": REPAIR_OK}
    assert ok(score, payload)["version"] == 1


def test_scores_without_a_database(tmp_path):
    """CONTRACTS: no set-up step; the built-in forms answer and no database file is created."""
    payload = {"template": "repair", "entries": {"work_attitude": "helps_others", "second_repair": "45"}}
    status, out, err = run_installed(["calc", "score"], tmp_path, payload)
    assert (status, err) == (0, "")
    assert json.loads(out)["form_total"] == "73"  # 20 + 30 + (30 − 25) + (10 − 2) + 10
    assert list(tmp_path.iterdir()) == []
