"""Roster pages and API: scope (R-1.1), the import page's error table, query counts."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from aftersales.organisation.models import Department, Employee, Position
from tests.interviews.helpers import user
from tests.organisation.workbooks import employee_row, workbook
from tests.personas import employee, numbers

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _numbers(response):
    return {row["number"] for row in response.json()["results"]}


def test_r_1_1_the_api_lists_only_the_employees_in_scope(client, personas):
    url = reverse("api-organisation:employee-list")
    client.force_login(user("engineer"))
    assert _numbers(client.get(url)) == numbers("engineer")
    client.force_login(user("regional"))
    assert _numbers(client.get(url)) == numbers("regional", "engineer", "engineer2", "engineer3")
    client.force_login(user("outsider"))
    assert _numbers(client.get(url)) == numbers("outsider")
    client.force_login(user("hr"))
    assert _numbers(client.get(url)) == set(Employee.objects.values_list("number", flat=True))


def test_the_api_shows_the_record_with_its_relations(client, personas):
    client.force_login(user("regional"))
    engineer = employee("engineer")
    data = client.get(reverse("api-organisation:employee-detail", args=[engineer.pk])).json()
    assert (
        data["supervisor"]["number"] == employee("regional").number
        and data["department"]["code"] == "as-field"
    )
    assert data["standard_salary"] == "5500.00" and data["category"] == "field_service"


def _more_employees(count):
    field = Department.objects.get(code="as-field")
    position = Position.objects.get(code="field_engineer")
    regional = employee("regional")
    common = {"department": field, "position": position, "category": "field_service", "supervisor": regional}
    Employee.objects.bulk_create(
        Employee(
            number=f"X{i:03}",
            name=f"员工{i}",
            standard_salary=Decimal(5000),
            active_from=date(2026, 1, 1),
            **common,
        )
        for i in range(count)
    )


@pytest.mark.parametrize("username", ["hr", "regional", "head"])
@pytest.mark.parametrize("url", ["organisation:index", "api-organisation:employee-list"])
def test_list_queries_do_not_grow_with_rows(client, personas, username, url):
    """Session, user, groups (role), own employee, headed departments (+ units), count, one page of
    employees joined with department, region, position and supervisor."""
    client.force_login(user(username))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url)).status_code == 200
        return len(captured)

    few = queries()
    _more_employees(30)
    assert queries() == few


def test_the_roster_page_searches_by_number_or_name(client, personas):
    client.force_login(user("hr"))
    page = client.get(reverse("organisation:index"), {"q": "赵磊"}).content.decode()
    assert employee("engineer").number in page and employee("engineer2").number not in page


def test_the_import_page_shows_the_errors_by_row_and_column(client, personas):
    client.force_login(user("hr"))
    upload = SimpleUploadedFile("roster.xlsx", workbook([employee_row(department="xx")]), content_type=XLSX)
    page = client.post(reverse("organisation:import"), {"file": upload, "reason": "更新"}).content.decode()
    assert "第2行" in page and "C列" in page and "不存在的部门编码 xx" in page
    assert not Employee.objects.filter(number="N100").exists()


def test_the_import_page_imports_a_valid_file_once_confirmed(client, personas, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(user("hr"))
    upload = SimpleUploadedFile("roster.xlsx", workbook([employee_row()]), content_type=XLSX)
    client.post(reverse("organisation:import"), {"file": upload, "reason": "新员工入职"})
    assert not Employee.objects.filter(number="N100").exists()  # the preview writes nothing
    token = client.session["roster_import"]["token"]
    client.post(reverse("organisation:import"), {"token": token, "action": "confirm"})
    assert Employee.objects.get(number="N100").history.latest().history_change_reason == "新员工入职"


def test_the_export_downloads_the_roster_workbook(client, personas):
    client.force_login(user("hr"))
    response = client.get(reverse("organisation:export"))
    assert response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["说明", "部门", "区域", "职位", "员工"]
    assert book["员工"].max_row == Employee.objects.count() + 1
