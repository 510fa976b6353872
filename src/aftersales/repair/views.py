"""Pages of the repair area (SPEC §10): parse, call one action or selector, render.

The repair lead and the technicians register and complete jobs (phone width); the KPI page shows
each technician's month — rates, the band of form 4.3 each falls in, the pairwise ranking, and the
jobs behind every figure. A technician sees their own figures only.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftersales.core.errors import RuleError
from aftersales.core.periods import Month
from aftersales.organisation.access import employee_of, leads
from aftersales.repair import forms, selectors, services
from aftersales.repair.models import RepairJob
from aftersales.ui.exporting import Column, wants_xlsx, xlsx_response

PAGE_SIZE = 50
JOB_COLUMNS: list[Column] = [
    (gettext_lazy("单号"), lambda job: job.number),
    (gettext_lazy("产品编号"), lambda job: job.unit_serial),
    (gettext_lazy("产品"), lambda job: job.product),
    (gettext_lazy("技术员"), lambda job: job.technician.name),
    (gettext_lazy("接收时间"), lambda job: job.received_at),
    (gettext_lazy("完成时间"), lambda job: job.completed_at),
]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _repair_user(request: HttpRequest) -> Any:
    _require(selectors.reaches_repair(request.user))
    return request.user


def _may_complete(user: Any, job: RepairJob) -> bool:
    me = employee_of(user)
    return job.is_open and ((me is not None and me.pk == job.technician_id) or leads(user, job.technician))


def month_of(request: HttpRequest) -> Month:
    """The month asked for (?month=YYYY-MM), by default last month."""
    try:
        return Month.parse(request.GET.get("month", ""))
    except RuleError:
        return Month.of(timezone.localdate()).shift(-1)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _repair_user(request)
    open_jobs = selectors.job_list(user=user, status="open").order_by("received_at")[:20]
    context = {
        "open_jobs": open_jobs,
        "can_create": selectors.technicians_assignable_by(user).exists(),
        "month": Month.of(timezone.localdate()).shift(-1),
    }
    return render(request, "repair/index.html", context)


@login_required
def jobs(request: HttpRequest) -> HttpResponse:
    user = _repair_user(request)
    status = request.GET.get("status", "")
    unit = request.GET.get("unit", "").strip()
    selected = selectors.job_list(user=user, status=status, unit=unit)
    if wants_xlsx(request):
        return xlsx_response(name="repair-jobs", columns=JOB_COLUMNS, rows=selected)
    page = Paginator(selected, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {name: value for name, value in {"status": status, "unit": unit}.items() if value}
    context = {
        "page": page,
        "status": status,
        "unit": unit,
        "query": f"{urlencode(kept)}&" if kept else "",
        "can_create": selectors.technicians_assignable_by(user).exists(),
    }
    return render(request, "repair/jobs.html", context)


@login_required
def job_create(request: HttpRequest) -> HttpResponse:
    technicians = selectors.technicians_assignable_by(request.user)
    _require(technicians.exists())
    form = forms.JobForm(request.POST or None, technicians=technicians)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_create(actor=request.user, **form.cleaned_data)
        except RuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("返修单 %s 已登记") % job.number)
            return redirect("repair:job-detail", pk=job.pk)
    return render(request, "repair/form.html", {"title": _("返修登记"), "form": form})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _job_page(request, selectors.get_job_for_user(request.user, pk))


def _job_page(request: HttpRequest, job: RepairJob, form: Any = None) -> HttpResponse:
    """The job; ``form``: a refused completion shown again as typed (400)."""
    context = {
        "job": job,
        "can_complete": _may_complete(request.user, job),
        "form": form or forms.CompleteForm(),
        "same_unit": selectors.jobs_visible_to(request.user)
        .filter(unit_serial=job.unit_serial)
        .exclude(pk=job.pk),
    }
    return render(request, "repair/job_detail.html", context, status=400 if form else 200)


@login_required
@require_POST
def job_complete(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.get_job_for_user(request.user, pk)
    form = forms.CompleteForm(request.POST)
    if not form.is_valid():
        return _job_page(request, job, form)
    try:
        services.job_complete(job=job, actor=request.user, **form.cleaned_data)
    except RuleError as error:
        form.add_error(None, error.message)
        return _job_page(request, job, form)
    messages.success(request, _("返修单 %s 已完成") % job.number)
    return redirect("repair:job-detail", pk=job.pk)


@login_required
def kpis(request: HttpRequest) -> HttpResponse:
    """The month's 七日返修完成率 and 二次返修率 per technician, their bands, the pairwise ranking,
    and the jobs behind each figure."""
    user = _repair_user(request)
    month = month_of(request)
    teams = selectors.kpi_teams(user=user, month=month)
    evidence = RepairJob.objects.in_bulk(
        {job_id for team in teams for row in team for job_id in row.evidence_job_ids}
    )

    def with_jobs(row: selectors.RepairKpis) -> dict[str, Any]:
        return {
            "kpi": row,
            "due": [evidence[pk] for pk in row.seven_day_jobs],
            "on_time": set(row.on_time_jobs),
            "completed": [evidence[pk] for pk in row.completed_jobs],
            "returned": [evidence[pk] for pk in row.returned_jobs],
        }

    context = {
        "month": month,
        "previous": month.shift(-1),
        "next": month.shift(1),
        "teams": [[with_jobs(row) for row in team] for team in teams],
        "window_days": selectors.WINDOW_DAYS,
    }
    return render(request, "repair/kpis.html", context)
