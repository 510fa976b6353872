"""Running `aftersales templates …` and `aftersales calc score` for the tests of the form commands."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from aftersales.cli import main


def run_in_process(args, payload, monkeypatch, capsys):
    """Run the command in this process (on the test database); returns (status, stdout, stderr)."""
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def run_installed(args, var_dir: Path, payload=None):
    """Run the command as a user would, with its SQLite database under ``var_dir`` and no DATABASE_URL."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["AFTERSALES_VAR_DIR"] = str(var_dir)
    stdin = None if payload is None else json.dumps(payload, ensure_ascii=False)
    done = subprocess.run(
        [sys.executable, "-m", "aftersales", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=var_dir,
        check=False,
        # a full `migrate` of a new database takes ~20 s of CPU; on 2 cores shared with a parallel test run
        # (pytest -n 2) that can pass a minute of wall time
        timeout=180,
    )
    return done.returncode, done.stdout, done.stderr
