"""Production settings refuse unsafe values and pass Django's deployment checks."""

import os
import subprocess
import sys

import pytest

PRODUCTION = {
    "AFTERSALES_ENV": "production",
    "SECRET_KEY": "k3j9-Qz8_rT2vX7mN4pL6wE1yU5iO0aS8dF3gH7jK2lZ9xC4vB6nM1qW5eR8tY2u",
    "ALLOWED_HOSTS": "aftersales.example.com",
}


def run(args, env, tmp_path):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by tests/browser/conftest.py once it is collected (async.E001).
    unset = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env, AFTERSALES_VAR_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, "-m", "aftersales", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_production_debug_is_off_and_hosts_are_local(tmp_path):
    """The demo mode shows the product's error pages, not Django's technical ones, and answers locally."""
    code = "from django.conf import settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"
    result = run(["shell", "--no-imports", "-c", code], {}, tmp_path)
    assert result.stdout.strip() == "False ['localhost', '127.0.0.1', '[::1]']", result.stderr


def test_check_deploy_is_clean_in_production(tmp_path):
    result = run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "dev-only-insecure-key-not-for-production"}, "SECRET_KEY"),  # the published one
        ({"SECRET_KEY": "django-insecure-" + "x" * 50}, "SECRET_KEY"),
        ({"DEBUG": "1"}, "DEBUG"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path, override, message):
    result = run(["check"], {**PRODUCTION, **override}, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
