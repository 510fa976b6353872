"""A real month of 售后服务部, driven through the public API and pages only (issue 9, "Done when").

R-3.1 "One truth": an employee-month has ONE final score and ONE grade, and every place shows the
same — the form page, the API, the pay line, the pay sheet export and results use (R-7.1 reads the
one final score of R-3.1, the close version in force where the month is closed).

The month (May 2025, first month of an interview block so nobody is flagged R-4.4) of 售后服务部
(tests/personas.py): twelve forms — three field-service engineers graded by forced distribution (R-3.3;
with n = 3 the §2.4 quotas give C, C, D) and nine absolutely graded forms (R-3.2) — walked by the people
whose step it is (R-4.1): self-report → score → review → confirm → archive. Discipline points
(R-6.2) for the month are approved at three moments:

1. before the period is opened: 赵磊 a commendation (+1);
2. after 孙涛's form is confirmed: 孙涛 a merit (+3) — his form's own content stays, the final moves;
3. after the close: 赵磊 a merit (+3) — the close is out of date until HR re-closes, and the
   re-close moves 赵磊 above 孙涛 in the forced distribution.

Form totals: 赵磊 90, 孙涛 90, 周鹏 95 (field service); the others from the appraisal demo's sample entries.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from aftersales.appraisal.models import Appraisal, Notification, Period, State
from aftersales.core.periods import Month
from aftersales.organisation.models import Category, Department
from aftersales.payroll.models import CloseLine, CloseVersion
from aftersales.payroll.notices import RESULT_CHANGED
from aftersales.results.selectors import archived_scores
from tests.appraisal.helpers import entries_for

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2025, 5
PENDING = "结算时确定"  # "grade decided at the close"

# the field-service forms, scored by their regional supervisor 陈刚
FIELD_ENTRIES = {
    "engineer": {"work_arrangement": ["delay_task"]},  # 赵磊 90
    "engineer2": {"work_arrangement": ["delay_task"]},  # 孙涛 90
    "engineer3": {"parts_management": ["parts_ledger_disorder"]},  # 周鹏 95
}


# ---------------------------------------------------------------------------------------------
# Reading pages and the API


class _TextOf(HTMLParser):
    """The text inside the element with a given id (nested elements included)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id, self.depth, self.found, self.parts = element_id, 0, False, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def text_of(html: str, element_id: str) -> str | None:
    """The whitespace-normalised text of ``#element_id``, None when the page has no such element."""
    parser = _TextOf(element_id)
    parser.feed(html)
    return " ".join("".join(parser.parts).split()) if parser.found else None


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _post(client, user, url: str, **data: Any) -> dict[str, Any]:
    client.force_login(user)
    response = client.post(url, data=data, content_type="application/json")
    assert response.status_code in (200, 201), (url, response.status_code, response.content[:500])
    return response.json()


def _step(client, user, action: str, pk: int, **data: Any) -> dict[str, Any]:
    return _post(client, user, reverse(f"api-appraisal:appraisal-{action}", kwargs={"pk": pk}), **data)


def _api_detail(client, user, pk: int) -> dict[str, Any]:
    client.force_login(user)
    response = client.get(reverse("api-appraisal:appraisal-detail", kwargs={"pk": pk}))
    assert response.status_code == 200
    return response.json()


