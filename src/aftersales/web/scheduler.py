"""The periodic jobs, run by the application itself (docs/operations.md): no cron needed.

``aftersales serve`` starts a thread that every minute runs the jobs that are due; ``aftersales
run_jobs`` does the same in a process of its own (``--once`` for one pass, e.g. from cron). Several
servers may run it: a job's run for its slot (the day, the month) is claimed by inserting a
``JobRun`` row, which the database lets only one process do. A claim left unfinished for an hour
(the process died) may be taken again.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.management import call_command
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from aftersales.core.periods import Month
from aftersales.web.models import JobRun

log = logging.getLogger(__name__)
TICK_SECONDS = 60
STALE_CLAIM = timedelta(hours=1)


@dataclass(frozen=True)
class Job:
    name: str
    at: time  # Asia/Shanghai
    monthly: bool  # on the 1st of each month, else daily
    run: Callable[[date], str]

    def slot(self, today: date) -> str | None:
        """The slot due at ``today`` (None: not a day this job runs on)."""
        if self.monthly:
            return f"{today:%Y-%m}" if today.day == 1 else None
        return today.isoformat()


def _remind(today: date) -> str:
    return _command("appraisal_remind", "--date", today.isoformat())


def _results(today: date) -> str:
    last = Month.of(today).shift(-1)
    return _command("results_evaluate", "--year", str(last.year), "--month", str(last.month))


def _interview_audit(today: date) -> str:
    hr = os.environ.get("AFTERSALES_INTERVIEW_AUDIT_USER", "")
    if not hr:
        return "skipped: AFTERSALES_INTERVIEW_AUDIT_USER is not set"
    return _command("interview_audit", "--user", hr, "--month", str(Month.of(today).shift(-1)))


def _command(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


JOBS = [
    Job("appraisal_remind", time(7, 0), monthly=False, run=_remind),
    Job("results_evaluate", time(7, 30), monthly=True, run=_results),
    Job("interview_audit", time(7, 45), monthly=True, run=_interview_audit),
]


def run_due_jobs(now: datetime | None = None, jobs: list[Job] | None = None) -> list[str]:
    """Run every job due at ``now`` not yet run (or claimed) for its slot; the names of those run here."""
    now = timezone.localtime(now)
    ran = []
    for job in JOBS if jobs is None else jobs:
        slot = job.slot(now.date())
        if slot is None or now.time() < job.at or not _claim(job, slot, now):
            continue
        ran.append(job.name)
        _run(job, slot, now.date())
    return ran


def _claim(job: Job, slot: str, now: datetime) -> bool:
    try:
        with transaction.atomic():
            JobRun.objects.create(job=job.name, slot=slot, started_at=now)
        return True
    except IntegrityError:
        stale = JobRun.objects.filter(
            job=job.name, slot=slot, finished_at=None, started_at__lt=now - STALE_CLAIM
        )
        return stale.update(started_at=now) == 1


def _run(job: Job, slot: str, today: date) -> None:
    try:
        outcome = job.run(today)
    except Exception as exc:  # one failing job must not stop the others, nor the server
        log.exception("periodic job %s failed", job.name)
        outcome = f"failed: {type(exc).__name__}: {exc}"
    JobRun.objects.filter(job=job.name, slot=slot).update(finished_at=timezone.now(), outcome=outcome)


def run_forever(stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            run_due_jobs()
        except Exception:  # the database is away for a moment: try again at the next tick
            log.exception("periodic jobs: tick failed")
        finally:
            connections.close_all()
        stop.wait(TICK_SECONDS)


def start_scheduler() -> threading.Event:
    """Run the jobs in a daemon thread of this process; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=run_forever, args=(stop,), name="aftersales-scheduler", daemon=True).start()
    return stop
