"""`aftersales calc pay|grades|discipline|sla|repair-kpis` against CONTRACTS.md."""

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from aftersales.cli import main

R_5_6 = {
    "department_coefficient": "1.0",
    "rounding_unit": "1",
    "pay_factor": "score",
    "head_in_pool": True,
    "members": [
        {"id": "甲", "standard_pay": "1500", "score": "100", "head": True},
        {"id": "乙", "standard_pay": "1000", "score": "98"},
        {"id": "丙", "standard_pay": 1250, "score": 96},
        {"id": "丁", "standard_pay": "1000", "score": "90"},
    ],
}
GRADES = {
    "mode": "forced",
    "quotas": {"A": 4, "B": 6, "C": 60, "D": 20, "E": 10},
    "members": [{"id": "e1", "score": "91.5"}, {"id": "e2", "score": "78"}],
}
DISCIPLINE = {"records": [{"kind": "merit", "date": "2026-03-02"}, {"kind": "demerit", "date": "2026-05-10"}]}
SLA = {
    "fault": "body",
    "distance_km": "80",
    "needs_supplier": False,
    "received_at": "2026-10-01T08:00:00+08:00",
    "milestones": {"on_site": "2026-10-02T07:30:00+08:00"},
}
REPAIR = {
    "month": "2026-10",
    "window_days": 90,
    "jobs": [
        {
            "id": "j1",
            "unit": "SN-1",
            "technician": "t1",
            "received_at": "2026-09-28T09:00:00+08:00",
            "completed_at": "2026-10-03T17:00:00+08:00",
        }
    ],
}


def calc(command, payload, monkeypatch, capsys):
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    status = main(["calc", command])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def ok(monkeypatch, capsys):
    def run(command, payload):
        status, out, err = calc(command, payload, monkeypatch, capsys)
        assert (status, err) == (0, "")
        return json.loads(out)

    return run


@pytest.fixture
def refused(monkeypatch, capsys):
    """Exit 2, nothing on stdout, one ``error: <field>: …`` line on stderr; returns that line."""

    def run(command, payload):
        status, out, err = calc(command, payload, monkeypatch, capsys)
        assert (status, out) == (2, "")
        assert err.startswith("error: ") and err.endswith("\n") and err.count("\n") == 1
        return err.removeprefix("error: ").rstrip("\n")

    return run


def with_member(payload, index, **changes):
    members = [dict(m) for m in payload["members"]]
    members[index] = {k: v for k, v in {**members[index], **changes}.items() if v is not ...}
    return {**payload, "members": members}


# --- pay (R-5) ----------------------------------------------------------------------------------


def test_r5_6_worked_example_through_calc_pay(ok):
    assert ok("pay", R_5_6) == {
        "pool_base": "4750",
        "distributable": "4750",
        "adjustment_fund": "0",
        "members": [
            {"id": "甲", "factor": "1", "pay": "1556"},
            {"id": "乙", "factor": "0.98", "pay": "1016"},
            {"id": "丙", "factor": "0.96", "pay": "1245"},
            {"id": "丁", "factor": "0.9", "pay": "933"},
        ],
    }


def test_r5_5_head_out_of_pool_keeps_its_place_in_the_list(ok):
    result = ok("pay", {**R_5_6, "department_coefficient": "0.9", "head_in_pool": False})
    assert (result["pool_base"], result["distributable"], result["adjustment_fund"]) == (
        "3250",
        "2925",
        "325",
    )
    assert result["members"][0] == {"id": "甲", "factor": "1", "pay": "1350"}
    assert sum(int(m["pay"]) for m in result["members"][1:]) == 2925


def test_r5_2_grade_factor_from_given_grade_or_from_the_score(ok):
    payload = with_member({**R_5_6, "pay_factor": "grade"}, 1, grade="D", score=...)  # no score needed
    payload = with_member(payload, 2, score="75")
    result = ok("pay", payload)
    assert [m["factor"] for m in result["members"]] == ["1", "0.7", "0.8", "1"]  # A, D given, C, A
    assert sum(int(m["pay"]) for m in result["members"]) == 4750


def test_optional_fields_take_their_defaults(ok):
    minimal = {"department_coefficient": 1, "members": [{"id": 7, "standard_pay": 100, "score": 50}]}
    assert ok("pay", minimal)["members"] == [{"id": "7", "factor": "0.5", "pay": "100"}]


def test_r5_1_standard_pay_is_taken_to_the_fen(ok):
    """R-5.1: S is rounded half up to the fen (1739.034 → 1739.03, 999.995 → 1000.00), so B, P, the
    pays and the fund are whole fen."""
    members = [
        {"id": "a", "standard_pay": "1739.034", "score": "100"},
        {"id": "b", "standard_pay": "999.995", "score": "90"},
    ]
    result = ok("pay", {"department_coefficient": "1", "rounding_unit": "0.01", "members": members})
    assert (result["pool_base"], result["distributable"], result["adjustment_fund"]) == (
        "2739.03",
        "2739.03",
        "0",
    )
    assert sum(Decimal(m["pay"]) for m in result["members"]) == Decimal("2739.03")


