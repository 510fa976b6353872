"""Separation of duties (R-4.1, "the same rule holds for … overrides and pay releases concerning
oneself"): HR neither overrides the grade of their own close line nor releases their own held pay, and
nobody pays an adjustment reward from the fund (R-5.4) to themself. Another holder of the role does."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from aftersales.appraisal.models import Appraisal
from aftersales.payroll.models import CloseLine, DepartmentCoefficient, FundPayout, GradeOverride
from aftersales.payroll.services import close_run, fund_payout, grade_override, pay_release
from tests.payroll.helpers import Person, hr_user, pool

D = Decimal


@pytest.fixture
def own_line(hr) -> CloseLine:
    """A close of a department whose second member is an HR user (``payroll-hr-self``); her pay is held
    for a missing interview, since recorded, so it may be released — by someone else."""
    people = [Person("3000", "100"), Person("2000", "80", interview_missing=True)]
    dept, staff, period = pool("sod", people)
    staff[1].user = hr_user("payroll-hr-self")
    staff[1].save(update_fields=["user"])
    (version,) = close_run(department=dept, year=2025, month=3, actor=hr).created
    Appraisal.objects.filter(period=period).update(interview_missing=False)
    line = version.lines.get(employee=staff[1])
    assert line.withheld
    return line


def test_hr_neither_overrides_nor_releases_her_own_line(client, own_line):
    """R-4.1: the HR user whose line it is is refused both steps, by the actions and the pages, and
    the pages offer neither."""
    herself = own_line.employee.user
    with pytest.raises(PermissionDenied, match="本人"):
        grade_override(line=own_line, grade="A", reason="表现突出", actor=herself)
    with pytest.raises(PermissionDenied, match="本人"):
        pay_release(line=own_line, actor=herself, note="已补录面谈")

    client.force_login(herself)
    override = reverse("payroll:line-override", args=[own_line.pk])
    assert client.get(override).status_code == 403
    assert client.post(override, {"grade": "A", "reason": "表现突出"}).status_code == 403
    assert client.post(reverse("payroll:line-release", args=[own_line.pk]), {"note": "x"}).status_code == 403
    detail = client.get(reverse("payroll:line-detail", args=[own_line.pk])).content.decode()
    assert override not in detail and 'id="release"' not in detail
    sheet = client.get(reverse("payroll:close-detail", args=[own_line.version_id])).content.decode()
    assert override not in sheet  # her own row has no 改判 link …
    other = own_line.version.lines.exclude(pk=own_line.pk).get()
    assert reverse("payroll:line-override", args=[other.pk]) in sheet  # … the colleague's has

    own_line.refresh_from_db()
    assert own_line.withheld and own_line.released_by is None
    assert not GradeOverride.objects.filter(employee=own_line.employee).exists()


def test_another_hr_user_overrides_and_releases_the_line_of_an_hr_user(client, hr, own_line):
    """R-4.1: the steps pass to another holder of the HR role."""
    client.force_login(hr)
    detail = client.get(reverse("payroll:line-detail", args=[own_line.pk])).content.decode()
    assert 'id="release"' in detail
    assert reverse("payroll:line-override", args=[own_line.pk]) in detail
    override = grade_override(line=own_line, grade="B", reason="用户书面表扬", actor=hr)
    assert (override.employee, override.actor) == (own_line.employee, hr)
    client.post(reverse("payroll:line-release", args=[own_line.pk]), {"note": "已补录面谈"})
    own_line.refresh_from_db()
    assert own_line.released_by == hr and not own_line.withheld


@pytest.fixture
def fund_department(hr):
    """A department headed by its first member (login ``fund-head``) with 150 yuan in the Q1 fund."""
    dept, staff, _period = pool("sodf", [Person("3000", "100"), Person("2000", "90")], head=0)
    staff[0].user = get_user_model().objects.create(username="fund-head")
    staff[0].save(update_fields=["user"])
    DepartmentCoefficient.objects.create(
        department=dept, year=2025, month=3, value=D("0.9"), reason="部门考核", set_by=hr
    )
    close_run(department=dept, year=2025, month=3, actor=hr)  # B = 1500, P = 1350: 150 to the fund
    return dept, staff


def _payout(dept, employee, actor, amount="10"):
    return fund_payout(
        department=dept,
        year=2025,
        quarter=1,
        employee=employee,
        amount=D(amount),
        reason="调节奖励",
        actor=actor,
    )


def test_the_head_does_not_pay_himself_from_the_fund(client, fund_department):
    """R-4.1 with R-5.4: the head pays adjustment rewards, but not to himself."""
    dept, staff = fund_department
    head = staff[0].user
    with pytest.raises(PermissionDenied, match="本人"):
        _payout(dept, staff[0], head)
    client.force_login(head)
    data = {"year": 2025, "quarter": 1, "employee": staff[0].pk, "amount": "10", "reason": "调节奖励"}
    assert client.post(reverse("payroll:fund-payout", args=[dept.pk]), data).status_code == 403
    assert not FundPayout.objects.filter(department=dept).exists()


def test_the_head_pays_others_and_hr_pays_the_head(fund_department, hr):
    """R-4.1: the reward to the head is paid by another holder of the role (HR)."""
    dept, staff = fund_department
    assert _payout(dept, staff[1], staff[0].user).paid_by == staff[0].user
    assert _payout(dept, staff[0], hr).paid_by == hr
    assert sorted(FundPayout.objects.filter(department=dept).values_list("employee", flat=True)) == sorted(
        [staff[0].pk, staff[1].pk]
    )
