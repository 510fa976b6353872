"""The real `aftersales serve` process for tests that go through waitress (proxy headers, faults)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.schema import seed

# Variables of the test process that must not leak into the server (DJANGO_ALLOW_ASYNC_UNSAFE is set by
# tests/browser/conftest.py once it is collected).
UNSET = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "AFTERSALES_ENV"}


def environment(env: dict[str, str], var_dir: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if k not in UNSET}
    environ.update(env, AFTERSALES_VAR_DIR=str(var_dir))
    return environ


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(env: dict[str, str], var_dir: Path, *args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Start `aftersales serve` on a free port; yield the process and its base URL once it answers."""
    if "DATABASE_URL" not in env:
        seed(var_dir / "aftersales.sqlite3")  # its migrate then has nothing to apply (tests/schema.py)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "aftersales", "serve", "--port", str(port), "--no-scheduler", *args],
        env=environment(env, var_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_listening(process, port)
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)


def wait_until_listening(process: subprocess.Popen[str], port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited {process.returncode}: {process.communicate()[0]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("serve did not start listening in time")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects: status, headers (lower-case names), body."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()
