"""Separation of duties on the appraisal cycle (R-4.1): nobody takes a step on their own form other
than the self-report and the confirmation or appeal; such a step passes on as R-4.1 says.

The personas' head 王建国 heads 售后服务部 alone; HR 马丽 is the only HR user (the ``admin`` superuser
holds every role). Here the head is given a direct supervisor 总监 in a department 营销中心 headed
by 副总 (so he gets a form), and 马丽 a supervisor 主任 (so she gets one).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from aftersales.appraisal import services
from aftersales.appraisal.models import Appraisal, State, Transition
from aftersales.appraisal.notifications import responsible_users
from aftersales.appraisal.permissions import OWN_STEPS, STEPS, may_take
from aftersales.organisation import roles
from aftersales.organisation.models import Category, Department, Employee, Position
from tests.appraisal.helpers import entries_for, file_appeal

pytestmark = pytest.mark.django_db

User = get_user_model()


def _person(username: str, number: str, name: str, department: Department, supervisor=None) -> Employee:
    user = User.objects.create(username=username, first_name=name)
    return Employee.objects.create(
        number=number,
        name=name,
        user=user,
        department=department,
        position=Position.objects.get(code="tech_lead"),
        category=Category.TECH_SUPPORT,
        supervisor=supervisor,
        standard_salary=Decimal("8000"),
        active_from=date(2020, 1, 1),
    )


@pytest.fixture
def world(personas):
    centre = Department.objects.create(code="centre", name="营销中心")
    deputy = _person("deputy", "C001", "副总", centre)
    centre.head = deputy
    centre.save(update_fields=["head"])
    director = _person("director", "C002", "总监", centre, supervisor=deputy)
    head = Employee.objects.get(user__username="head")
    head.supervisor = director
    head.save(update_fields=["supervisor"])
    hr = Employee.objects.get(user__username="hr")
    hr.supervisor = _person("chief", "C003", "主任", Department.objects.get(code="hrd"))
    hr.save(update_fields=["supervisor"])
    users = User.objects.in_bulk(
        ["head", "hr", "admin", "deputy", "director", "chief"], field_name="username"
    )
    return users


def _open(users, code: str) -> None:
    services.period_open(actor=users["hr"], department=Department.objects.get(code=code), year=2025, month=1)


def _form_of(username: str) -> Appraisal:
    return Appraisal.objects.get(employee__user__username=username, is_current=True)


def _scored(users, username: str, scorer: str) -> Appraisal:
    appraisal = _form_of(username)
    services.appraisal_self_report(appraisal=appraisal, actor=users[username], summary="完成")
    services.appraisal_score(appraisal=appraisal, actor=users[scorer], entries=entries_for(appraisal))
    return appraisal


def test_r_4_1_the_head_cannot_review_or_return_his_own_form(world):
    """R-4.1: the head is the only head of his department; review and return of his own form are
    refused to him (403 through the page too) and pass on: his supervisor scored it, so to the head
    of the supervisor's department (副总) or an admin — the scorer himself may not."""
    _open(world, "as")
    form = _scored(world, "head", "director")
    for action in ("review", "return"):
        assert not may_take(world["head"], form, action)
        assert not may_take(world["director"], form, action)  # he scored it
        assert may_take(world["deputy"], form, action)
        assert may_take(world["admin"], form, action)
    with pytest.raises(PermissionDenied):
        services.appraisal_review(appraisal=form, actor=world["head"])
    with pytest.raises(PermissionDenied):
        services.appraisal_return(appraisal=form, actor=world["head"], comment="自己退回")
    with pytest.raises(PermissionDenied):
        services.appraisal_review(appraisal=form, actor=world["director"])
    assert {u.username for u in responsible_users(form)} == {"deputy", "admin"}
    services.appraisal_review(appraisal=form, actor=world["deputy"], comment="代审")
    step = Transition.objects.filter(appraisal=form, to_state=State.REVIEWED).get()
    assert step.actor == world["deputy"] and "部门负责人代办" in step.on_behalf


def test_r_4_1_a_refused_step_answers_403_on_the_page_and_the_api(world, client):
    """R-4.1 through the public interfaces: the head's own review is a 403 on the page and the API."""
    _open(world, "as")
    form = _scored(world, "head", "director")
    client.force_login(world["head"])
    assert client.post(reverse("appraisal:review", args=[form.pk])).status_code == 403
    response = client.post(
        f"/api/appraisal/appraisals/{form.pk}/review/", {}, content_type="application/json"
    )
    assert response.status_code == 403
    form.refresh_from_db()
    assert form.state == State.SCORED
    page = client.get(reverse("appraisal:detail", args=[form.pk]))
    assert 'id="waiting-on"' in page.content.decode() and "副总" in page.content.decode()


