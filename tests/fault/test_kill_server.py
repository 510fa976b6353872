"""Fault test (PostgreSQL): the server process is killed (SIGKILL) in the middle of a company close and of
a big organisation import; after a restart nothing half-written remains and a rerun completes.

"In the middle" is made certain, not guessed at: the test holds an EXCLUSIVE lock on a table the action
writes late (the close's lines, the import's logins), so the server's transaction — which has written
rows already (it holds a transaction id) — waits on it; then the server is killed and the lock released.
Run by the PostgreSQL suite of `.ci/run` (marker ``fault``; `make test-fault` alone).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.fault import prepare
from tests.server import environment, serving

pytestmark = [
    pytest.mark.fault,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the fault test runs on PostgreSQL"),
]
ROOT = Path(__file__).resolve().parents[2]
MIDWAY = """SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()
            AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL"""
OTHERS = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"


def _server_dsn(database: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}"


@pytest.fixture
def fault_db(tmp_path):
    """A database of its own (named after the suite's: wt14_fault_…), prepared by tests/fault/prepare.py."""
    name = f"{settings.DATABASES['default']['NAME']}_fault_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_server_dsn("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = _server_dsn(name)
    workbook = tmp_path / "roster.xlsx"
    prepared = subprocess.run(
        [sys.executable, "-m", "tests.fault.prepare", str(workbook)],
        env=environment({"DATABASE_URL": url}, tmp_path / "var"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert prepared.returncode == 0, prepared.stderr
    yield {"name": name, "url": url, "token": prepared.stdout.split()[-1], "workbook": workbook.read_bytes()}
    with psycopg.connect(_server_dsn("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _count(db, sql: str, *params) -> int:
    with psycopg.connect(db["url"], autocommit=True) as conn:
        return int(conn.execute(sql, params).fetchone()[0])


def _killed_midway(db, process, table: str, request) -> None:
    """Hold ``table``, start ``request`` (it blocks in its transaction on the table), SIGKILL the server
    once its transaction has written and waits; then release the table and let the orphan end."""
    with psycopg.connect(db["url"]) as lock:
        lock.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        caller = threading.Thread(target=_quietly, args=(request,), daemon=True)
        caller.start()
        _wait_for(lambda: _count(db, MIDWAY, db["name"]) == 1, "the server's transaction waiting midway")
        process.kill()
        process.wait(timeout=30)
        lock.rollback()
    caller.join(timeout=60)
    _wait_for(lambda: _count(db, OTHERS, db["name"]) == 0, "the killed server's connections to end")


def _quietly(request) -> None:
    with contextlib.suppress(OSError, urllib.error.URLError):  # the server dies under the request
        request()


def _wait_for(condition, what: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


# --- the company close through the API ----------------------------------------------------------


def _close(base: str, token: str) -> tuple[int, dict]:
    body = json.dumps({"department": None, "year": 2025, "month": 3}).encode()
    request = urllib.request.Request(
        f"{base}/api/payroll/closes/",
        data=body,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read().decode()}


def test_a_company_close_killed_midway_leaves_nothing_and_a_rerun_completes(fault_db, tmp_path):
    env = {"DATABASE_URL": fault_db["url"]}
    with serving(env, tmp_path / "var") as (process, base):
        _killed_midway(fault_db, process, "payroll_closeline", lambda: _close(base, fault_db["token"]))
    assert _count(fault_db, "SELECT count(*) FROM payroll_closeversion") == 0
    assert _count(fault_db, "SELECT count(*) FROM payroll_closeline") == 0
    with serving(env, tmp_path / "var") as (_, base):
        status, answer = _close(base, fault_db["token"])
    assert status == 201, answer
    (created,) = answer["created"]
    assert created["line_count"] == prepare.EMPLOYEES
    assert _count(fault_db, "SELECT count(*) FROM payroll_closeline") == prepare.EMPLOYEES


# --- the organisation import through its page (preview, then HR confirms) -----------------------------


class Browser:
    """Just enough of a browser for Django's forms: cookies and the CSRF token of the last page."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.csrf = ""

    def get(self, path: str) -> str:
        return self._read(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict[str, str], file: bytes | None = None) -> str:
        fields = {**fields, "csrfmiddlewaretoken": self.csrf}
        if file is None:
            data, kind = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        else:
            data, kind = _multipart(fields, file)
        headers = {"Content-Type": kind, "Referer": self.base + path}
        return self._read(urllib.request.Request(self.base + path, data=data, headers=headers))

    def _read(self, request: urllib.request.Request) -> str:
        with self.opener.open(request, timeout=600) as response:
            page = response.read().decode()
        if found := re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page):
            self.csrf = found.group(1)
        return page


def _multipart(fields: dict[str, str], file: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="roster.xlsx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + file
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _preview(base: str, workbook: bytes) -> tuple[Browser, str]:
    browser = Browser(base)
    browser.get("/login/")
    browser.post("/login/", {"username": "hr", "password": "demo1234"})
    browser.get("/organisation/import/")
    page = browser.post("/organisation/import/", {"reason": "故障测试导入"}, file=workbook)
    token = re.search(r'name="token" value="([^"]+)"', page)
    assert token, page[:2000]
    return browser, token.group(1)


def _confirm(browser: Browser, token: str) -> str:
    return browser.post("/organisation/import/", {"token": token, "action": "confirm"})


IMPORTED = "SELECT count(*) FROM organisation_employee WHERE number ~ '^(S|Q|H|B)[0-9]+$'"  # the workbook's
ROWS = 25 + prepare.EXTRA_ROWS


def test_a_big_import_killed_midway_leaves_nothing_and_a_rerun_completes(fault_db, tmp_path):
    # the import inside the request itself (above the threshold it is a background job running the
    # same one-transaction import: tests/jobs)
    env = {"DATABASE_URL": fault_db["url"], "AFTERSALES_JOBS_THRESHOLD": "1000000"}
    before = _count(fault_db, IMPORTED)  # the demo's own people with such numbers
    with serving(env, tmp_path / "var") as (process, base):
        browser, token = _preview(base, fault_db["workbook"])
        _killed_midway(fault_db, process, "auth_user", lambda: _confirm(browser, token))
    assert _count(fault_db, IMPORTED) == before
    assert _count(fault_db, "SELECT count(*) FROM organisation_department WHERE code IN ('svc', 'qa')") == 0
    assert _count(fault_db, "SELECT count(*) FROM organisation_historicalemployee WHERE number ~ '^B'") == 0
    with serving(env, tmp_path / "var") as (_, base):
        browser, token = _preview(base, fault_db["workbook"])
        page = _confirm(browser, token)
    assert 'id="import-done"' in page
    assert _count(fault_db, IMPORTED) == before + ROWS
