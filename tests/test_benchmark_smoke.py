"""The close benchmark runs (issue 4: "the benchmark runs from a fresh clone"): a tiny company on a
throw-away SQLite database, printed only. The full run is `make bench` (docs/performance.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_close_benchmark_runs_and_reports_every_figure(tmp_path, db):
    from tests.schema import cached_schema

    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["AFTERSALES_VAR_DIR"] = str(tmp_path)
    if cached_schema().exists():  # the suite's migrated schema (tests/schema.py): no migrations to apply
        env["AFTERSALES_BENCH_SCHEMA"] = str(cached_schema())
    args = ["--employees", "120", "--departments", "3", "--months", "1", "--repeat", "1", "--report", "-"]
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    for figure in (
        "one bare SQL query",
        "close of the month",
        "writing 120 lines and nothing else",
        "close / bare query",
    ):
        assert figure in run.stdout
    assert "the count does not grow" in run.stdout
