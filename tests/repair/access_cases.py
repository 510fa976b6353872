"""R-1.1 access matrix of the repair pages and API (see tests/access/cases.py).

The repair area is the repair group's: its lead and technicians (no persona), the head (who leads
them as head of the department) and HR (reads). An engineer, a regional supervisor and an outsider
are refused.
"""

from __future__ import annotations

from tests.access.cases import Case, World

HEAD_HR = frozenset({"head", "hr"})
HEAD = frozenset({"head"})


def _job_kw(world: World) -> dict:
    from django.utils import timezone

    from aftersales.repair.models import RepairJob

    job = RepairJob.objects.create(
        technician=world.employee("technician"),
        unit_serial="SN-M",
        product="控制器",
        received_at=timezone.now() - timezone.timedelta(days=1),
        created_by=world.users["head"],
    )
    return {"pk": job.pk}


def _now(fmt: str) -> str:
    from django.utils import timezone

    return timezone.localtime().strftime(fmt)


def _job_data(world: World) -> dict:
    return {
        "technician": world.employee("technician").pk,
        "unit_serial": "SN-NEW",
        "product": "控制器",
        "received_at": "2026-01-05T09:00",
    }


def _api_job_data(world: World) -> dict:
    return {**_job_data(world), "received_at": "2026-01-05T09:00:00+08:00"}


CASES = [
    Case("repair:index", HEAD_HR),
    Case("repair:jobs", HEAD_HR),
    Case("repair:jobs", HEAD_HR, query="status=open&unit=FX", label="filtered"),
    Case("repair:job-create", HEAD),
    Case("repair:job-create", HEAD, method="post", data=_job_data),
    Case("repair:job-detail", HEAD_HR, kwargs=_job_kw),
    Case(
        "repair:job-complete",
        HEAD,
        kwargs=_job_kw,
        method="post",
        data=lambda w: {"completed_at": _now("%Y-%m-%dT%H:%M"), "result": "ok"},
    ),
    Case("repair:kpis", HEAD_HR),
    Case("repair:kpis", HEAD_HR, query="month=2025-06", label="month"),
    # API
    Case("api-repair:job-list", HEAD_HR),
    Case("api-repair:job-list", HEAD, method="post", data=_api_job_data, json=True, label="create"),
    Case(
        "api-repair:job-complete",
        HEAD,
        kwargs=_job_kw,
        method="post",
        data=lambda w: {"completed_at": _now("%Y-%m-%dT%H:%M:%S%z"), "result": "ok"},
        json=True,
    ),
    Case("api-repair:kpis", HEAD_HR, query="month=2025-06"),
]