def test_r_4_1_the_stand_in_sees_the_form_passed_on_to_him(world, client):
    """R-4.1: the head of the scorer's department reaches the form that passed on to him (not 404)
    and finds it on his dashboard."""
    _open(world, "as")
    form = _scored(world, "head", "director")
    client.force_login(world["deputy"])
    assert client.get(reverse("appraisal:detail", args=[form.pk])).status_code == 200
    assert client.post(reverse("appraisal:review", args=[form.pk])).status_code == 302
    form.refresh_from_db()
    assert form.state == State.REVIEWED


def test_r_4_1_when_the_supervisor_did_not_score_he_stands_in(world):
    """R-4.1: where no other head exists and the direct supervisor did not score the form (HR
    corrected it after an upheld appeal), the direct supervisor stands in."""
    _open(world, "as")
    form = _scored(world, "head", "director")
    Transition.objects.filter(appraisal=form, to_state=State.SCORED).update(actor=world["admin"])
    fresh = Appraisal.objects.get(pk=form.pk)
    assert may_take(world["director"], fresh, "review")
    assert not may_take(world["deputy"], fresh, "review")
    assert [u.username for u in responsible_users(fresh)] == ["director"]


def test_r_4_1_hr_cannot_decide_her_own_appeal_nor_archive_her_own_form(world):
    """R-4.1: HR's own appeal decision and archive pass to another HR holder (here the admin, who
    holds every role; then a second HR user)."""
    _open(world, "hrd")
    form = _scored(world, "hr", "chief")
    services.appraisal_review(appraisal=form, actor=world["admin"])  # 综合管理部 has no head
    appeal = file_appeal(form, world["hr"])
    assert not may_take(world["hr"], form, "decide_appeal")
    with pytest.raises(PermissionDenied):
        services.appeal_decide(appeal=appeal, actor=world["hr"], upheld=False, minutes="自己驳回")
    second = User.objects.create(username="hr2")
    second.groups.add(Group.objects.get(name=roles.HR))
    services.appeal_decide(appeal=appeal, actor=second, upheld=False, minutes="维持原结果")
    form.refresh_from_db()
    services.appraisal_confirm(appraisal=form, actor=world["hr"])
    with pytest.raises(PermissionDenied):
        services.appraisal_archive(appraisal=form, actor=world["hr"])
    services.appraisal_archive(appraisal=form, actor=second)
    form.refresh_from_db()
    assert form.state == State.ARCHIVED


@pytest.mark.parametrize("action", sorted(set(STEPS) - OWN_STEPS))
def test_r_4_1_every_step_not_ones_own_is_refused_to_the_appraised_person(world, action):
    """R-4.1, every action: the appraised person holding the step's role (head, HR, and — as a data
    slip — their own supervisor) is refused it in the step's own starting state."""
    _open(world, "as")
    head = Employee.objects.get(user__username="head")
    actor = world["head"]
    actor.groups.add(Group.objects.get(name=roles.HR))  # holds every role of the cycle
    form = _form_of("head")
    state = sorted(STEPS[action].states)[0]
    Appraisal.objects.filter(pk=form.pk).update(state=state, entries=form.entries)
    form = Appraisal.objects.get(pk=form.pk)
    if action in ("score", "confirm_by_email"):
        Employee.objects.filter(pk=head.pk).update(supervisor=head)  # he appears as his own supervisor
        form = Appraisal.objects.select_related("employee").get(pk=form.pk)
    assert not may_take(actor, form, action)
    calls = {
        "score": lambda: services.appraisal_score(appraisal=form, actor=actor, entries=entries_for(form)),
        "review": lambda: services.appraisal_review(appraisal=form, actor=actor),
        "return": lambda: services.appraisal_return(appraisal=form, actor=actor, comment="x"),
        "confirm_by_email": lambda: services.appraisal_confirm_by_email(
            appraisal=form, actor=actor, message="x"
        ),
        "archive": lambda: services.appraisal_archive(appraisal=form, actor=actor),
    }
    if action == "decide_appeal":
        Appraisal.objects.filter(pk=form.pk).update(state=State.REVIEWED)
        form = Appraisal.objects.get(pk=form.pk)
        Appraisal.objects.filter(pk=form.pk).update(state=State.APPEALED)
        from aftersales.appraisal.models import Appeal

        appeal = Appeal.objects.create(appraisal=form, items=["x"], reasons="r")
        calls[action] = lambda: services.appeal_decide(appeal=appeal, actor=actor, upheld=False, minutes="m")
    with pytest.raises(PermissionDenied):
        calls[action]()
    assert Appraisal.objects.get(pk=form.pk).state in STEPS[action].states | {State.APPEALED}


def test_r_4_1_own_steps_stay_the_employees(world):
    """R-4.1: the self-report and the confirmation or appeal are the appraised person's own."""
    assert {"self_report", "confirm", "appeal"} == OWN_STEPS
    assert all(STEPS[action].role == "employee" for action in OWN_STEPS)
