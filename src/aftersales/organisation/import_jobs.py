"""A big roster import handed to the background-job queue (the import page and its API twin).

The queue sits above the areas whose work it runs, so it is imported inside the function: this module
is the roster's one way into it (the layers contract names it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from aftersales.jobs.models import Job


def background_over() -> int:
    """A big import (more changed rows than ``JOBS_THRESHOLD``) runs as a background job."""
    return int(settings.JOBS_THRESHOLD)


def runs_in_background(rows: int) -> bool:
    return rows > background_over()


def roster_import_job(*, data: bytes, reason: str, actor: Any) -> Job:
    """The confirmed workbook imported by a background job."""
    from aftersales.jobs.models import Job
    from aftersales.jobs.services import job_start

    return job_start(
        kind=Job.Kind.ROSTER_IMPORT,
        title=reason,
        params={"reason": reason},
        actor=actor,
        company_wide=True,
        source=data,
    )
