"""Pages of background jobs (namespace `jobs`): my jobs, a job's page with its progress bar (htmx
polls the bar's fragment until the job ends), the download of its file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from aftersales.jobs.models import Job
from aftersales.jobs.services import (
    download_response,
    get_job_for_user,
    jobs_visible_to,
    login_links_take,
    may_download,
)
from aftersales.ui.exporting import Column, wants_xlsx, xlsx_response

PAGE_SIZE = 25
COLUMNS: list[Column] = [
    (gettext_lazy("编号"), lambda job: job.pk),
    (gettext_lazy("类型"), lambda job: job.get_kind_display()),
    (gettext_lazy("内容"), lambda job: job.title),
    (gettext_lazy("申请人"), lambda job: job.requested_by.get_username()),
    (gettext_lazy("状态"), lambda job: job.get_state_display()),
    (gettext_lazy("进度"), lambda job: f"{job.percent}%"),
    (gettext_lazy("提交时间"), lambda job: job.created_at),
    (gettext_lazy("结束时间"), lambda job: job.finished_at),
    (gettext_lazy("失败原因"), lambda job: job.error),
]


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """My jobs (and HR's company-wide ones), newest first."""
    jobs = jobs_visible_to(request.user)
    if wants_xlsx(request):
        return xlsx_response(name="jobs", columns=COLUMNS, rows=jobs)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jobs/index.html", {"page": page, "query": ""})


def _context(request: HttpRequest, job: Job) -> dict[str, object]:
    links = login_links_take(job=job, user=request.user)
    return {
        "job": job,
        "may_download": may_download(request.user, job),
        "links": [(link, request.build_absolute_uri(link["path"])) for link in links],
    }


@require_GET
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    return render(request, "jobs/detail.html", _context(request, job))


@require_GET
@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment; it keeps polling itself while the job runs."""
    job = get_job_for_user(request.user, pk)
    return render(request, "jobs/_progress.html", _context(request, job))


@require_GET
@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    return download_response(request.user, pk)
