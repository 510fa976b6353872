"""Background jobs (issue 11, item 4): a large department's pay sheet and the company close run as jobs
with a progress bar and a download; who sees a job and its file (R-1.1); a failed job says why and
leaves nothing half-written; the list of jobs runs a fixed number of queries."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from aftersales.jobs import work
from aftersales.jobs.models import Job
from aftersales.jobs.worker import run_worker
from aftersales.payroll import paysheet, selectors
from aftersales.payroll.models import CloseVersion
from tests.payroll.helpers import Person, demo_close, pool

pytestmark = pytest.mark.django_db


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _job_of(response) -> Job:
    assert response.status_code == 302, response.content[:500]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _rows(content: bytes) -> list[list]:
    return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(content)).active]


@pytest.fixture
def large(settings):
    """Every department counts as large: its pay sheet goes through the queue."""
    settings.JOBS_THRESHOLD = 0


def test_a_large_sheet_is_a_job_with_progress_and_a_download(
    client, personas, large, django_capture_on_commit_callbacks
):
    version = demo_close()
    client.force_login(_user("head"))
    with django_capture_on_commit_callbacks(execute=True):
        job = _job_of(client.get(reverse("payroll:close-xlsx", args=[version.pk])))
    assert (job.state, job.kind, job.requested_by.username) == (Job.State.QUEUED, "paysheet-xlsx", "head")
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert page.status_code == 200
    assert f'hx-get="{reverse("jobs:progress", args=[job.pk])}"' in page.content.decode()  # it polls
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404  # not ready yet

    run_worker(batch=True)

    job.refresh_from_db()
    lines = version.lines.count()
    assert (job.state, job.error, job.percent) == (Job.State.DONE, "", 100)
    assert (job.done, job.total) == (lines + 1, lines + 1)  # the lines, then the workbook written
    fragment = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "hx-get" not in fragment and reverse("jobs:download", args=[job.pk]) in fragment  # polling stops
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200 and "paysheet-as-202501-v1.xlsx" in download["Content-Disposition"]
    at_once = paysheet.pay_sheet_xlsx(paysheet.pay_sheet(version, selectors.lines_of(version)))
    assert _rows(download.content) == _rows(at_once)  # the same sheet as the small departments get at once


def test_the_pdf_of_a_large_sheet_is_a_job_too(client, personas, large, django_capture_on_commit_callbacks):
    version = demo_close()
    client.force_login(_user("hr"))
    with django_capture_on_commit_callbacks(execute=True):
        job = _job_of(client.get(reverse("payroll:close-pdf", args=[version.pk])))
    run_worker(batch=True)
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")


def test_a_small_sheet_is_answered_at_once(client, personas, settings):
    settings.JOBS_THRESHOLD = 10_000
    version = demo_close()
    client.force_login(_user("hr"))
    before = Job.objects.count()
    response = client.get(reverse("payroll:close-xlsx", args=[version.pk]))
    assert response.status_code == 200 and Job.objects.count() == before


def test_progress_is_reported_line_by_line(personas):
    version = demo_close()
    sheet = paysheet.pay_sheet(version, selectors.lines_of(version))
    seen: list[tuple[int, int]] = []
    paysheet.pay_sheet_pdf(sheet, lambda done, total: seen.append((done, total)))
    lines = len(sheet.rows)
    assert seen[0] == (1, lines + 1) and seen[-1] == (lines + 1, lines + 1)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)  # never goes back
    assert {total for _, total in seen} == {lines + 1}


def test_progress_is_written_to_the_job_at_most_twice_a_second(personas, monkeypatch):
    job = Job.objects.create(requested_by=_user("hr"), kind=Job.Kind.CLOSE, title="x")
    progress = work.Progress(job.pk)
    clock = iter([10.0, 10.1, 10.7, 10.8])
    monkeypatch.setattr(work.time, "monotonic", lambda: next(clock))
    progress(1, 10)  # written
    progress(2, 10)  # too soon: skipped
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (1, 10, 10)
    progress(3, 10)  # half a second later: written
    job.refresh_from_db()
    assert job.done == 3
    progress(10, 10)  # the end is always written
    job.refresh_from_db()
    assert job.done == 10


def test_the_company_close_is_a_job_and_hr_sees_its_result(
    client, personas, django_capture_on_commit_callbacks
):
    hr = _user("hr")
    one, _s, _p = pool("j1", [Person("3000", "100")], actor=hr)
    two, _s, _p = pool("j2", [Person("2000", "80")], actor=hr)
    client.force_login(hr)
    data = {"department": "", "year": 2025, "month": 3, "reason": ""}
    with django_capture_on_commit_callbacks(execute=True):
        job = _job_of(client.post(reverse("payroll:close-run"), data))
    assert job.company_wide and job.state == Job.State.QUEUED
    assert not CloseVersion.objects.filter(period__year=2025, period__month=3).exists()  # nothing yet

    run_worker(batch=True)

    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.percent == 100
    created = CloseVersion.objects.filter(period__year=2025, period__month=3, is_current=True)
    assert {v.period.department for v in created} == {one, two}
    assert sorted(pk for pk, _name in job.result["created"]) == sorted(v.pk for v in created)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    for version in created:
        assert reverse("payroll:close-detail", args=[version.pk]) in page
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404  # a close has no file
    client.force_login(_user("head"))  # not HR: the company's close is not theirs to see
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_a_refused_close_fails_with_the_reason_and_writes_nothing(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(_user("hr"))
    before = CloseVersion.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        job = _job_of(client.post(reverse("payroll:close-run"), {"department": "", "year": 2024, "month": 2}))
    run_worker(batch=True)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.error == "该月没有可结算的考核表。"
    assert CloseVersion.objects.count() == before
    fragment = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "该月没有可结算的考核表。" in fragment and "hx-get" not in fragment


def test_a_close_failing_midway_leaves_nothing_half_written(
    client, personas, monkeypatch, django_capture_on_commit_callbacks
):
    hr = _user("hr")
    pool("j3", [Person("3000", "100")], actor=hr)
    pool("j4", [Person("2000", "80")], actor=hr)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    # after the versions and lines are stored, inside the close's transaction
    monkeypatch.setattr("aftersales.payroll.services._tell_employees", broken)
    client.force_login(hr)
    before = (CloseVersion.objects.count(), Job.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        job = _job_of(client.post(reverse("payroll:close-run"), {"department": "", "year": 2025, "month": 3}))
    run_worker(batch=True)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "未做任何修改" in job.error and "disk" not in job.error
    assert CloseVersion.objects.count() == before[0]


def test_a_job_runs_once(personas, django_capture_on_commit_callbacks):
    job = Job.objects.create(requested_by=_user("hr"), kind=Job.Kind.CLOSE, title="x", state=Job.State.DONE)
    work.run_job.call(job.pk)  # a second delivery of a finished job: nothing happens
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.error == ""


def test_the_file_goes_only_to_who_may_still_see_the_sheet(client, personas):
    """R-1.1: the requester alone sees the job; the file follows the pay sheet's own permission."""
    version = demo_close()
    job = Job.objects.create(
        requested_by=_user("engineer"),  # e.g. a head who has since moved to another post
        kind=Job.Kind.PAYSHEET_XLSX,
        title="x",
        params={"version": version.pk},
        state=Job.State.DONE,
        filename="paysheet.xlsx",
        content=b"PK",
    )
    client.force_login(_user("engineer"))
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert page.status_code == 200 and reverse("jobs:download", args=[job.pk]) not in page.content.decode()
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    client.force_login(_user("hr"))  # may see the sheet, but the job is not theirs
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_my_jobs_list_and_its_export_run_a_fixed_number_of_queries(client, personas):
    engineer, hr = _user("engineer"), _user("hr")
    client.force_login(engineer)

    def counted(query: dict) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("jobs:index"), query).status_code == 200
        return len(queries)

    Job.objects.create(requested_by=engineer, kind=Job.Kind.PAYSHEET_PDF, title="第一个")
    few, few_xlsx = counted({}), counted({"format": "xlsx"})
    Job.objects.bulk_create(
        Job(requested_by=engineer, kind=Job.Kind.PAYSHEET_XLSX, title=f"t{i}") for i in range(30)
    )
    Job.objects.create(requested_by=hr, kind=Job.Kind.PAYSHEET_XLSX, title="HR的")  # not the engineer's
    # session, user, the employee (menu), the roles, the count and the page of jobs (with requesters)
    assert counted({}) == few and counted({"format": "xlsx"}) == few_xlsx
    rows = _rows(client.get(reverse("jobs:index"), {"format": "xlsx"}).content)[1:]
    assert len(rows) == 31 and "HR的" not in {row[2] for row in rows}
    page = client.get(reverse("jobs:index"))
    assert page.context["page"].paginator.count == 31


