"""述职 (R-7.3, R-7.4; issue 13 item 3): a case that calls for a work report carries the report and its
outcome, recorded by HR, shown on the case page and in the API, every version in the history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from aftersales.results import services
from aftersales.results.models import CaseKind, ResultCase

pytestmark = pytest.mark.django_db


def _case(employee, kind=CaseKind.WORK_REPORT, month=None) -> ResultCase:
    return ResultCase.objects.create(employee=employee, kind=kind, year=2018, month=month, facts={})


def _record(case, actor, **changes):
    data = {
        "date": date(2019, 1, 20),
        "text": "全年工作回顾与改进计划",
        "outcome": "failed",
        "note": "述职仍不合格",
    }
    return services.case_record_work_report(case=case, actor=actor, **(data | changes))


@pytest.mark.parametrize(("kind", "month"), [(CaseKind.WORK_REPORT, None), (CaseKind.UNQUALIFIED, 6)])
def test_r7_3_r7_4_hr_records_the_work_report_and_its_outcome(hr, engineer, kind, month):
    case = _record(_case(engineer, kind, month), hr)
    case.refresh_from_db()
    assert (case.report_date, case.report_outcome, case.report_recorded_by) == (
        date(2019, 1, 20),
        "failed",
        hr,
    )
    assert case.get_report_outcome_display() == "述职不合格" and case.has_work_report
    last = case.history.latest("history_date")
    assert (last.history_user, last.report_outcome) == (hr, "failed")


def test_a_correction_keeps_the_earlier_version(hr, engineer):
    case = _record(_case(engineer), hr)
    case = _record(case, hr, outcome="passed", note="补充材料后合格")
    outcomes = [h.report_outcome for h in case.history.order_by("history_date")]
    assert outcomes[-2:] == ["failed", "passed"]


def test_only_cases_of_r7_3_and_r7_4_take_a_work_report(hr, engineer):
    with pytest.raises(ValidationError):
        _record(_case(engineer, CaseKind.PROMOTION_CANDIDATE), hr)


@pytest.mark.parametrize("persona", ["employee", "supervisor", "head", "outsider"])
def test_only_hr_records_it(world, engineer, persona):
    with pytest.raises(PermissionDenied):
        _record(_case(engineer), world.users[persona])


def test_nobody_records_their_own_and_the_report_needs_text_and_a_past_date(hr, world):
    with pytest.raises(PermissionDenied):
        _record(_case(world.employees["hr"]), hr)
    other = _case(world.employees["employee"])
    with pytest.raises(ValidationError) as refused:
        _record(other, hr, text=" ", date=timezone.localdate() + timedelta(days=1))
    assert set(refused.value.message_dict) == {"text", "date"}


def test_the_case_page_shows_the_report_and_hr_records_it_there(client, hr, engineer, world):
    case = _case(engineer)
    url = reverse("results:case-detail", args=[case.pk])
    client.force_login(hr)
    page = client.get(url).content.decode()
    assert "必须述职,尚未记录" in page and 'id="work-report-form"' in page
    answer = client.post(
        reverse("results:case-work-report", args=[case.pk]),
        {"date": "2019-01-20", "text": "全年回顾", "outcome": "passed", "note": ""},
    )
    assert answer.status_code == 302
    client.force_login(world.users["employee"])  # the employee sees the outcome, not the form
    page = client.get(url).content.decode()
    assert "述职合格" in page and "全年回顾" in page and 'id="work-report-form"' not in page


def test_a_refused_report_keeps_what_was_typed(client, hr, engineer):
    case = _case(engineer)
    client.force_login(hr)
    answer = client.post(
        reverse("results:case-work-report", args=[case.pk]),
        {"date": "2019-02-30", "text": "全年回顾", "outcome": "passed", "note": "评议"},
    )
    assert answer.status_code == 200 and "全年回顾" in answer.content.decode()
    assert set(answer.context["report_form"].errors) == {"date"}


def test_the_api_carries_the_report_and_records_it(client, hr, engineer):
    case = _case(engineer)
    client.force_login(hr)
    url = reverse("api-results:case-detail", args=[case.pk])
    assert client.get(url).json()["work_report"] is None and client.get(url).json()["needs_work_report"]
    answer = client.post(
        reverse("api-results:case-work-report", args=[case.pk]),
        {"date": "2019-01-20", "text": "全年回顾", "outcome": "failed"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    report = answer.json()["work_report"]
    assert (report["outcome"], report["outcome_display"], report["recorded_by"]) == (
        "failed",
        "述职不合格",
        "hr",
    )
