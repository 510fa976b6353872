"""R-3.1 "one truth" on the appraisal's side, before the month is closed: the discipline component
beside the form is the month's points approved so far, whenever approved; a forced-distribution form
has no grade until the close; the employee is told when the month's result moves.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from aftersales.appraisal import services
from aftersales.appraisal.models import Appraisal, Notification, State
from aftersales.appraisal.outcome import result_of
from aftersales.discipline import services as discipline
from aftersales.organisation.models import Department, Employee
from tests.appraisal.helpers import advance

pytestmark = pytest.mark.django_db


def _approved(people, kind: str, day: date):
    engineer = Employee.objects.get(user=people["employee"])
    record = discipline.record_propose(
        employee=engineer, kind=kind, effective_date=day, actor=people["supervisor"], reason_text="测试"
    )
    return discipline.record_approve(record=record, actor=people["head"])


def test_r_3_1_a_record_approved_before_the_period_opened_reaches_the_form(people):
    """R-3.1: approved before HR opened the month, the points still count on the form and are
    stored with the scoring."""
    _approved(people, "demerit", date(2025, 1, 8))
    period = services.period_open(
        actor=people["hr"], department=Department.objects.get(code="as"), year=2025, month=1
    )
    form = Appraisal.objects.get(period=period, employee__user=people["employee"])
    assert result_of(form).discipline_points == Decimal(-3)
    advance(form, State.SCORED)
    form.refresh_from_db()
    assert form.discipline_points == Decimal(-3)
    assert form.final_score == form.form_total - 3 == result_of(form).final_score


def test_r_3_1_a_record_approved_after_confirmation_shows_beside_the_unchanged_form(
    people, appraisal, client
):
    """R-3.1: approved after the form was confirmed, the record changes the month's final score
    beside the form (the form's scored content is unchanged) and the employee is told."""
    advance(appraisal, State.CONFIRMED)
    appraisal.refresh_from_db()
    total, entries = appraisal.form_total, appraisal.entries
    before = result_of(appraisal).final_score
    _approved(people, "merit", date(2025, 1, 20))
    appraisal.refresh_from_db()
    assert (appraisal.form_total, appraisal.entries, appraisal.state) == (total, entries, State.CONFIRMED)
    after = result_of(appraisal)
    assert after.discipline_points == Decimal(3) and after.final_score == min(before + 3, Decimal(100))
    notice = Notification.objects.get(recipient=people["employee"], kind="result:discipline")
    assert str(after.final_score) in notice.message
    client.force_login(people["employee"])
    page = client.get(reverse("appraisal:detail", args=[appraisal.pk])).content.decode()
    shown = re.search(r'id="final-score">([^<]*)<', page).group(1).strip()
    assert Decimal(shown) == after.final_score
    assert 'id="grade-pending"' in page and "结算时确定" in page  # field service: forced


def test_r_3_1_the_api_says_the_grade_waits_for_the_close(people, appraisal, client):
    """R-3.1/R-3.3: the API's grade of a forced-distribution form is empty and pending until the close."""
    advance(appraisal, State.SCORED)
    client.force_login(people["hr"])
    data = client.get(f"/api/appraisal/appraisals/{appraisal.pk}/").json()
    assert data["grade"] == "" and data["grade_pending"] is True and data["closed"] is False
    assert Decimal(data["final_score"]) == result_of(appraisal).final_score
