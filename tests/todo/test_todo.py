"""One to-do list per person, bulk actions, reminders that end with their task (issue 11)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.appraisal import services
from aftersales.appraisal.models import Appraisal, Notification, State, Transition
from aftersales.appraisal.notifications import unread_for
from aftersales.discipline.models import DisciplineRecord
from aftersales.discipline.models import Status as DisciplineStatus
from aftersales.organisation.models import Department
from aftersales.todo.tasks import count_for, groups_for
from tests.appraisal.helpers import PERSONA_USERS, advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(personas):
    users = get_user_model().objects.in_bulk(list(PERSONA_USERS.values()), field_name="username")
    return {persona: users[username] for persona, username in PERSONA_USERS.items()}


@pytest.fixture
def month(people):
    """A month of 售后服务部 opened by HR: every appraised employee's form in draft."""
    period = services.period_open(
        actor=people["hr"], department=Department.objects.get(code="as"), year=2025, month=1
    )
    return list(Appraisal.objects.filter(period=period).select_related("employee__user"))


def _group(user, key):
    return next((group for group in groups_for(user) if group.key == key), None)


def _post(client, key, **data):
    return client.post(reverse("todo:bulk", args=[key]), data)


def test_r_4_1_the_head_reviews_many_forms_with_one_confirmation(client, people, month):
    forms = [advance(form, State.SCORED) for form in month[:3]]
    head = people["head"]
    review = _group(head, "review")
    assert {task.pk for task in review.tasks} >= {form.pk for form in forms} and review.bulk
    client.force_login(head)

    pks = [form.pk for form in forms]
    confirm = _post(client, "appraisal-review", pk=pks).content.decode()
    assert 'id="bulk-confirm"' in confirm and forms[0].employee.name in confirm
    assert Appraisal.objects.filter(pk__in=pks, state=State.SCORED).count() == 3  # nothing yet

    result = _post(client, "appraisal-review", pk=pks, confirm="1").content.decode()
    assert result.count('data-done="1"') == 3
    assert Appraisal.objects.filter(pk__in=pks, state=State.REVIEWED).count() == 3
    # audited as the single action is: one step each, by the head
    steps = Transition.objects.filter(appraisal_id__in=pks, to_state=State.REVIEWED)
    assert sorted(steps.values_list("actor__username", flat=True)) == ["head"] * 3
    # gone from the list the moment it is done
    assert not {task.pk for task in _group(head, "review").tasks} & set(pks)


def test_a_row_done_meanwhile_or_not_ones_own_is_refused_and_the_others_go_on(client, people, month):
    first, second = (advance(form, State.SCORED) for form in month[:2])
    client.force_login(people["head"])
    services.appraisal_review(appraisal=first, actor=people["head"])  # in another tab, before confirming
    result = _post(client, "appraisal-review", pk=[first.pk, second.pk], confirm="1").content.decode()
    assert f'data-pk="{first.pk}" data-done="0"' in result and "已不在您的待办中" in result
    assert f'data-pk="{second.pk}" data-done="1"' in result
    second.refresh_from_db()
    assert second.state == State.REVIEWED


def test_r_1_1_a_bulk_action_reaches_nothing_outside_ones_own_list(client, people, month):
    """The employee posts HR's archive action on a confirmed form: refused, unnamed, unchanged."""
    form = advance(month[0], State.CONFIRMED)
    client.force_login(people["employee"])
    confirm = _post(client, "appraisal-archive", pk=[form.pk])
    assert confirm.status_code == 400  # nothing of one's own list selected: refused in place
    text = confirm.content.decode()
    assert 'id="bulk-nothing"' in text and form.employee.name not in text
    result = _post(client, "appraisal-archive", pk=[form.pk], confirm="1").content.decode()
    assert 'data-done="0"' in result and form.employee.name not in result
    form.refresh_from_db()
    assert form.state == State.CONFIRMED


def test_nothing_selected_is_refused_in_place(client, people, month):
    """No row ticked, at the confirmation or at the confirmed step: 400 with the reason, nothing done."""
    client.force_login(people["hr"])
    for data in ({}, {"confirm": "1"}):
        response = _post(client, "appraisal-archive", **data)
        assert response.status_code == 400
        assert "没有选择任何一项" in response.content.decode()


def test_hr_archives_all_that_are_ready(client, people, month):
    confirmed = [advance(form, State.CONFIRMED) for form in month[:3]]
    client.force_login(people["hr"])
    ready = {task.pk for task in _group(people["hr"], "archive").tasks}
    assert ready >= {form.pk for form in confirmed}
    page = _post(client, "appraisal-archive", all="1").content.decode()
    assert page.count('name="pk"') == len(ready)
    hidden = [int(pk) for pk in ready]
    _post(client, "appraisal-archive", pk=hidden, confirm="1")
    assert not Appraisal.objects.filter(pk__in=hidden).exclude(state=State.ARCHIVED).exists()
    assert _group(people["hr"], "archive").count == 0


