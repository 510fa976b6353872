"""R-10.1 repair jobs: who registers and completes them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from aftersales.core.errors import RuleError
from aftersales.organisation.models import Employee
from aftersales.repair import services

pytestmark = pytest.mark.django_db


def test_r10_1_the_lead_registers_and_the_technician_completes(users, techs):
    received = timezone.now() - timedelta(days=2)
    job = services.job_create(
        technician=techs[0],
        unit_serial=" SN-9 ",
        product="控制器",
        received_at=received,
        actor=users["repairlead"],
    )
    assert (job.unit_serial, job.is_open, job.created_by) == ("SN-9", True, users["repairlead"])
    job = services.job_complete(
        job=job, completed_at=timezone.now(), result="更换电容", actor=users["technician"]
    )
    assert not job.is_open
    assert job.history.count() == 2
    with pytest.raises(RuleError, match="已完成"):
        services.job_complete(job=job, completed_at=timezone.now(), result="x", actor=users["technician"])


def test_r10_1_a_technician_registers_their_own_jobs_only(users, techs):
    now = timezone.now()
    services.job_create(
        technician=techs[0], unit_serial="SN-1", product="p", received_at=now, actor=users["technician"]
    )
    with pytest.raises(PermissionDenied):
        services.job_create(
            technician=techs[1], unit_serial="SN-2", product="p", received_at=now, actor=users["technician"]
        )


@pytest.mark.parametrize("who", ["technician2", "engineer", "regional", "outsider"])
def test_r1_1_others_cannot_complete_a_technicians_job(users, techs, who):
    job = services.job_create(
        technician=techs[0],
        unit_serial="SN-1",
        product="p",
        received_at=timezone.now(),
        actor=users["repairlead"],
    )
    with pytest.raises(PermissionDenied):
        services.job_complete(job=job, completed_at=timezone.now(), result="x", actor=users[who])


def test_r10_1_completion_not_before_receipt_nor_in_the_future(users, techs):
    received = timezone.now() - timedelta(hours=1)
    job = services.job_create(
        technician=techs[0], unit_serial="SN-1", product="p", received_at=received, actor=users["repairlead"]
    )
    with pytest.raises(RuleError):
        services.job_complete(
            job=job, completed_at=received - timedelta(minutes=1), result="x", actor=users["repairlead"]
        )
    with pytest.raises(RuleError):
        services.job_complete(
            job=job, completed_at=timezone.now() + timedelta(hours=1), result="x", actor=users["repairlead"]
        )


def test_r10_1_only_repair_technicians_get_jobs(users):
    engineer = Employee.objects.get(user__username="engineer")
    with pytest.raises(RuleError):
        services.job_create(
            technician=engineer,
            unit_serial="SN",
            product="p",
            received_at=timezone.now(),
            actor=users["head"],
        )
