"""Starting a job, and who sees it (one place for each).

``job_start`` writes the ``Job`` record and hands its id to the queue when the transaction commits
(a worker never picks up a job it cannot read yet). The requester sees their jobs; a company-wide
job (a company close) is seen by HR too. The file of a finished job is handed out only to someone who
may still see the record it came from (``work.RUNNERS[kind].may_see``).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.utils import translation

from aftersales.jobs.models import Job
from aftersales.organisation.access import AnyUser, is_company_wide


def job_start(
    *,
    kind: str,
    title: str,
    params: dict[str, Any],
    actor: AnyUser,
    company_wide: bool = False,
    source: bytes | None = None,
) -> Job:
    """Record the request and queue it; the page of the job follows its progress."""
    from aftersales.jobs.work import run_job

    params = {**params, "language": translation.get_language()}  # the work speaks the requester's language
    with transaction.atomic():
        job = Job.objects.create(
            requested_by=cast(User, actor),  # a signed-in user: the views require a login
            kind=kind,
            title=title[:200],
            params=params,
            company_wide=company_wide,
            source=source,
        )
        transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def jobs_visible_to(user: AnyUser) -> QuerySet[Job]:
    """The user's own jobs, and HR's company-wide ones for HR; newest first, without the files."""
    seen = Q(requested_by_id=user.pk)
    if is_company_wide(user):
        seen |= Q(company_wide=True)
    return (
        Job.objects.filter(seen)
        .select_related("requested_by")
        .defer("content", "source", "params", "result")
        .order_by("-created_at", "-pk")
    )


def get_job_for_user(user: AnyUser, pk: int) -> Job:
    seen = Q(requested_by_id=user.pk)
    if is_company_wide(user):
        seen |= Q(company_wide=True)
    try:
        return Job.objects.filter(seen).get(pk=pk)
    except Job.DoesNotExist:
        raise Http404 from None


def may_download(user: AnyUser, job: Job) -> bool:
    """The file is the record's: whoever may no longer see the record does not get its file."""
    from aftersales.jobs.work import RUNNERS

    return job.state == Job.State.DONE and job.content is not None and RUNNERS[job.kind].may_see(user, job)


def download_response(user: AnyUser, pk: int) -> HttpResponse:
    """The job's file as an attachment (the page's download and the API's): 404 for a job the user does
    not see, one without a file, or one whose record the user may no longer see."""
    job = get_job_for_user(user, pk)
    if not may_download(user, job):
        raise Http404
    response = HttpResponse(bytes(job.content or b""), content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


def login_links_take(*, job: Job, user: AnyUser) -> list[dict[str, str]]:
    """The one-time set-password links of a finished import's new logins, for its requester, once: they
    are dropped from the job as they are handed out (as the import page shows them only once)."""
    links = list(job.result.get("links") or [])
    if not links or job.state != Job.State.DONE or job.requested_by_id != user.pk:
        return []
    with transaction.atomic():
        taken = Job.objects.select_for_update().filter(pk=job.pk).values_list("result", flat=True).first()
        if not taken or not taken.get("links"):
            return []
        Job.objects.filter(pk=job.pk).update(result={**taken, "links": []})
    return links
