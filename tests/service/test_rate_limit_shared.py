"""The customer page's rate limit counted in Redis (AFTERSALES_CACHE=redis): several server processes
(`serve --processes`) share one allowance per address instead of one each. On the real Redis
(`make test-redis`, part of .ci/run); skipped where no Redis answers unless AFTERSALES_REQUIRE_REDIS."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from aftersales.service import public_views
from tests.server import environment

pytestmark = pytest.mark.redis
REDIS_URL = os.environ.get("AFTERSALES_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_cache(prefix: str) -> RedisCache:
    return RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})


@pytest.fixture
def shared(monkeypatch):
    """The rate limit's cache in Redis under a prefix of its own; the same store, as another server
    process would open it, is the second cache."""
    prefix = f"aftersales-test-{uuid.uuid4().hex}"
    first = redis_cache(prefix)
    try:
        first.get("probe")
    except Exception as error:  # no Redis here
        if os.environ.get("AFTERSALES_REQUIRE_REDIS"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    monkeypatch.setattr(public_views, "cache", first)
    yield first, redis_cache(prefix)
    first.clear()


def test_the_allowance_is_shared_by_the_processes(shared, settings, monkeypatch):
    _first, other_process = shared
    settings.AFTERSALES_CONFIRMATION_RATE = 3
    request = RequestFactory().get("/c/x/", REMOTE_ADDR="10.1.2.3")
    assert [public_views._too_many(request) for _ in range(2)] == [False, False]
    assert other_process.get("customer-confirm:10.1.2.3") == 2  # counted where every process reads
    monkeypatch.setattr(public_views, "cache", other_process)  # the next request: another process
    assert public_views._too_many(request) is False
    assert public_views._too_many(request) is True


def test_settings_put_the_cache_in_redis(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment(
            {"AFTERSALES_CACHE": "redis", "DJANGO_SETTINGS_MODULE": "aftersales.settings"}, tmp_path
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache", result.stderr
