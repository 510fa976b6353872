"""The interview pages and API: recording through the form, the audit page, training, query counts."""

import subprocess
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftersales.interviews.models import Interview, TrainingRequest, TrainingStatus
from tests.interviews.helpers import TRAINING, fields, record, user

pytestmark = pytest.mark.django_db


def _post_data(**extra):
    data = {key: "" if value is None else str(value) for key, value in fields().items()}
    data.update({"items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0"})
    data.update(extra)
    return data


def test_r_4_4_the_supervisor_records_an_interview_through_the_form(client, org):
    client.force_login(user("regional"))
    engineer = user("engineer").employee
    data = _post_data(
        **{"items-0-strengths_or_problems": "月报拖延", "items-2-phase_goals": "按时", **TRAINING}
    )
    response = client.post(reverse("interviews:create", args=[engineer.pk]), data)
    interview = Interview.objects.get(employee=engineer)
    assert response.url == reverse("interviews:detail", args=[interview.pk])
    assert [item.number for item in interview.items.all()] == [1, 2]
    assert TrainingRequest.objects.get().interview == interview


def test_the_form_shows_what_is_wrong_and_saves_nothing(client, org):
    client.force_login(user("regional"))
    engineer = user("engineer").employee
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(reverse("interviews:create", args=[engineer.pk]), _post_data(held_on=tomorrow))
    assert response.status_code == 200
    assert "面谈日期不能晚于今天" in response.content.decode()
    assert not Interview.objects.exists()


def test_the_index_shows_the_supervisors_reports_still_to_interview(client, org):
    record("engineer")
    client.force_login(user("regional"))
    page = client.get(reverse("interviews:index")).content.decode()
    assert page.count(">已面谈<") == 1 and page.count(">待面谈<") == 2


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("hr", "interviews:index"),
        ("head", "interviews:index"),
        ("hr", "interviews:training-list"),
        ("hr", "interviews:audit"),
        ("hr", "api-interviews:interview-list"),
        ("hr", "api-interviews:training-request-list"),
        ("regional", "api-interviews:interview-list"),
    ],
)
def test_list_queries_do_not_grow_with_rows(client, org, username, url):
    """Session, user, groups (role check), employee, headed departments, count, page of rows with
    their employee/supervisor/position/department/request joined (+ one prefetch of items)."""
    client.force_login(user(username))
    record("engineer", **TRAINING)
    few = _queries(client, reverse(url))
    for employee in ("engineer2", "engineer3"):
        for days in range(3):
            record(employee, held_on=timezone.localdate() - timedelta(days=days), **TRAINING)
    assert _queries(client, reverse(url)) == few


def test_r_4_4_the_audit_page_lists_the_missing_per_supervisor_and_hr_flags_them(client, org):
    client.force_login(user("hr"))
    record("engineer", held_on=date(2026, 3, 5))
    page = client.get(reverse("interviews:audit"), {"year": 2026, "block": 2}).content.decode()
    assert "孙涛" in page and "赵磊" not in page and 'id="audit-flag"' in page
    response = client.post(reverse("interviews:audit-flag"), {"year": 2026, "month": 4}, follow=True)
    assert "缺少面谈" in response.content.decode()


def test_r_7_5_hr_plans_and_closes_a_training_on_its_page(client, org):
    request = record("engineer", **TRAINING).training_request
    client.force_login(user("hr"))
    client.post(
        reverse("interviews:training-plan", args=[request.pk]), {"planned_on": "2026-12-10", "plan": "内训"}
    )
    client.post(reverse("interviews:training-close", args=[request.pk]), {"actual_effect": "已掌握"})
    request.refresh_from_db()
    assert (request.status, str(request.planned_on), request.actual_effect) == (
        TrainingStatus.DONE,
        "2026-12-10",
        "已掌握",
    )


def test_r_7_5_the_employee_sees_their_own_requests_only(client, org):
    record("engineer", **TRAINING)
    record("engineer2", **{**TRAINING, "training_content": "液压系统"})
    client.force_login(user("engineer"))
    page = client.get(reverse("interviews:training-list")).content.decode()
    assert TRAINING["training_content"] in page and "液压系统" not in page


def test_the_interview_pdf_is_form_4_6_in_chinese(client, org, tmp_path):
    interview = record("engineer", **TRAINING)
    client.force_login(user("engineer"))
    response = client.get(reverse("interviews:pdf", args=[interview.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    path = tmp_path / "interview.pdf"
    path.write_bytes(response.content)
    extracted = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("员工绩效面谈记录表", "赵磊", "陈刚", TRAINING["training_content"], "直接主管签字"):
        assert expected in extracted


def test_the_api_shows_an_interview_with_its_items(client, org):
    interview = record("engineer", **TRAINING)
    client.force_login(user("head"))
    data = client.get(reverse("api-interviews:interview-detail", args=[interview.pk])).json()
    assert data["employee"]["name"] == "赵磊" and data["supervisor"]["name"] == "陈刚"
    assert [item["number"] for item in data["items"]] == [1]
    assert data["training_request"] == interview.training_request.pk


def test_a_refused_flagging_answers_on_the_audit_page_with_the_reason(client, org):
    """Issue 11: a refused step answers in place (400) with its reason, not a redirect."""
    client.force_login(user("hr"))
    response = client.post(reverse("interviews:audit-flag"), {"year": 2026, "month": 3})
    assert response.status_code == 400 and 'id="refusal"' in response.content.decode()
    assert "两个月周期的第二个月末" in response.content.decode()
    response = client.post(reverse("interviews:audit-flag"), {"year": "x", "month": 3})
    assert response.status_code == 400 and "年份或月份不正确" in response.content.decode()
