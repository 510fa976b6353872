"""Separation of duties (R-4.1 applied to requisitions, R-9.3): whoever requested a part neither
approves the requisition (even as a leader) nor, as keeper, issues it, receives its old part or writes
it off. Another leader or another keeper does."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from aftersales.organisation import roles
from aftersales.organisation.models import Employee
from aftersales.parts import services
from aftersales.parts.models import Requisition, StockBalance
from tests.parts.conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper2(users):
    """A second keeper of 售后服务部's stores: another holder of the role."""
    user = get_user_model().objects.create(username="keeper2")
    user.groups.add(Group.objects.get(name=roles.WAREHOUSE))
    keeper = users["keeper"].employee
    Employee.objects.create(
        number="E912",
        name="许静",
        user=user,
        department=keeper.department,
        position=keeper.position,
        category=keeper.category,
        supervisor=keeper.supervisor,
        standard_salary=keeper.standard_salary,
        active_from=keeper.active_from,
    )
    return user


def _request(users, store, part, by: str) -> Requisition:
    return services.requisition_propose(
        store=store, part=part, quantity=1, reason="更换继电器", actor=users[by]
    )


def _on_hand(store, part) -> int:
    return StockBalance.objects.get(store=store, part=part, stock="on_hand").quantity


def test_a_leader_does_not_approve_his_own_requisition(users, stocked, part, as_user, api):
    """R-4.1: 陈刚 approves his engineers' requisitions, not his own — the head does."""
    requisition = _request(users, stocked, part, "regional")
    for act in (services.requisition_approve, services.requisition_reject):
        with pytest.raises(PermissionDenied, match="本人"):
            act(requisition=requisition, actor=users["regional"], note="自批")
    detail = as_user("regional").get(reverse("parts:requisition-detail", args=[requisition.pk]))
    assert 'id="approve"' not in detail.content.decode()
    assert (
        as_user("regional").post(reverse("parts:requisition-approve", args=[requisition.pk])).status_code
        == 403
    )
    response = api("regional").post(reverse("api-parts:requisition-approve", args=[requisition.pk]), {})
    assert response.status_code == 403
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.PROPOSED

    approved = services.requisition_approve(requisition=requisition, actor=users["head"])
    assert (approved.status, approved.decided_by) == (Requisition.Status.APPROVED, users["head"])


def test_a_keeper_does_not_issue_her_own_requisition(users, stocked, part, as_user, api, keeper2):
    """R-4.1: the keeper 何静 requested the part; she may not issue it to herself."""
    requisition = _request(users, stocked, part, "keeper")
    services.requisition_approve(requisition=requisition, actor=users["head"])
    with pytest.raises(PermissionDenied, match="本人"):
        services.requisition_issue(requisition=requisition, actor=users["keeper"])
    page = as_user("keeper")
    assert (
        'id="issue"'
        not in page.get(reverse("parts:requisition-detail", args=[requisition.pk])).content.decode()
    )
    assert requisition not in page.get(reverse("parts:index")).context["to_issue"]
    assert page.post(reverse("parts:requisition-issue", args=[requisition.pk])).status_code == 403
    assert (
        api("keeper").post(reverse("api-parts:requisition-issue", args=[requisition.pk]), {}).status_code
        == 403
    )
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.APPROVED and _on_hand(stocked, part) == 5


def test_another_keeper_issues_receives_and_writes_off_a_keepers_requisition(
    users, stocked, part, client, keeper2
):
    """R-4.1: every store step on the keeper's own requisition passes to another keeper."""
    requisition = _request(users, stocked, part, "keeper")
    services.requisition_approve(requisition=requisition, actor=users["head"])
    client.force_login(keeper2)
    page = client.get(reverse("parts:requisition-detail", args=[requisition.pk]))
    assert 'id="issue"' in page.content.decode()
    services.requisition_issue(requisition=requisition, actor=keeper2)
    assert _on_hand(stocked, part) == 4

    with pytest.raises(PermissionDenied, match="本人"):
        services.old_part_return(requisition=requisition, quantity=1, actor=users["keeper"])
    services.old_part_return(requisition=requisition, quantity=1, actor=keeper2, note="外壳完好")
    report = make_report(users["keeper"].employee, part, approver=users["head"])
    with pytest.raises(PermissionDenied, match="本人"):
        services.requisition_write_off(
            requisition=requisition, quantity=1, service_report=report, actor=users["keeper"]
        )
    services.requisition_write_off(requisition=requisition, quantity=1, service_report=report, actor=keeper2)
    requisition.refresh_from_db()
    assert (requisition.status, requisition.issued_by) == (Requisition.Status.CLOSED, keeper2)
