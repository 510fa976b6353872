"""Production behind a TLS proxy, through the real `aftersales serve` (waitress) process."""

from __future__ import annotations

import subprocess
import sys

from tests.server import environment, get, serving
from tests.web.test_settings import PRODUCTION

BEHIND_PROXY = {**PRODUCTION, "ALLOWED_HOSTS": "127.0.0.1", "AFTERSALES_TRUSTED_PROXY": "127.0.0.1"}
HTTPS = {"X-Forwarded-Proto": "https"}


def test_behind_a_tls_proxy_requests_answer_and_carry_hsts(tmp_path):
    with serving(BEHIND_PROXY, tmp_path) as (_, base):
        status, headers, body = get(f"{base}/healthz", HTTPS)
        assert (status, body) == (200, b'{"status": "ok", "database": "ok"}')
        assert headers["strict-transport-security"].startswith("max-age=31536000")
        status, headers, _ = get(f"{base}/login/", HTTPS)
        assert status == 200
        assert "strict-transport-security" in headers
        assert "content-security-policy" in headers


def test_plain_http_is_redirected_to_https_but_the_health_probe_is_not(tmp_path):
    with serving(BEHIND_PROXY, tmp_path) as (_, base):
        status, headers, _ = get(f"{base}/login/")
        assert status == 301
        assert headers["location"].startswith("https://127.0.0.1")
        assert get(f"{base}/healthz")[0] == 200


def test_an_untrusted_peer_cannot_claim_https(tmp_path):
    """The proxy is another address: the header of a direct client is dropped, so it is redirected."""
    with serving({**BEHIND_PROXY, "AFTERSALES_TRUSTED_PROXY": "10.9.9.9"}, tmp_path) as (_, base):
        status, headers, _ = get(f"{base}/login/", HTTPS)
        assert status == 301
        assert "strict-transport-security" not in headers


def test_production_refuses_serve_demo(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "aftersales", "serve", "--demo", "--port", "1"],
        env=environment(BEHIND_PROXY, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "--demo" in result.stderr
    assert not (tmp_path / "aftersales.sqlite3").exists()


def test_demo_mode_says_so(tmp_path):
    with serving({}, tmp_path) as (process, base):
        assert get(f"{base}/healthz")[0] == 200
        process.kill()
        output = process.communicate(timeout=30)[0]
    assert "DEMO MODE" in output
