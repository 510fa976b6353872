"""R-9.2 on SQLite configured through DATABASE_URL: 20 concurrent issues queue (WAL, BEGIN IMMEDIATE, busy
timeout) instead of failing with "database is locked", and the ledger stays right."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.parts import sqlite_race
from tests.schema import seed
from tests.server import environment

ROOT = Path(__file__).resolve().parents[2]


def test_r9_2_twenty_concurrent_issues_on_a_database_url_sqlite_file(tmp_path):
    env = environment({"DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}"}, tmp_path / "var")
    seed(tmp_path / "race.sqlite3")  # migrated already: the race, not the migrations (tests/schema.py)
    result = subprocess.run(
        [sys.executable, "-m", "tests.parts.sqlite_race"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    run = json.loads(result.stdout)
    assert run["journal"] == "wal"
    assert Counter(run["outcomes"]) == {
        "issued": sqlite_race.STOCK,
        "refused": sqlite_race.ISSUES - sqlite_race.STOCK,
    }
    assert run["balances"] == {"on_hand": 0, "on_loan": sqlite_race.STOCK}
    assert run["moved"] == run["balances"]
