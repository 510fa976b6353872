"""The import page of the organisation workbook: preview first (nothing written), then HR confirms;
the set-password links of new logins are shown once; the template download."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from aftersales.organisation.models import Department, Employee
from tests.interviews.helpers import user
from tests.organisation.workbooks import company, organisation_workbook

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
URL = reverse("organisation:import")


@pytest.fixture
def hr(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path  # the uploads kept between preview and confirmation
    client.force_login(user("hr"))
    return client


def _upload(client, data, reason="年度组织导入"):
    upload = SimpleUploadedFile("organisation.xlsx", data, content_type=XLSX)
    return client.post(URL, {"file": upload, "reason": reason})


def test_the_preview_shows_the_counts_and_writes_nothing(hr, tmp_path):
    page = _upload(hr, organisation_workbook(**company())).content.decode()
    assert 'data-sheet="员工"><td>员工</td><td class="text-end">25</td>' in page
    assert 'id="import-confirm"' in page and "将新建 17 个登录账号" in page
    assert not Department.objects.filter(code="svc").exists()
    assert len(list((tmp_path / "roster-uploads").iterdir())) == 1


def test_confirming_imports_and_lists_the_set_password_links_once(hr, tmp_path):
    _upload(hr, organisation_workbook(**company()))
    token = hr.session["roster_import"]["token"]
    page = hr.post(URL, {"token": token, "action": "confirm"}).content.decode()
    assert 'id="import-done"' in page and Employee.objects.filter(number__regex=r"^S[0-9]{2}$").count() == 20
    assert page.count("http://testserver/password/set/") == 9 and "s04" in page
    assert Employee.objects.get(number="S07").history.earliest().history_change_reason == "年度组织导入"
    assert list((tmp_path / "roster-uploads").iterdir()) == []
    again = hr.post(URL, {"token": token, "action": "confirm"}, follow=True).content.decode()
    assert "预览已过期或已导入" in again


def test_cancelling_drops_the_file(hr, tmp_path):
    _upload(hr, organisation_workbook(**company()))
    token = hr.session["roster_import"]["token"]
    assert hr.post(URL, {"token": token, "action": "cancel"}).url == URL
    assert list((tmp_path / "roster-uploads").iterdir()) == []
    assert not Department.objects.filter(code="svc").exists()


def test_a_token_is_good_only_in_the_session_that_previewed_it(hr):
    _upload(hr, organisation_workbook(**company()))
    token = hr.session["roster_import"]["token"]
    other = Client()
    other.force_login(user("admin"))
    response = other.post(URL, {"token": token, "action": "confirm"}, follow=True)
    assert "预览已过期或已导入" in response.content.decode()
    assert not Department.objects.filter(code="svc").exists()
    assert 'id="import-done"' in hr.post(URL, {"token": token, "action": "confirm"}).content.decode()


def test_errors_are_listed_and_nothing_is_kept(hr, tmp_path):
    sheets = company()
    sheets["员工"][0]["department"] = "xx"
    page = _upload(hr, organisation_workbook(**sheets)).content.decode()
    assert 'id="import-errors"' in page and "不存在的部门编码 xx" in page and "import-confirm" not in page
    assert not (tmp_path / "roster-uploads").exists()


def test_the_template_download(hr):
    response = hr.get(reverse("organisation:export"), {"template": "1"})
    assert (
        response["Content-Type"] == XLSX and "organisation-template.xlsx" in response["Content-Disposition"]
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["说明", "部门", "区域", "职位", "员工"]
    assert book["员工"]["A2"].value == "示例001"
