"""The app's own scheduler runs the periodic jobs (reminders R-4.2, the monthly evaluations) once per slot,
whichever process finds them due first (aftersales.web.scheduler)."""

from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from aftersales.web import scheduler
from aftersales.web.models import JobRun
from aftersales.web.scheduler import Job, run_due_jobs

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour, minute=0):
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


def recording(name, *, monthly=False, fail=False):
    calls = []

    def run(today):
        calls.append(today)
        if fail:
            raise RuntimeError("mail server down")
        return f"done {today}"

    return Job(name, time(7, 0), monthly=monthly, run=run), calls


def test_a_daily_job_runs_once_a_day_from_its_hour():
    job, calls = recording("daily")
    assert run_due_jobs(at(7, 6, 59), [job]) == []
    assert run_due_jobs(at(7, 7, 1), [job]) == ["daily"]
    assert run_due_jobs(at(7, 18), [job]) == []  # another process, or the next tick: already run
    assert run_due_jobs(at(8, 7, 0), [job]) == ["daily"]
    assert [c.day for c in calls] == [7, 8]
    run = JobRun.objects.get(job="daily", slot="2026-12-07")
    assert run.finished_at is not None and run.outcome == "done 2026-12-07"


def test_a_monthly_job_runs_on_the_first():
    job, calls = recording("monthly", monthly=True)
    assert run_due_jobs(at(2, 8), [job]) == []
    assert run_due_jobs(at(1, 8), [job]) == ["monthly"]
    assert [c.day for c in calls] == [1]
    assert JobRun.objects.filter(job="monthly").get().slot == "2026-12"


def test_a_claim_left_by_a_dead_process_is_taken_again_after_an_hour():
    job, calls = recording("orphan")
    JobRun.objects.create(job="orphan", slot="2026-12-07", started_at=at(7, 7) - timedelta(minutes=5))
    assert run_due_jobs(at(7, 7, 30), [job]) == []  # perhaps still running elsewhere
    assert run_due_jobs(at(7, 8, 30), [job]) == ["orphan"]
    assert len(calls) == 1


def test_a_failing_job_is_recorded_and_the_others_still_run():
    broken, _ = recording("broken", fail=True)
    fine, calls = recording("fine")
    assert run_due_jobs(at(7, 9), [broken, fine]) == ["broken", "fine"]
    assert JobRun.objects.get(job="broken").outcome.startswith("failed: RuntimeError")
    assert len(calls) == 1


def test_r4_2_the_reminder_job_runs_the_daily_appraisal_command(personas):
    assert "appraisal_remind" in run_due_jobs(at(7, 7, 5), scheduler.JOBS)
    run = JobRun.objects.get(job="appraisal_remind", slot="2026-12-07")
    assert run.outcome.startswith("auto-confirmed")


def test_run_jobs_once_from_the_command_line(personas, monkeypatch):
    calls = []
    monkeypatch.setattr(
        scheduler, "JOBS", [Job("cli", time(0, 0), monthly=False, run=lambda d: calls.append(d) or "ok")]
    )
    out = StringIO()
    call_command("run_jobs", "--once", stdout=out)
    assert out.getvalue().strip() == "ran: cli"
    assert len(calls) == 1