def _preview(client, content: bytes, reason: str = "新员工入职") -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("roster.xlsx", content, content_type=XLSX)
    assert client.post(reverse("organisation:import"), {"file": upload, "reason": reason}).status_code == 200


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_big_import_is_a_job_and_its_links_are_shown_once(
    client, personas, large, settings, tmp_path, django_capture_on_commit_callbacks
):
    from aftersales.organisation.models import Employee
    from tests.organisation.workbooks import employee_row, workbook

    settings.VAR_DIR = tmp_path
    client.force_login(_user("hr"))
    _preview(client, workbook([employee_row(username="n100"), employee_row("N101")]))
    token = client.session["roster_import"]["token"]
    with django_capture_on_commit_callbacks(execute=True):
        job = _job_of(client.post(reverse("organisation:import"), {"token": token, "action": "confirm"}))
    assert job.company_wide and bytes(job.source).startswith(b"PK")
    assert not Employee.objects.filter(number="N100").exists()  # queued, nothing written yet

    run_worker(batch=True)

    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.source is None  # the workbook (passwords) is not kept
    assert Employee.objects.get(number="N100").history.latest().history_change_reason == "新员工入职"
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'id="import-summary"' in page and 'id="import-links"' in page and "n100" in page
    again = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'id="import-summary"' in again and 'id="import-links"' not in again  # once only


def test_an_import_refused_by_the_worker_lists_the_cells_and_writes_nothing(personas):
    from aftersales.organisation.models import Employee
    from tests.organisation.workbooks import employee_row, workbook

    content = workbook([employee_row("N200"), employee_row("N201", department="xx")])
    job = Job.objects.create(
        requested_by=_user("hr"),
        kind=Job.Kind.ROSTER_IMPORT,
        title="x",
        params={"reason": "新员工入职"},
        source=content,
        company_wide=True,
    )
    work.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.error == "发现 1 处错误，未导入任何数据。"
    (error,) = job.result["errors"]
    assert (error["row"], error["column"]) == (3, "C") and "不存在的部门编码 xx" in error["message"]
    assert not Employee.objects.filter(number__in=["N200", "N201"]).exists()  # all or nothing
    assert job.source is None