def _page(client, user, pk: int) -> str:
    client.force_login(user)
    response = client.get(reverse("appraisal:detail", args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


def _discipline(client, *, employee: str, kind: str, day: date, approver: str) -> dict[str, Any]:
    """Proposed by the employee's direct supervisor, approved by ``approver`` (not the proposer)."""
    appraised = _user(employee).employee
    record = _post(
        client,
        appraised.supervisor.user,
        reverse("api-discipline:record-list"),
        employee=appraised.pk,
        kind=kind,
        effective_date=day.isoformat(),
        reason_text="现场服务表现(测试)",
    )
    approved = _post(
        client, _user(approver), reverse("api-discipline:record-approve", args=[record["id"]]), note="同意"
    )
    assert approved["status"] == "approved"
    return approved


def _absolute(score: Decimal) -> str:
    """R-3.2, written out here so the test does not read the rule from the code it checks."""
    for grade, floor in (("A", 90), ("B", 80), ("C", 70), ("D", 60)):
        if score >= floor:
            return grade
    return "E"


# ---------------------------------------------------------------------------------------------
# The month


def _open_period(client, hr) -> Period:
    department = Department.objects.get(code="as")
    body = _post(
        client, hr, reverse("api-appraisal:period-list"), department=department.pk, year=YEAR, month=MONTH
    )
    return Period.objects.get(pk=body["id"])


def _forms(period: Period) -> dict[str, Appraisal]:
    rows = Appraisal.objects.filter(period=period, is_current=True).select_related(
        "employee__user", "employee__supervisor__user"
    )
    return {a.employee.user.username: a for a in rows}


def _entries(appraisal: Appraisal, seed: int) -> dict[str, Any]:
    return FIELD_ENTRIES.get(appraisal.employee.user.username) or entries_for(appraisal, seed)


def _walk_to_reviewed(client, forms: dict[str, Appraisal], head) -> None:
    for appraisal in forms.values():
        body = _step(client, appraisal.employee.user, "self-report", appraisal.pk, summary="本月按计划完成")
        assert body["state"] == State.SELF_REPORTED
    for seed, appraisal in enumerate(forms.values()):
        supervisor = appraisal.employee.supervisor.user
        body = _step(client, supervisor, "score", appraisal.pk, entries=_entries(appraisal, seed))
        assert body["state"] == State.SCORED
    for appraisal in forms.values():
        assert _step(client, head, "review", appraisal.pk)["state"] == State.REVIEWED


def _close_page(client, hr, period: Period, reason: str = ""):
    client.force_login(hr)
    data = {"department": period.department_id, "year": YEAR, "month": MONTH, "reason": reason}
    response = client.post(reverse("payroll:close-run"), data)
    assert response.status_code == 302, response.content[:2000]
    version = CloseVersion.objects.get(period=period, is_current=True)
    assert response["Location"] == reverse("payroll:close-detail", args=[version.pk])
    return version


def _xlsx_rows(client, hr, version: CloseVersion) -> dict[str, tuple[Decimal | None, str]]:
    """Name → (考核得分, 等级) of the pay sheet .xlsx."""
    client.force_login(hr)
    response = client.get(reverse("payroll:close-xlsx", args=[version.pk]))
    assert response.status_code == 200
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(response.content)).active]
    header = rows[3]
    name, score, grade = header.index("姓名"), header.index("考核得分"), header.index("等级")
    return {
        row[name]: (None if row[score] is None else Decimal(str(row[score])), row[grade] or "")
        for row in rows[4:-1]
    }


def _flagged(client, hr, version: CloseVersion) -> tuple[bool, bool]:
    """Whether HR sees ``version`` as out of date: the badge on its entry of the payroll index, and
    its link in the "结算已过期" box of HR's home page (the to-do list, R-3.1)."""
    client.force_login(hr)
    link = f'href="{reverse("payroll:close-detail", args=[version.pk])}"'
    index = client.get(reverse("payroll:index"), {"year": version.period.year}).content.decode()
    assert link in index
    entry = index.split(link, 1)[1].split("</a>", 1)[0]
    home = client.get(reverse("web:home")).content.decode()
    todo = text_of(home, "box-closes")
    assert todo is not None  # HR always has the box (empty: 暂无)
    box = home.split('id="box-closes"', 1)[1].split('class="card h-100', 1)[0]
    return "out-of-date" in entry, link in box


