"""The production queue (issue 11, item 4): a job queued on the real Redis is done by a real worker
process (`aftersales jobs_worker` with AFTERSALES_JOBS=redis), which writes the file to the job.

Everything runs in processes of their own on a database file in a temporary folder, as in production;
the queue's name is new for each run, so a shared Redis is not disturbed. `make test-redis` (called by
.ci/run) requires Redis; elsewhere the test is skipped when no Redis answers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from tests.server import environment

pytestmark = pytest.mark.redis
REDIS_URL = os.environ.get("AFTERSALES_REDIS_URL", "redis://127.0.0.1:6379/0")

ENQUEUE = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test.utils import override_settings
from aftersales.jobs.models import Job
from aftersales.jobs.services import job_start
from tests.payroll.helpers import demo_close
from tests.personas import build_personas

with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
    build_personas()  # the persona organisation and a closed month of 售后服务部 (its pay sheet)
    version = demo_close()
job = job_start(
    kind=Job.Kind.PAYSHEET_XLSX, title="redis", params={"version": version.pk},
    actor=get_user_model().objects.get(username="head"),
)
print(job.pk, version.lines.count())
"""

REPORT = """
import sys, django
django.setup()
from aftersales.jobs.models import Job
job = Job.objects.get(pk=int(sys.argv[1]))
print(job.state, job.done, job.total, len(job.content or b""), job.filename, job.error)
"""


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def env(tmp_path):
    if not _redis_answers():
        if os.environ.get("AFTERSALES_REQUIRE_REDIS"):
            pytest.fail(f"no Redis answers at {REDIS_URL} (make test-redis needs it)")
        pytest.skip(f"no Redis at {REDIS_URL}")
    queue = f"aftersales-test-{uuid.uuid4().hex[:12]}"
    settings = {"AFTERSALES_JOBS": "redis", "AFTERSALES_JOBS_QUEUE": queue, "AFTERSALES_REDIS_URL": REDIS_URL}
    return environment(settings, tmp_path)


def _python(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    done = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def test_a_job_queued_on_redis_is_done_by_a_worker_process(env):
    _python(env, "-m", "aftersales", "migrate", "--verbosity", "0")
    job, lines = _python(env, "-c", ENQUEUE).split()
    assert _python(env, "-c", REPORT, job).split()[0] == "queued"  # on Redis, not worked off by anyone yet

    _python(env, "-m", "aftersales", "jobs_worker", "--batch")  # RQ's worker: the queued job, then exit

    state, done, total, size, filename, *error = _python(env, "-c", REPORT, job).split()
    assert (state, error) == ("done", [])
    assert int(done) == int(total) == int(lines) + 1 and int(size) > 1000
    assert filename.startswith("paysheet-as-") and filename.endswith(".xlsx")
