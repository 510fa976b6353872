"""Background jobs: each person sees their own; a company-wide job (the company close) HR too. The file
of a job goes to whoever may still see the record it came from (tests/jobs/test_jobs.py)."""

from tests.access.cases import EVERYONE, Case


def _own_job(persona):
    def kwargs(world):
        from aftersales.jobs.models import Job

        job = Job.objects.create(requested_by=world.users[persona], kind=Job.Kind.CLOSE, title="x")
        return {"pk": job.pk}

    return kwargs


def _sheet_job_of_head(world):
    """The head's finished export of their department's pay sheet (a closed month of 售后服务部)."""
    from aftersales.jobs.models import Job
    from tests.payroll.helpers import demo_close

    version = demo_close()
    job = Job.objects.create(
        requested_by=world.users["head"],
        kind=Job.Kind.PAYSHEET_XLSX,
        title="x",
        params={"version": version.pk},
        state=Job.State.DONE,
        filename="paysheet.xlsx",
        content=b"PK",
    )
    return {"pk": job.pk}


def _company_close_job(world):
    from aftersales.jobs.models import Job

    job = Job.objects.create(
        requested_by=world.users["hr"], kind=Job.Kind.CLOSE, title="x", company_wide=True
    )
    return {"pk": job.pk}


CASES = [
    Case("jobs:index", EVERYONE),
    Case("jobs:detail", frozenset({"employee"}), kwargs=_own_job("employee"), label="employee's own"),
    Case("jobs:detail", frozenset({"hr"}), kwargs=_company_close_job, label="company-wide"),
    Case("jobs:progress", frozenset({"head"}), kwargs=_own_job("head"), label="head's own"),
    Case("jobs:progress", frozenset({"hr"}), kwargs=_company_close_job, label="company-wide"),
    Case("jobs:download", frozenset({"head"}), kwargs=_sheet_job_of_head),
]

CASES += [
    Case("api-jobs:list", EVERYONE),
    Case("api-jobs:detail", frozenset({"employee"}), kwargs=_own_job("employee"), label="employee's own"),
    Case("api-jobs:detail", frozenset({"hr"}), kwargs=_company_close_job, label="company-wide"),
    Case("api-jobs:download", frozenset({"head"}), kwargs=_sheet_job_of_head),
]
