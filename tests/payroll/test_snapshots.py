"""R-4.1 archived records never change: a pay sheet and an archived appraisal print the name and position
the employee had when they were closed / archived, also after a rename (issue 14)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from openpyxl import load_workbook

from aftersales.appraisal.models import Appraisal, State
from aftersales.appraisal.services import period_open
from aftersales.organisation.models import Department, Employee, Position
from aftersales.payroll.services import close_run
from tests.appraisal.helpers import advance
from tests.payroll.helpers import Person, demo_close, pool
from tests.schema import migrate_to_latest

OLD, NEW = "钱旧", "赵新"


def _pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("poppler-utils (pdftotext) is missing: make test installs it")
    return subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def _rename(employee: Employee) -> None:
    employee.name = NEW
    employee.position = Position.objects.create(
        code="renamed", name="新职位", category=employee.category, standard_salary=0
    )
    employee.save()


@pytest.mark.django_db
def test_r4_1_a_rename_leaves_the_archived_pay_sheet_page_pdf_and_xlsx_as_closed(client, hr):
    dept, staff, _period = pool("snap", [Person("3000", "100"), Person("2000", "98")])
    Employee.objects.filter(pk=staff[0].pk).update(name=OLD)
    (version,) = close_run(department=dept, year=2025, month=3, actor=hr).created
    position = version.lines.get(employee=staff[0]).position
    _rename(Employee.objects.get(pk=staff[0].pk))
    client.force_login(hr)

    page = client.get(reverse("payroll:close-detail", args=[version.pk])).content.decode()
    assert OLD in page and NEW not in page and "新职位" not in page
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("payroll:close-xlsx", args=[version.pk])).content)
    ).active
    names = [row[0].value for row in sheet.iter_rows()]
    assert OLD in names and NEW not in names
    row = next(row for row in sheet.iter_rows() if row[0].value == OLD)
    assert row[1].value == position
    text = _pdf_text(client.get(reverse("payroll:close-pdf", args=[version.pk])).content)
    assert OLD in text and NEW not in text
    line = client.get(reverse("api-payroll:line-list")).json()["results"]
    assert {item["employee_name"] for item in line if item["employee_number"] == staff[0].number} == {OLD}


@pytest.mark.django_db
def test_r4_1_an_archived_appraisal_keeps_the_name_position_and_supervisor_of_its_archive(client, personas):
    hr = get_user_model().objects.get(username="hr")
    period = period_open(actor=hr, department=Department.objects.get(code="as"), year=2025, month=1)
    form = advance(Appraisal.objects.get(period=period, employee__user__username="engineer"), State.ARCHIVED)
    archived = (form.employee.name, form.employee.position.name, form.employee.supervisor.name)
    assert (form.archived_name, form.archived_position, form.archived_supervisor) == archived
    _rename(form.employee)
    client.force_login(form.employee.supervisor.user)
    page = client.get(reverse("appraisal:detail", args=[form.pk])).content.decode()
    assert archived[0] in page and NEW not in page
    text = _pdf_text(client.get(reverse("appraisal:pdf", args=[form.pk])).content)
    assert archived[0] in text and archived[1] in text and NEW not in text


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_lines_the_name_as_of_their_close(personas):
    """payroll 0005: the name comes from the employee's history as it was when the version was closed —
    here the close's, from before a later rename that left no history (a raw update)."""
    from aftersales.payroll.models import CloseLine

    demo_close()
    line = CloseLine.objects.select_related("employee").first()
    named = line.employee.name
    before, after = [("payroll", "0004_close_fen_and_check")], [("payroll", "0005_line_employee_name")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        old.get_model("organisation", "Employee").objects.filter(pk=line.employee_id).update(name=NEW)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        assert CloseLine.objects.get(pk=line.pk).employee_name == named
        with pytest.raises(Exception, match="never changes"):  # the guard is back, now on the name too
            CloseLine.objects.filter(pk=line.pk).update(employee_name="x")
    finally:
        migrate_to_latest(connection)