def _field_service_before_close(client, forms: dict[str, Appraisal], hr) -> None:
    """R-3.1: until the month is closed a forced-distribution form shows "grade decided at the
    close" (the absolute grade only as a labelled reference); an absolute form shows its grade."""
    for username in FIELD_ENTRIES:
        appraisal = forms[username]
        html = _page(client, appraisal.employee.user, appraisal.pk)
        assert text_of(html, "grade") == PENDING
        assert "参考" in text_of(html, "grade-pending")
        body = _api_detail(client, hr, appraisal.pk)
        assert (body["grade"], body["grade_pending"], body["closed"]) == ("", True, False)
        assert body["final_score"] is not None
    regional = forms["regional"]  # regional supervisor: absolute standard (R-3.2)
    body = _api_detail(client, hr, regional.pk)
    assert body["grade_pending"] is False
    assert body["grade"] == _absolute(Decimal(body["final_score"]))
    assert text_of(_page(client, regional.employee.user, regional.pk), "grade").split()[0] == body["grade"]


def test_a_real_month_shows_one_final_score_and_grade_everywhere(
    client, personas, django_capture_on_commit_callbacks
):
    """R-3.1 "One truth" and R-7.1, end to end: the appraisal page, the appraisal API, the pay
    line of the current close version, the pay sheet .xlsx and results use (archived_scores) all
    show each employee's one final score and grade — through discipline approved before the
    period, after a confirmation and after the close (out of date, then re-closed)."""
    hr, head = _user("hr"), _user("head")

    # 1. a commendation for 赵磊 in May, approved before the period is opened
    _discipline(client, employee="engineer", kind="commendation", day=date(YEAR, MONTH, 6), approver="head")
    period = _open_period(client, hr)
    forms = _forms(period)
    assert len(forms) == 12
    forced = {u for u, a in forms.items() if a.employee.category == Category.FIELD_SERVICE}
    assert forced == set(FIELD_ENTRIES)  # the distribution group: three engineers
    assert any(a.employee.category != Category.FIELD_SERVICE for a in forms.values())

    _walk_to_reviewed(client, forms, head)
    zhao = _api_detail(client, hr, forms["engineer"].pk)
    assert (zhao["discipline_points"], zhao["final_score"]) == ("1.00", "91.00")  # the +1 from before

    # 2. 孙涛 confirms; then a merit for him is approved: the form stays, its final moves
    sun = forms["engineer2"]
    assert _step(client, sun.employee.user, "confirm", sun.pk)["state"] == State.CONFIRMED
    _discipline(client, employee="engineer2", kind="merit", day=date(YEAR, MONTH, 20), approver="hr")
    body = _api_detail(client, sun.employee.user, sun.pk)
    assert (body["state"], body["form_total"], body["final_score"]) == ("confirmed", "90.00", "93.00")
    assert text_of(_page(client, sun.employee.user, sun.pk), "final-score") == "93"

    for username, appraisal in forms.items():
        if username != "engineer2":
            assert _step(client, appraisal.employee.user, "confirm", appraisal.pk)["state"] == State.CONFIRMED
    for appraisal in forms.values():
        assert _step(client, hr, "archive", appraisal.pk)["state"] == State.ARCHIVED

    _field_service_before_close(client, forms, hr)

    # 3. HR closes the month on the payroll page: 周鹏 95, 孙涛 93, 赵磊 91 → C, C, D
    v1 = _close_page(client, hr, period)
    assert v1.number == 1
    line = CloseLine.objects.get(version=v1, employee=forms["engineer"].employee)
    assert (line.final_score, line.grade, line.grade_rank, line.grade_group_size) == (Decimal(91), "D", 3, 3)
    body = _api_detail(client, hr, forms["engineer"].pk)
    assert (body["final_score"], body["grade"], body["closed"], body["close_out_of_date"]) == (
        "91.00",
        "D",
        True,
        False,
    )
    assert body["grade_explanation"].startswith("强制分布：第3名/共3人")

    # 4. a merit for 赵磊 approved after the close: the close is out of date
    _discipline(client, employee="engineer", kind="merit", day=date(YEAR, MONTH, 28), approver="head")
    client.force_login(hr)
    sheet = client.get(reverse("payroll:close-detail", args=[v1.pk])).content.decode()
    assert text_of(sheet, "out-of-date") is not None and "赵磊" in text_of(sheet, "out-of-date")
    assert _flagged(client, hr, v1) == (True, True)  # payroll index badge, HR's to-do list
    zhao_form = forms["engineer"]
    body = _api_detail(client, zhao_form.employee.user, zhao_form.pk)
    # the close version in force still decides, flagged for HR to re-close
    assert (body["final_score"], body["grade"], body["close_out_of_date"]) == ("91.00", "D", True)
    assert text_of(_page(client, zhao_form.employee.user, zhao_form.pk), "close-out-of-date") is not None

    # 5. HR re-closes with a reason: a new version; 赵磊 94 (C, 2nd), 孙涛 93 (D, 3rd) are told
    Notification.objects.filter(kind=RESULT_CHANGED).delete()
    with django_capture_on_commit_callbacks(execute=True):
        v2 = _close_page(client, hr, period, reason="结算后批准赵磊记功，重新结算")
    assert v2.number == 2 and v2.pk != v1.pk
    client.force_login(hr)
    sheet = client.get(reverse("payroll:close-detail", args=[v2.pk])).content.decode()
    assert text_of(sheet, "out-of-date") is None
    assert _flagged(client, hr, v2) == (False, False)
    told = set(Notification.objects.filter(kind=RESULT_CHANGED).values_list("recipient__username", flat=True))
    assert told == {"engineer", "engineer2"}

    # 6. every employee: one final score and grade on every place
    expected_forced = {
        "engineer": (Decimal(94), "C"),
        "engineer2": (Decimal(93), "D"),
        "engineer3": (Decimal(95), "C"),
    }
    _every_place_agrees(client, hr, period, v2, forms, expected_forced)


