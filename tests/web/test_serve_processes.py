"""`aftersales serve --processes N`: several waitress processes on one port, supervised (issue 11's
load test: one Python process uses one core however many threads it has)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.server import environment, get, serving
from tests.web.test_production import BEHIND_PROXY, HTTPS

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="--processes needs fork (POSIX)")


def children_of(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def wait_for(predicate, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


def test_two_processes_serve_one_port_and_one_that_dies_is_started_again(tmp_path):
    with serving(BEHIND_PROXY, tmp_path, "--processes", "2") as (process, base):
        assert wait_for(lambda: len(children_of(process.pid)) == 2)
        for _ in range(6):
            status, headers, _body = get(f"{base}/healthz", HTTPS)
            assert status == 200
            assert headers["strict-transport-security"].startswith("max-age=")  # the proxy is trusted
        first = children_of(process.pid)
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        assert wait_for(lambda: len(children_of(process.pid) - {victim}) == 2)
        assert get(f"{base}/healthz", HTTPS)[0] == 200
        process.send_signal(signal.SIGTERM)  # stops them all, and itself
        assert process.wait(timeout=30) == 0
        assert wait_for(lambda: not any(alive(pid) for pid in children_of(process.pid) | first - {victim}))


def test_the_processes_stop_when_the_supervisor_is_killed(tmp_path):
    with serving(BEHIND_PROXY, tmp_path, "--processes", "2") as (process, _base):
        assert wait_for(lambda: len(children_of(process.pid)) == 2)
        served_by = children_of(process.pid)
        process.kill()
        process.wait(timeout=30)
        assert wait_for(lambda: not any(alive(pid) for pid in served_by), timeout=10)


def test_processes_must_be_one_or_more(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "aftersales", "serve", "--processes", "0", "--port", "1"],
        env=environment(BEHIND_PROXY, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "--processes" in result.stderr