def test_discipline_proposals_wait_for_the_head_and_are_approved_in_bulk(client, people, month):
    from aftersales.discipline import services as discipline_services
    from aftersales.discipline.models import Kind, RewardReason

    reason = RewardReason.objects.filter(suggested_kind=Kind.COMMENDATION).first()
    employees = [form.employee for form in month[:2]]
    records = [
        discipline_services.record_propose(
            employee=employee,
            kind=Kind.COMMENDATION,
            reason=reason,
            reason_text="用户来信表扬",
            effective_date=month[0].period.as_month.start.date(),
            actor=people["hr"],
        )
        for employee in employees
    ]
    head = people["head"]
    group = _group(head, "discipline")
    assert {task.pk for task in group.tasks} >= {record.pk for record in records}
    client.force_login(head)
    _post(client, "discipline-approve", pk=[r.pk for r in records], confirm="1")
    assert (
        DisciplineRecord.objects.filter(
            pk__in=[r.pk for r in records], status=DisciplineStatus.APPROVED
        ).count()
        == 2
    )
    assert not {task.pk for task in _group(head, "discipline").tasks} & {r.pk for r in records}


def test_the_menu_count_and_the_page_agree(client, people, month):
    advance(month[0], State.SCORED)
    head = people["head"]
    client.force_login(head)
    count = client.get(reverse("todo:count")).content.decode()
    assert f'data-count="{count_for(head)}"' in count and count_for(head) >= 1
    page = client.get(reverse("todo:index")).content.decode()
    assert f'id="todo-total">{count_for(head)}<' in page


def test_reminders_end_with_their_step(people, month):
    """A notice of a step is gone once the step is taken (HR no longer keeps "待归档" for forms
    already archived)."""
    form = advance(month[0], State.CONFIRMED)
    Notification.objects.create(
        recipient=people["hr"], appraisal=form, kind="step:confirmed", message="待归档"
    )
    Notification.objects.create(
        recipient=people["hr"], appraisal=form, kind="remind", message="【提醒】待归档"
    )
    assert {n.message for n in unread_for(people["hr"])} >= {"待归档", "【提醒】待归档"}
    services.appraisal_archive(appraisal=form, actor=people["hr"])
    assert not {n.message for n in unread_for(people["hr"])} & {"待归档", "【提醒】待归档"}


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["hr", "head", "supervisor", "employee"])
def test_the_to_do_page_takes_a_fixed_number_of_queries(client, people, persona):
    from tests.appraisal.test_queries import _add_months

    client.force_login(people[persona])
    _add_months(2, 0, people["hr"], State.CONFIRMED)
    few = _queries(client, reverse("todo:index"))
    _add_months(12, 2, people["hr"], State.CONFIRMED)
    assert _queries(client, reverse("todo:index")) == few
    assert _queries(client, reverse("todo:count")) <= few


def test_an_order_dispatched_to_the_engineer_is_on_his_list(people):
    from aftersales.service import services
    from aftersales.service.models import Assignment, OrderStatus
    from tests.service.conftest import order_request

    engineer = people["employee"]
    order = services.order_receive(
        request=order_request(), actor=get_user_model().objects.get(username="dispatcher")
    )
    staff = [engineer.employee]
    services.order_dispatch(order=order, actor=order.created_by, engineers=staff, in_charge=staff[0])
    sent = Assignment.objects.filter(engineer__user=engineer, order__status=OrderStatus.DISPATCHED)
    group = _group(engineer, "orders")
    assert group is not None
    assert group.count == sent.count()


def test_field_records_wait_for_the_leader_until_the_act_is_taken(people):
    """Issue 13: a routine report to review is on the leader's list, never on the employee's own (R-4.1),
    and gone once reviewed."""
    from aftersales.service import record_services as acts

    report = acts.routine_report_submit(
        actor=people["employee"], kind="quality_notice", year=2019, month=3, content="通报"
    )

    def waiting(user):
        group = _group(user, "field-records")
        return (
            []
            if group is None
            else [t for t in group.tasks if t.subject == f"例行报告 · {report.employee.name}"]
        )

    assert len(waiting(people["supervisor"])) == 1 and not waiting(people["employee"])
    acts.routine_report_review(report=report, actor=people["supervisor"], verdict="qualified")
    assert not waiting(people["supervisor"])