def _every_place_agrees(
    client,
    hr,
    period: Period,
    version: CloseVersion,
    forms: dict[str, Appraisal],
    expected_forced: dict[str, tuple[Decimal, str]],
) -> None:
    """R-3.1 / R-7.1: the page, the API, the pay line, the .xlsx and archived_scores agree."""
    lines = {
        line.employee_id: line
        for line in CloseLine.objects.filter(version=version).select_related("employee")
    }
    sheet = _xlsx_rows(client, hr, version)
    scores = archived_scores(since=Month(YEAR, MONTH), until=Month(YEAR, MONTH))
    month = Month(YEAR, MONTH)
    seen = []
    for username, appraisal in forms.items():
        employee = appraisal.employee
        line = lines[employee.pk]
        final, grade = line.final_score, line.grade
        assert final is not None and grade, username
        if username in expected_forced:
            assert (final, grade) == expected_forced[username], username
        else:
            assert grade == _absolute(final), username  # for the absolute forms

        html = _page(client, employee.user, appraisal.pk)
        assert Decimal(text_of(html, "final-score")) == final, username
        assert text_of(html, "grade").split()[0] == grade, username
        assert text_of(html, "close-out-of-date") is None, username

        for viewer in (employee.user, hr):
            body = _api_detail(client, viewer, appraisal.pk)
            assert Decimal(body["final_score"]) == final, username
            assert (body["grade"], body["grade_pending"], body["closed"]) == (grade, False, True), username
            assert body["close_out_of_date"] is False, username
            assert body["grade_explanation"] == line.grade_explanation, username

        assert sheet[employee.name] == (final, grade), username
        assert scores[employee.pk][month] == final, username
        seen.append(username)
    assert len(seen) == 12
    ranks = {u: lines[forms[u].employee.pk].grade_rank for u in expected_forced}
    assert ranks == {"engineer3": 1, "engineer": 2, "engineer2": 3}