# --- grades (R-3.2, R-3.3) ----------------------------------------------------------------------


def test_r3_3_forced_contract_example_targets(ok):
    result = ok("grades", GRADES)
    assert result["targets"] == {"A": 0, "B": 0, "C": 1, "D": 1, "E": 0}
    # SPEC step 3: rank 1 of 2 gets the best grade with a place (C), rank 2 gets D
    assert result["members"] == [{"id": "e1", "grade": "C"}, {"id": "e2", "grade": "D"}]
    assert result["counts"] == {"A": 0, "B": 0, "C": 1, "D": 1, "E": 0}


def test_r3_2_absolute_contract_example_members_and_counts(ok):
    result = ok("grades", {"mode": "absolute", "members": GRADES["members"]})
    assert result == {
        "members": [{"id": "e1", "grade": "A"}, {"id": "e2", "grade": "C"}],
        "counts": {"A": 1, "B": 0, "C": 1, "D": 0, "E": 0},
    }


def test_r3_3_default_quotas(ok):
    members = [{"id": f"e{i}", "score": 100 - i} for i in range(10)]
    result = ok("grades", {"mode": "forced", "members": members})
    assert result["targets"] == {"A": 0, "B": 1, "C": 6, "D": 2, "E": 1}
    assert result["counts"] == result["targets"]


# --- discipline (R-6.2, R-6.3) ------------------------------------------------------------------


def test_r6_contract_example(ok):
    assert ok("discipline", DISCIPLINE) == {
        "monthly_points": {"2026-03": "3", "2026-05": "-3"},
        "years": {
            "2026": {
                "net": {
                    "commendation": 0,
                    "warning": 0,
                    "merit": 0,
                    "demerit": 0,
                    "major_merit": 0,
                    "major_demerit": 0,
                },
                "dismissal_case": False,
            }
        },
    }


def test_r6_3_dismissal_case_through_the_command(ok):
    records = [{"kind": "major_demerit", "date": f"2026-0{m}-01"} for m in (1, 2)]
    records += [{"kind": "demerit", "date": "2026-03-01"}] * 3
    year = ok("discipline", {"records": records})["years"]["2026"]
    assert (year["net"]["major_demerit"], year["dismissal_case"]) == (3, True)


# --- sla (R-8.2) --------------------------------------------------------------------------------


def test_r8_2_contract_example(ok):
    assert ok("sla", SLA) == {"milestone": "on_site", "deadline": "2026-10-02T08:00:00+08:00", "met": True}


def test_r8_2_met_is_null_without_the_milestone_and_times_come_back_in_shanghai(ok):
    payload = {"fault": "chassis_engine", "received_at": "2026-10-01T00:00:00Z"}
    assert ok("sla", payload) == {
        "milestone": "written_contact",
        "deadline": "2026-10-01T20:00:00+08:00",
        "met": None,
    }


def test_r8_2_time_without_offset_is_shanghai(ok):
    payload = {**SLA, "received_at": "2026-10-01T08:00:00", "milestones": {"on_site": "2026-10-02T08:00:01"}}
    assert ok("sla", payload)["met"] is False


# --- repair-kpis (R-10.2, R-10.3, R-3.4) --------------------------------------------------------


def test_r10_contract_example(ok):
    assert ok("repair-kpis", REPAIR) == {
        "technicians": [
            {
                "id": "t1",
                "seven_day_rate": "100",
                "second_repair_rate": "0",
                "pairwise_points": "0",
                "rank": 1,
            }
        ]
    }


def test_r10_rates_keep_two_decimals_and_null_when_not_applicable(ok):
    def job(ident, technician, received, completed):
        return {
            "id": ident,
            "unit": ident,
            "technician": technician,
            "received_at": received,
            "completed_at": completed,
        }

    jobs = [
        job("a", "t1", "2026-10-01T09:00:00", "2026-10-02T09:00:00"),
        job("b", "t1", "2026-10-02T09:00:00", "2026-10-03T09:00:00"),
        job("c", "t1", "2026-10-03T09:00:00", None),
        job("d", "t2", "2026-10-30T09:00:00", None),  # deadline in November, nothing completed
    ]
    result = ok("repair-kpis", {"month": "2026-10", "jobs": jobs})["technicians"]
    assert result == [
        {"id": "t1", "seven_day_rate": "66.67", "second_repair_rate": "0", "pairwise_points": "0", "rank": 1},
        {"id": "t2", "seven_day_rate": None, "second_repair_rate": None, "pairwise_points": "0", "rank": 1},
    ]


# --- bad input: exit 2, one line naming the field -----------------------------------------------


