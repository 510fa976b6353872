"""The pages of the cycle: the form as posted, the running total (htmx), filters, messages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.appraisal.models import Agreement, Appraisal, Period, State
from aftersales.organisation.models import Department
from tests.appraisal.helpers import advance

pytestmark = pytest.mark.django_db


def _url(name: str, pk: int) -> str:
    return reverse(f"appraisal:{name}", kwargs={"pk": pk})


def test_the_running_total_follows_the_form(client, people, appraisal):
    advance(appraisal, State.SELF_REPORTED)
    client.force_login(people["supervisor"])
    posted = {
        "work_arrangement": ["leave_post"],
        "information_transfer-group-phone_off": "phone_off_occasional",
    }
    html = client.post(_url("preview", appraisal.pk), posted, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="final-score"' in html and ">72<" in html  # 100 − 25 − 3
    assert 'id="score-work_arrangement" class="fw-bold section-score" hx-swap-oob="true">0<' in html
    assert "非常杰出" not in html and "合格" not in html and "良好" in html  # grade C


def test_an_invalid_form_comes_back_with_what_was_entered(client, people, period):
    support = Appraisal.objects.get(period=period, employee__user__username="support")
    advance(support, State.SELF_REPORTED)
    client.force_login(support.employee.supervisor.user)
    posted = {
        "monthly_goals-score": ["30", "20", "20"],
        "complaint_handling-item": "within_3_days",
        "complaint_handling-score": "9",  # outside 6–8
        "website_maintenance-item": "within_1_day",
        "document_maintenance-item": "timely",
    }
    response = client.post(_url("score", support.pk), posted)
    assert response.status_code == 400
    html = response.content.decode()
    assert "客户投诉处理：must be between 6 and 8" in html
    assert 'value="9"' in html  # kept
    support.refresh_from_db()
    assert support.state == State.SELF_REPORTED
    posted["complaint_handling-score"] = "7"
    assert client.post(_url("score", support.pk), posted).status_code == 302
    support.refresh_from_db()
    assert (support.final_score, support.grade) == (97, "A")  # 70 + 7 + 10 + 10


def test_self_report_on_the_page_with_goals(client, people, period):
    improver = Appraisal.objects.get(period=period, employee__user__username="improver")
    client.force_login(improver.employee.user)
    posted = {
        "summary": "完成技改方案",
        "goal-completion": ["100%", "80%", "完成"],
        "goal-self": ["按期", "部分延期", "已验收"],
        "self-work_compliance": "服从安排",
    }
    assert client.post(_url("self-report", improver.pk), posted).status_code == 302
    improver.refresh_from_db()
    assert improver.self_report == {"summary": "完成技改方案", "sections": {"work_compliance": "服从安排"}}
    goals = Agreement.objects.get(period=period, employee=improver.employee).goals.all()
    assert [g.completion for g in goals] == ["100%", "80%", "完成"]


def test_an_impossible_step_is_a_message_not_an_error(client, people, appraisal):
    client.force_login(people["employee"])
    response = client.post(_url("confirm", appraisal.pk), follow=True)
    assert "不能执行此操作" in response.content.decode()


def test_the_employee_opening_the_result_starts_the_windows(client, people, appraisal):
    advance(appraisal, State.REVIEWED)
    client.force_login(people["supervisor"])
    client.get(_url("detail", appraisal.pk))
    appraisal.refresh_from_db()
    assert appraisal.seen_at is None
    client.force_login(people["employee"])
    html = client.get(_url("detail", appraisal.pk)).content.decode()
    appraisal.refresh_from_db()
    assert appraisal.seen_at is not None
    assert 'id="confirm-submit"' in html and 'id="appeal-submit"' in html and 'id="score-submit"' not in html


def test_index_filters(client, people, period):
    advance(Appraisal.objects.get(period=period, employee__user__username="engineer"), State.SELF_REPORTED)
    client.force_login(people["hr"])
    page = client.get(reverse("appraisal:index"), {"period": period.pk, "state": "self_reported"})
    assert [a.employee.name for a in page.context["page_obj"]] == ["赵磊"]
    overdue = client.get(reverse("appraisal:index"), {"period": period.pk, "overdue": "1"})
    assert overdue.context["page_obj"].paginator.count == 12  # January 2025 is long past


def test_hr_opens_a_period_on_the_page(client, people):
    client.force_login(people["hr"])
    data = {"department": Department.objects.get(code="as").pk, "year": 2025, "month": 3}
    data |= {"agreement_day": 10, "review_day": 12, "archive_day": 22}
    response = client.post(reverse("appraisal:period-open"), data)
    period = Period.objects.get(year=2025, month=3)
    assert response.url.endswith(f"?period={period.pk}")
    assert period.review_deadline.isoformat() == "2025-04-12"
    again = client.post(reverse("appraisal:period-open"), data)
    assert again.status_code == 200 and "已开启" in again.content.decode()


def test_agreement_page_saves_goals_and_signs(client, people, period):
    agreement = Agreement.objects.get(period=period, employee__user__username="improver")
    client.force_login(agreement.employee.supervisor.user)
    goals = {"title": ["技改方案", "现场验证", ""], "weight": ["40", "20", ""]}
    client.post(_url("agreement-save", agreement.pk), goals)
    assert [g.title for g in agreement.goals.all()] == ["技改方案", "现场验证"]
    client.post(_url("agreement-sign", agreement.pk))
    client.force_login(agreement.employee.user)
    client.post(_url("agreement-sign", agreement.pk))
    agreement.refresh_from_db()
    assert agreement.is_signed
    html = client.get(_url("agreement", agreement.pk)).content.decode()
    assert 'id="agreement-form"' not in html  # fixed once signed


def test_history_page_shows_each_step_and_the_form_then(client, people, appraisal):
    advance(appraisal, State.RETURNED)
    client.force_login(people["employee"])
    html = client.get(_url("history", appraisal.pk)).content.decode()
    assert html.count('class="card mb-2 history-step"') == 4
    assert "请核实" in html and "陈刚" in html and "王建国" in html


def test_scoring_before_the_month_is_over_shows_a_warning(client, people, period):
    """SPEC §4: scoring comes after the month M; a supervisor who starts while M runs is warned that
    the rest of the month (work, discipline, repair jobs) is not in yet. A past month: no warning."""
    from django.utils import timezone

    from aftersales.appraisal import services

    today = timezone.localdate()
    running = services.period_open(
        actor=people["hr"], department=Department.objects.get(code="as"), year=today.year, month=today.month
    )
    client.force_login(people["supervisor"])
    for open_period, warned in ((running, True), (period, False)):
        appraisal = Appraisal.objects.get(period=open_period, employee__user__username="engineer")
        services.appraisal_self_report(appraisal=appraisal, actor=people["employee"], summary="完成")
        page = client.get(reverse("appraisal:detail", args=[appraisal.pk])).content.decode()
        assert ('id="month-running"' in page) is warned
        assert 'id="score-form"' in page


def test_the_period_list_is_newest_first_then_by_department(client, people):
    """Periods created out of order (as HR may open a forgotten month late) list newest month first."""
    import re

    from aftersales.appraisal.models import Period

    departments = [Department.objects.get(code="as"), Department.objects.exclude(code="as").first()]
    for year, month, department in [(2023, 3, 0), (2024, 5, 1), (2023, 11, 0), (2024, 5, 0), (2023, 12, 1)]:
        Period.objects.create(
            department=departments[department], year=year, month=month, opened_by=people["hr"]
        )
    client.force_login(people["hr"])
    for year in (2024, 2023):  # the page shows one year at a time (issue 11)
        html = client.get(reverse("appraisal:period-list"), {"year": year}).content.decode()
        listed = [pk for pk in map(int, re.findall(r"\?period=(\d+)\"", html))]
        ordered = [
            p.pk
            for p in sorted(
                Period.objects.filter(year=year), key=lambda p: (-p.year, -p.month, p.department.code, p.pk)
            )
        ]
        assert listed == ordered and len(listed) >= 2
