"""The work of each kind of job, and the one task the queue runs (``run_job``).

A runner reads what it needs from the job's parameters, reports its progress (lines done / total)
and returns the file it made (or a summary). Whatever it raises marks the job failed with the reason
in plain words; the work itself is all-or-nothing (a close is one transaction), so a failed job leaves
nothing half-written. The task carries only the job's id, so any worker (the thread of
``aftersales serve``, ``aftersales jobs_worker`` on the database or on Redis) can run it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from aftersales.jobs.models import Job
from aftersales.organisation.access import AnyUser, is_company_wide

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Progress:
    """Writes ``done``/``total`` to the job as the work goes, at most a few times a second."""

    INTERVAL = 0.5  # seconds between two writes (the page polls every second)

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.written_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.written_at < self.INTERVAL:
            return
        self.written_at = now
        Job.objects.filter(pk=self.job_id).update(done=done, total=total)


@dataclass(frozen=True)
class Outcome:
    filename: str = ""
    content_type: str = ""
    content: bytes | None = None
    result: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Runner:
    run: Callable[[Job, Progress], Outcome]
    may_see: Callable[[AnyUser, Job], bool]  # may the user (still) see the record the job came from


def _close_version_seen(user: AnyUser, job: Job) -> bool:
    from aftersales.payroll import selectors

    try:
        selectors.get_close_for_user(user, job.params["version"])
    except Http404:
        return False
    return True


def _pay_sheet(job: Job, progress: Progress, extension: str) -> Outcome:
    from aftersales.payroll import paysheet, selectors
    from aftersales.payroll.models import CloseVersion

    version = CloseVersion.objects.select_related("period__department", "closed_by").get(
        pk=job.params["version"]
    )
    sheet = paysheet.pay_sheet(version, selectors.lines_of(version))
    if extension == "pdf":
        return Outcome(
            paysheet.sheet_filename(version, "pdf"),
            "application/pdf",
            paysheet.pay_sheet_pdf(sheet, progress),
        )
    return Outcome(paysheet.sheet_filename(version, "xlsx"), XLSX, paysheet.pay_sheet_xlsx(sheet, progress))


def _close(job: Job, progress: Progress) -> Outcome:
    """The close is one transaction (all or nothing): its progress is coarse, started → done."""
    from aftersales.organisation.models import Department
    from aftersales.payroll import services
    from aftersales.payroll.models import CloseVersion

    params = job.params
    progress(0, 1)
    department = Department.objects.get(pk=params["department"]) if params.get("department") else None
    outcome = services.close_run(
        department=department,
        year=params["year"],
        month=params["month"],
        reason=params.get("reason", ""),
        actor=job.requested_by,
    )
    created = list(
        CloseVersion.objects.filter(pk__in=[v.pk for v in outcome.created])
        .order_by("period__department__code")
        .values_list("pk", "period__department__name")
    )
    return Outcome(result={"created": created, "unchanged": len(outcome.unchanged)})


class JobRefused(Exception):
    """The work refused as a whole (nothing written): ``message`` in plain words, ``result`` the details
    the job's page lists (an import's errors by sheet, row and column)."""

    def __init__(self, message: str, result: dict[str, Any]) -> None:
        super().__init__(message)
        self.message = message
        self.result = result


def _roster_import(job: Job, progress: Progress) -> Outcome:
    """The organisation workbook HR confirmed: every row valid or nothing written (one transaction)."""
    from dataclasses import asdict

    from aftersales.organisation.importing import roster_import

    progress(0, 1)
    result = roster_import(data=bytes(job.source or b""), actor=job.requested_by, reason=job.params["reason"])
    if not result.ok:
        raise JobRefused(result.refusal(), {"errors": [asdict(error) for error in result.errors]})
    return Outcome(
        result={
            "sheets": [asdict(sheet) for sheet in result.sheets],
            "links": [asdict(link) for link in result.links],  # shown once, to the requester
            "warnings": [str(warning) for warning in result.warnings],
        }
    )


def _hr_only(user: AnyUser, job: Job) -> bool:
    return is_company_wide(user)


RUNNERS: dict[str, Runner] = {
    Job.Kind.PAYSHEET_XLSX: Runner(lambda job, p: _pay_sheet(job, p, "xlsx"), _close_version_seen),
    Job.Kind.PAYSHEET_PDF: Runner(lambda job, p: _pay_sheet(job, p, "pdf"), _close_version_seen),
    Job.Kind.CLOSE: Runner(_close, _hr_only),
    Job.Kind.ROSTER_IMPORT: Runner(_roster_import, _hr_only),
}


def _plain_reason(error: BaseException) -> str:
    """The reason a person can act on: an action's own message, else a general one (the rest is logged)."""
    from aftersales.organisation.importing import ImportRefused
    from aftersales.payroll.services import ActionError

    if isinstance(error, ActionError | JobRefused):
        return error.message
    if isinstance(error, ImportRefused):
        return str(error)
    if isinstance(error, PermissionDenied | Http404):
        return _("您已无权执行此任务。")
    return _("任务执行出错，未做任何修改。请稍后重试，或联系系统管理员。")


def _log_failure(job: Job, error: BaseException) -> None:
    """A refusal in the work's own words is the job's outcome; anything else is a fault to look into."""
    from aftersales.payroll.services import ActionError

    if isinstance(error, ActionError | JobRefused):
        log.info("job %s (%s) refused: %s", job.pk, job.kind, error)
    else:
        log.exception("job %s (%s) failed", job.pk, job.kind)


@task(queue_name=settings.JOBS_QUEUE)
def run_job(job_id: int) -> None:
    """Run the job (once: a job already started or finished is left alone)."""
    if not Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now()
    ):
        return
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    with translation.override(job.params.get("language") or translation.get_language()):
        try:
            outcome = RUNNERS[job.kind].run(job, Progress(job.pk))
        except Exception as error:  # the job fails, the worker goes on
            _log_failure(job, error)
            Job.objects.filter(pk=job.pk).update(
                state=Job.State.FAILED,
                error=_plain_reason(error),
                result=error.result if isinstance(error, JobRefused) else {},
                source=None,
                finished_at=timezone.now(),
            )
            return
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.DONE,
        filename=outcome.filename,
        content_type=outcome.content_type,
        content=outcome.content,
        result=outcome.result,
        source=None,
        finished_at=timezone.now(),
    )
