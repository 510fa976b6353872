"""The API twin of the import page (POST /api/organisation/import/, issue 13 item 4): the same service
(``roster_import``), the same permission (HR only, R-1.1), the preview with nothing written, an import of
every row or none with the cells at fault named, the one-use set-password links as absolute URLs, and a
big import handed to a background job as the page hands it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftersales.jobs.models import Job
from aftersales.organisation import importing
from aftersales.organisation.models import Department, Employee
from tests.interviews.helpers import user
from tests.organisation.workbooks import company, employee_row, organisation_workbook, workbook

pytestmark = pytest.mark.django_db
URL = reverse("api-organisation:import")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _post(client, data, username="hr", reason="年度组织导入", **fields):
    client.force_login(user(username))
    upload = SimpleUploadedFile("organisation.xlsx", data, content_type=XLSX)
    return client.post(URL, {"file": upload, "reason": reason, **fields})


def _employees():
    return set(Employee.objects.values_list("number", flat=True))


def test_the_preview_counts_what_would_change_and_writes_nothing(client, personas):
    before, phone = _employees(), Employee.objects.get(number="E006").phone
    changed = employee_row("E006", name="赵磊", phone="13911112222")
    answer = _post(client, workbook([employee_row("N100"), changed]))  # dry_run left out: true
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["dry_run"], body["applied"], body["ok"], body["errors"]) == (True, False, True, [])
    assert body["sheets"] == [{"sheet": "员工", "created": 1, "changed": 1, "deactivated": 0, "unchanged": 0}]
    created, edited = body["rows"]
    assert (created["key"], created["status"], created["changes"]) == ("N100", "created", [])
    assert (edited["key"], edited["status"]) == ("E006", "changed")
    assert {"header": "电话", "old": phone, "new": "13911112222"} in edited["changes"]
    assert _employees() == before and Employee.objects.get(number="E006").phone == phone


def test_the_preview_names_the_cells_at_fault(client, personas):
    answer = _post(client, workbook([employee_row("N100", department="xx")]), dry_run="true")
    body = answer.json()
    assert answer.status_code == 200 and body["ok"] is False
    assert body["errors"] == [
        {"sheet": "员工", "row": 2, "column": "C", "header": "部门编码", "message": "不存在的部门编码 xx"}
    ]


def test_an_import_with_an_error_in_a_row_writes_nothing_and_names_sheet_row_and_column(client, personas):
    rows = [employee_row("N100"), employee_row("N101", department="xx")]
    answer = _post(client, workbook(rows), dry_run="false")
    assert answer.status_code == 400
    body = answer.json()
    assert (body["detail"], body["field"]) == ("发现 1 处错误，未导入任何数据。", "file")
    assert [(e["sheet"], e["row"], e["column"]) for e in body["errors"]] == [("员工", 3, "C")]
    assert not Employee.objects.filter(number__in=["N100", "N101"]).exists()  # all or nothing


def test_a_good_import_creates_the_people_with_their_links_and_history(client, personas):
    answer = _post(client, organisation_workbook(**company()), dry_run="false")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["dry_run"], body["applied"], body["ok"], body["new_logins"]) == (False, True, True, 17)
    assert Department.objects.filter(code="svc").exists()
    assert Employee.objects.filter(number__regex=r"^S[0-9]{2}$").count() == 20
    links = body["set_password_links"]
    assert len(links) == 9 and {link["username"] for link in links} >= {"s04", "s12"}
    assert all(link["set_password_link"].startswith("http://testserver/password/set/") for link in links)
    entry = Employee.objects.get(number="S07").history.earliest()
    assert (entry.history_user.username, entry.history_change_reason) == ("hr", "年度组织导入")


@pytest.mark.parametrize("username", ["engineer", "regional", "head", "outsider"])
def test_r_1_1_only_hr_imports(client, personas, username):
    answer = _post(client, workbook([employee_row("N100")]), username=username, dry_run="false")
    assert answer.status_code == 403
    assert not Employee.objects.filter(number="N100").exists()


def test_a_big_import_is_a_background_job_as_on_the_page(client, personas, settings):
    settings.JOBS_THRESHOLD = 0
    answer = _post(client, workbook([employee_row("N100")]), dry_run="false", reason="新员工入职")
    assert answer.status_code == 202, answer.content
    job = Job.objects.get(pk=answer.json()["job"])
    assert (job.kind, job.params["reason"]) == ("roster-import", "新员工入职")
    assert job.requested_by.username == "hr" and job.source is not None
    url = "http://testserver" + reverse("jobs:detail", args=[job.pk])
    status_url = "http://testserver" + reverse("api-jobs:detail", args=[job.pk])
    assert answer.json()["url"] == url and answer.json()["status_url"] == status_url
    assert answer["Location"] == status_url
    assert not Employee.objects.filter(number="N100").exists()  # the worker imports it


@pytest.mark.parametrize("threshold", [0, 1000], ids=["to a job", "in the request"])
def test_an_import_reads_the_workbook_once(client, personas, settings, monkeypatch, threshold):
    """Before, a confirmed import was previewed first to count its rows, then imported: read twice."""
    settings.JOBS_THRESHOLD = threshold
    reads = []
    read = importing.read_workbook
    monkeypatch.setattr(importing, "read_workbook", lambda data: reads.append(len(data)) or read(data))
    answer = _post(client, workbook([employee_row("N100")]), dry_run="false")
    assert answer.status_code == (202 if threshold == 0 else 200), answer.content
    assert len(reads) == 1
    assert Employee.objects.filter(number="N100").exists() is (threshold > 0)


def test_a_big_preview_is_answered_at_once(client, personas, settings):
    settings.JOBS_THRESHOLD = 0
    answer = _post(client, workbook([employee_row("N100")]))
    assert answer.status_code == 200 and answer.json()["rows"][0]["key"] == "N100"
    assert not Job.objects.exists()


def test_a_file_that_is_no_workbook_is_refused_on_the_file(client, personas):
    answer = _post(client, b"not a workbook", dry_run="false")
    assert answer.status_code == 400
    assert answer.json() == {"detail": "不是有效的 .xlsx 文件", "field": "file"}


def test_the_page_forms_errors_answer_per_field(client, personas):
    answer = _post(client, workbook([employee_row("N100")]), reason="", dry_run="maybe")
    assert answer.status_code == 400 and "reason" in answer.json()
    answer = _post(client, workbook([employee_row("N100")]), dry_run="maybe")
    assert answer.status_code == 400 and "dry_run" in answer.json()


def test_the_schema_describes_a_multipart_upload_and_every_answer(client, personas):
    client.force_login(user("hr"))
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/organisation/import/"]["post"]
    assert list(operation["requestBody"]["content"]) == ["multipart/form-data"]
    fields = schema["components"]["schemas"]["RosterImportInput"]["properties"]
    assert fields["file"] == {"type": "string", "format": "binary"}
    assert fields["dry_run"]["default"] is True
    assert set(operation["responses"]) == {"200", "202", "400"}