@pytest.mark.parametrize(
    ("command", "payload", "message"),
    [
        ("pay", "{not json", "input: malformed JSON"),
        ("pay", "[1, 2]", "input: must be a JSON object"),
        ("pay", with_member(R_5_6, 2, score="100.5"), "members[2].score: must be between 0 and 100"),
        ("pay", with_member(R_5_6, 1, standard_pay=...), "members[1].standard_pay: is required"),
        ("pay", with_member(R_5_6, 1, standard_pay="-1"), "members[1].standard_pay: must be at least 0"),
        ("pay", with_member(R_5_6, 3, id="甲"), "members[3].id: duplicate id"),
        ("pay", with_member(R_5_6, 0, bonus="1"), "members[0].bonus: unknown field"),
        ("pay", with_member(R_5_6, 2, head=True), "members[2].head: only one member may be the head"),
        (
            "pay",
            with_member({**R_5_6, "pay_factor": "grade"}, 1, grade="F"),
            "members[1].grade: must be one of",
        ),
        ("pay", {**R_5_6, "extra": 1}, "extra: unknown field"),
        ("pay", {**R_5_6, "rounding_unit": "0"}, "rounding_unit: must be greater than 0"),
        ("pay", {**R_5_6, "rounding_unit": "0.005"}, "rounding_unit: must be a whole number of fen"),
        ("pay", {**R_5_6, "department_coefficient": "-0.1"}, "department_coefficient: must be at least 0"),
        (
            "pay",
            {k: v for k, v in R_5_6.items() if k != "department_coefficient"},
            "department_coefficient: is",
        ),
        ("pay", {**R_5_6, "pay_factor": "q"}, "pay_factor: must be one of score, grade"),
        ("pay", {**R_5_6, "head_in_pool": "no"}, "head_in_pool: must be true or false"),
        ("grades", {**GRADES, "mode": "relative"}, "mode: must be one of absolute, forced"),
        (
            "grades",
            {**GRADES, "quotas": {"A": 4, "B": 6, "C": 60, "D": 20, "E": 11}},
            "quotas: must sum to 100",
        ),
        ("grades", {**GRADES, "quotas": {"A": 10, "B": 10, "C": 60, "D": 20}}, "quotas.E: is required"),
        ("grades", {**GRADES, "quotas": {**GRADES["quotas"], "F": 0}}, "quotas.F: unknown field"),
        ("grades", with_member(GRADES, 1, score="-1"), "members[1].score: must be between 0 and 100"),
        ("grades", with_member(GRADES, 1, id="e1"), "members[1].id: duplicate id"),
        (
            "discipline",
            {"records": [{"kind": "praise", "date": "2026-01-01"}]},
            "records[0].kind: must be one of",
        ),
        (
            "discipline",
            {"records": [{"kind": "merit", "date": "2026-02-30"}]},
            "records[0].date: must be a date",
        ),
        ("discipline", {"records": [{"kind": "merit"}]}, "records[0].date: is required"),
        ("discipline", {}, "records: is required"),
        ("sla", {**SLA, "fault": "wheel"}, "fault: must be one of body, chassis_engine, other"),
        (
            "sla",
            {k: v for k, v in SLA.items() if k != "distance_km"},
            "distance_km: is required for a body fault",
        ),
        ("sla", {**SLA, "distance_km": "-5"}, "distance_km: must be at least 0"),
        (
            "sla",
            {**SLA, "milestones": {"arrived": "2026-10-01T09:00:00"}},
            "milestones.arrived: unknown field",
        ),
        ("sla", {**SLA, "received_at": "yesterday"}, "received_at: must be an ISO 8601 time"),
        ("repair-kpis", {**REPAIR, "month": "2026-13"}, "month: must be a month YYYY-MM"),
        ("repair-kpis", {**REPAIR, "window_days": -1}, "window_days: must be at least 0"),
        (
            "repair-kpis",
            {**REPAIR, "jobs": [{**REPAIR["jobs"][0], "completed_at": "2026-09-01T00:00:00+08:00"}]},
            "jobs[0].completed_at: must not be before received_at",
        ),
        ("repair-kpis", {**REPAIR, "jobs": REPAIR["jobs"] * 2}, "jobs[1].id: duplicate id"),
        (
            "repair-kpis",
            {**REPAIR, "jobs": [{**REPAIR["jobs"][0], "tech": "t1"}]},
            "jobs[0].tech: unknown field",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(refused, command, payload, message):
    assert refused(command, payload).startswith(message)


# --- the installed console script -----------------------------------------------------------------

SCRIPT = Path(sys.executable).parent / "aftersales"


def test_console_script_r5_6_example():
    done = subprocess.run(
        [SCRIPT, "calc", "pay"], input=json.dumps(R_5_6), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert [m["pay"] for m in json.loads(done.stdout)["members"]] == ["1556", "1016", "1245", "933"]


def test_console_script_bad_input():
    payload = json.dumps(with_member(R_5_6, 2, score=101))
    done = subprocess.run([SCRIPT, "calc", "pay"], input=payload, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "error: members[2].score: must be between 0 and 100\n"
