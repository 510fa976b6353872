"""The benchmarks run (issue 4: "the benchmark runs from a fresh clone"; issue 11: the pages benchmark): a
tiny company on a throw-away SQLite database, printed only. The full runs are in docs/performance.md."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _benchmark(tmp_path, script: str, *args: str) -> str:
    from tests.schema import cached_schema

    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["AFTERSALES_VAR_DIR"] = str(tmp_path)
    if cached_schema().exists():  # the suite's migrated schema (tests/schema.py): no migrations to apply
        env["AFTERSALES_BENCH_SCHEMA"] = str(cached_schema())
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args, "--repeat", "1", "--report", "-"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def test_the_close_benchmark_runs_and_reports_every_figure(tmp_path, db):
    stdout = _benchmark(tmp_path, "run.py", "--employees", "120", "--departments", "3", "--months", "1")
    for figure in (
        "one bare SQL query",
        "close of the month",
        "writing 120 lines and nothing else",
        "close / bare query",
    ):
        assert figure in stdout
    assert "the count does not grow" in stdout


def test_the_pages_benchmark_runs_and_reports_every_page(tmp_path, db):
    """A company smaller than the job threshold: the pay sheet's .xlsx is answered at once (before,
    the benchmark assumed the big department was queued and failed on any smaller company)."""
    stdout = _benchmark(
        tmp_path, "pages_benchmark.py", "--employees", "40", "--departments", "2", "--big", "10",
        "--years", "2", "--load", "0",
    )  # fmt: skip
    for page in ("appraisal list", "pay sheet (10 people)", "to-do list", "API closes"):
        assert f"| {page} |" in stdout
    assert "| page (HR) | 1 year | 2 years | ratio |" in stdout
