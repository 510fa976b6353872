"""The API of background jobs (/api/jobs/): a client answered 202 (a big roster import) follows the
Location to the job — its state and progress, its result, the set-password links once — and fetches a
job's file with its token; nobody else sees the job (R-1.1); the list runs a fixed number of queries."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from aftersales.jobs.models import Job
from aftersales.jobs.worker import run_worker
from aftersales.organisation.models import Employee
from tests.organisation.workbooks import employee_row, workbook
from tests.payroll.helpers import demo_close

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _token_client(username: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=_user(username))[0].key}")
    return client


def test_a_client_follows_a_big_import_to_its_result_and_links_once(
    personas, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_THRESHOLD = 0
    hr = _token_client("hr")
    upload = SimpleUploadedFile("roster.xlsx", workbook([employee_row(username="n100")]), content_type=XLSX)
    with django_capture_on_commit_callbacks(execute=True):
        answer = hr.post(
            reverse("api-organisation:import"), {"file": upload, "reason": "新员工入职", "dry_run": "false"}
        )
    assert answer.status_code == 202, answer.content
    queued = hr.get(answer["Location"]).json()
    assert (queued["state"], queued["percent"], queued["kind"]) == ("queued", 0, "roster-import")
    assert queued["set_password_links"] == [] and queued["download_url"] is None

    run_worker(batch=True)

    done = hr.get(answer["Location"]).json()
    assert (done["state"], done["percent"], done["error"]) == ("done", 100, "")
    assert "links" not in done["result"] and done["result"]["sheets"][0]["created"] == 1
    (link,) = done["set_password_links"]
    assert link["username"] == "n100"
    assert link["set_password_link"].startswith("http://testserver/password/set/")
    assert hr.get(answer["Location"]).json()["set_password_links"] == []  # handed out once
    assert Employee.objects.filter(number="N100").exists()


def test_a_finished_sheet_is_downloaded_with_a_token_by_whoever_may_see_it(personas):
    version = demo_close()
    job = Job.objects.create(
        requested_by=_user("head"),
        kind=Job.Kind.PAYSHEET_XLSX,
        title="x",
        params={"version": version.pk},
        state=Job.State.DONE,
        filename="paysheet.xlsx",
        content_type=XLSX,
        content=b"PK-sheet",
    )
    head = _token_client("head")
    detail = head.get(reverse("api-jobs:detail", args=[job.pk])).json()
    download = head.get(detail["download_url"])
    assert download.status_code == 200 and download.content == b"PK-sheet"
    assert 'filename="paysheet.xlsx"' in download["Content-Disposition"]
    for stranger in ("engineer", "hr"):  # not theirs (HR sees company-wide jobs only)
        client = _token_client(stranger)
        assert client.get(reverse("api-jobs:detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("api-jobs:download", args=[job.pk])).status_code == 404
        assert job.pk not in {row["id"] for row in client.get(reverse("api-jobs:list")).json()["results"]}


def test_the_list_runs_a_fixed_number_of_queries(personas):
    engineer = _user("engineer")
    client = _token_client("engineer")

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("api-jobs:list")).status_code == 200
        return len(queries)

    Job.objects.create(requested_by=engineer, kind=Job.Kind.PAYSHEET_PDF, title="第一个")
    few = counted()
    Job.objects.bulk_create(
        Job(requested_by=engineer, kind=Job.Kind.PAYSHEET_XLSX, title=f"t{i}") for i in range(30)
    )
    assert counted() == few
    answer = client.get(reverse("api-jobs:list")).json()
    assert answer["count"] == 31 and answer["results"][0]["title"] == "t29"
