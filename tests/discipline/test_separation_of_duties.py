"""Separation of duties (R-4.1, "the same rule holds for discipline records"): nobody proposes, approves
or rejects a record concerning themself, nor decides their own dismissal case — not even HR or the head.
The record waits for another holder of the deciding role, and its page says who that is."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from aftersales.discipline import services
from aftersales.discipline.models import CaseStatus, DismissalCase, Kind, Status
from aftersales.organisation import roles
from tests.discipline.conftest import YEAR, propose


def _hr_user(username: str):
    """Another login holding the HR role (no employee record of its own)."""
    user = get_user_model().objects.create(username=username)
    user.groups.add(Group.objects.get(name=roles.HR))
    return user


@pytest.fixture
def other_hr(world):
    return _hr_user("hr-colleague")


def test_hr_neither_proposes_nor_decides_a_record_about_herself(client, world, other_hr):
    """R-4.1: 马丽 holds the HR role, and the record is hers: every step on it is refused to her,
    through the actions, the pages and the API."""
    hr, herself = world.users["hr"], world.employees["hr"]
    with pytest.raises(PermissionDenied):
        propose(world, Kind.MERIT, employee=herself, by="hr")
    api = APIClient()
    api.force_authenticate(hr)
    data = {"employee": herself.pk, "kind": Kind.MERIT, "effective_date": f"{YEAR}-03-15", "reason_text": "x"}
    assert api.post(reverse("api-discipline:record-list"), data, format="json").status_code == 403

    record = services.record_propose(
        employee=herself,
        kind=Kind.DEMERIT,
        effective_date=date(YEAR, 3, 15),
        actor=other_hr,
        reason_text="迟到",
    )
    for act in (services.record_approve, services.record_reject):
        with pytest.raises(PermissionDenied):
            act(record=record, actor=hr)
    client.force_login(hr)
    for url in ("discipline:record-approve", "discipline:record-reject"):
        assert client.post(reverse(url, args=[record.pk])).status_code == 403
        assert api.post(reverse(f"api-{url}", args=[record.pk]), {}, format="json").status_code == 403
    page = client.get(reverse("discipline:record-detail", args=[record.pk]))
    assert page.status_code == 200 and 'id="approve"' not in page.content.decode()
    assert page.context["deciders"] == "由人力资源(非本人、非提出人)审批"  # 综合管理部 has no head
    record.refresh_from_db()
    assert record.status == Status.PROPOSED and record.approved_by is None


def test_another_hr_user_decides_the_record_of_an_hr_user(client, world, other_hr):
    """R-4.1: the step passes to another holder of the role — here a third HR user, since the second
    proposed the record (never the proposer either)."""
    record = services.record_propose(
        employee=world.employees["hr"],
        kind=Kind.MERIT,
        effective_date=date(YEAR, 3, 15),
        actor=other_hr,
        reason_text="制度建设",
    )
    third = _hr_user("hr-third")
    client.force_login(third)
    page = client.get(reverse("discipline:record-detail", args=[record.pk]))
    assert 'id="approve"' in page.content.decode()
    client.post(reverse("discipline:record-approve", args=[record.pk]), {"note": "同意"})
    record.refresh_from_db()
    assert (record.status, record.approved_by) == (Status.APPROVED, third)


def test_the_head_does_not_decide_a_record_about_himself_hr_does(client, world):
    """R-4.1: 王建国 heads 售后服务部, yet a record about him is decided by HR only."""
    head = world.users["head"]
    record = propose(world, Kind.COMMENDATION, employee=world.employees["head"], by="hr")
    with pytest.raises(PermissionDenied):
        services.record_approve(record=record, actor=head)
    client.force_login(head)
    assert (
        client.post(reverse("discipline:record-reject", args=[record.pk]), {"note": "x"}).status_code == 403
    )
    page = client.get(reverse("discipline:record-detail", args=[record.pk]))
    assert page.context["deciders"] == "由人力资源(非本人、非提出人)审批"
    assert 'id="approve"' not in page.content.decode()

    other_hr = _hr_user("hr-colleague")  # 马丽 proposed it: another HR user decides
    assert services.record_approve(record=record, actor=other_hr).status == Status.APPROVED


def test_a_record_about_an_engineer_names_the_head_or_hr(client, world):
    """R-4.1 on the page: who may still decide a record about someone who is not a decider."""
    record = propose(world, Kind.MERIT)
    client.force_login(world.users["employee"])
    page = client.get(reverse("discipline:record-detail", args=[record.pk]))
    assert page.context["deciders"] == "由该员工的部门负责人或人力资源(非本人、非提出人)审批"
    assert "由该员工的部门负责人或人力资源(非本人、非提出人)审批" in page.content.decode()


def test_hr_does_not_decide_her_own_dismissal_case(client, world, other_hr):
    """R-4.1 with R-6.3: a dismissal case about an HR user is decided by another HR user."""
    hr = world.users["hr"]
    case = DismissalCase.objects.create(employee=world.employees["hr"], year=YEAR, major_demerits=3)
    with pytest.raises(PermissionDenied):
        services.case_decide(case=case, actor=hr, decision="解除劳动合同")
    client.force_login(hr)
    page = client.get(reverse("discipline:cases"))
    assert reverse("discipline:case-decide", args=[case.pk]) not in page.content.decode()
    assert f'id="case-{case.pk}-deciders"' in page.content.decode()
    response = client.post(reverse("discipline:case-decide", args=[case.pk]), {"decision": "留用察看"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN

    client.force_login(other_hr)
    assert (
        reverse("discipline:case-decide", args=[case.pk])
        in client.get(reverse("discipline:cases")).content.decode()
    )
    decided = services.case_decide(case=case, actor=other_hr, decision="留用察看")
    assert (decided.status, decided.decided_by) == (CaseStatus.DECIDED, other_hr)
