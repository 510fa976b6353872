"""R-6.3 the yearly standing level by level, and the dismissal case it raises (an HR case)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aftersales.core.discipline import Kind as CoreKind
from aftersales.discipline import services
from aftersales.discipline.models import CaseStatus, DismissalCase, Kind
from aftersales.discipline.selectors import yearly_standing
from tests.discipline.conftest import YEAR, approved, propose


def test_r6_3_three_demerits_become_one_major_demerit(world):
    for month in (1, 2, 3):
        approved(world, Kind.DEMERIT, day=date(YEAR, month, 10))
    standing = yearly_standing(world.employees["employee"], YEAR)
    merits = standing.levels[1]
    assert (merits.bad_count, merits.bad_left, merits.bad_converted, merits.bad_net) == (3, 3, 1, 0)
    assert standing.levels[2].bad_carried == 1
    assert standing.net[CoreKind.MAJOR_DEMERIT] == 1
    assert [points for _month, points in standing.monthly_points][:4] == [-3, -3, -3, 0]
    assert not standing.dismissal_case


def test_r6_3_levels_offset_one_for_one_without_crossing(world):
    approved(world, Kind.COMMENDATION)
    approved(world, Kind.COMMENDATION)
    approved(world, Kind.WARNING)
    approved(world, Kind.DEMERIT)
    standing = yearly_standing(world.employees["employee"], YEAR)
    first, second, _third = standing.levels
    assert (first.offset, first.good_net, first.bad_net) == (1, 1, 0)
    assert (second.offset, second.good_net, second.bad_net) == (
        0,
        0,
        1,
    )  # a commendation never offsets a demerit
    assert standing.total_points == 1 + 1 - 1 - 3


def test_r6_3_only_the_years_approved_records_count(world):
    approved(world, Kind.MAJOR_DEMERIT, day=date(YEAR - 1, 12, 31))
    propose(world, Kind.MAJOR_DEMERIT)
    assert yearly_standing(world.employees["employee"], YEAR).net[CoreKind.MAJOR_DEMERIT] == 0


def test_r6_3_three_net_major_demerits_raise_one_dismissal_case(world):
    engineer = world.employees["employee"]
    approved(world, Kind.MAJOR_DEMERIT)
    approved(world, Kind.MAJOR_DEMERIT)
    assert not DismissalCase.objects.filter(employee=engineer).exists()
    approved(world, Kind.MAJOR_DEMERIT)
    case = DismissalCase.objects.get(employee=engineer, year=YEAR)
    assert (case.status, case.major_demerits) == (CaseStatus.OPEN, 3)
    approved(world, Kind.WARNING)  # a further approval recomputes the standing: still one case
    approved(world, Kind.MAJOR_DEMERIT)
    assert DismissalCase.objects.filter(employee=engineer, year=YEAR).count() == 1
    case.refresh_from_db()
    assert case.major_demerits == 4


def test_r6_3_converted_demerits_count_towards_dismissal(world):
    approved(world, Kind.MAJOR_DEMERIT)
    approved(world, Kind.MAJOR_DEMERIT)
    for _ in range(3):
        approved(world, Kind.DEMERIT)
    assert DismissalCase.objects.filter(employee=world.employees["employee"], year=YEAR).count() == 1


def test_r6_3_a_major_merit_offsets_and_no_case_is_raised(world):
    approved(world, Kind.MAJOR_MERIT)
    for _ in range(3):
        approved(world, Kind.MAJOR_DEMERIT)
    assert not DismissalCase.objects.exists()


def test_a_decided_case_is_not_raised_again_until_the_count_grows(world):
    for _ in range(3):
        approved(world, Kind.MAJOR_DEMERIT)
    case = DismissalCase.objects.get()
    services.case_decide(case=case, actor=world.users["hr"], decision="约谈后留用察看")
    approved(world, Kind.COMMENDATION)
    assert DismissalCase.objects.count() == 1
    approved(world, Kind.MAJOR_DEMERIT)
    assert list(DismissalCase.objects.values_list("status", "major_demerits").order_by("id")) == [
        (CaseStatus.DECIDED, 3),
        (CaseStatus.OPEN, 4),
    ]


def test_only_hr_decides_a_case_and_only_once(world):
    for _ in range(3):
        approved(world, Kind.MAJOR_DEMERIT)
    case = DismissalCase.objects.get()
    with pytest.raises(PermissionDenied):
        services.case_decide(case=case, actor=world.users["head"], decision="解雇")
    with pytest.raises(ValidationError):
        services.case_decide(case=case, actor=world.users["hr"], decision="  ")
    services.case_decide(case=case, actor=world.users["hr"], decision="解雇")
    with pytest.raises(ValidationError):
        services.case_decide(case=case, actor=world.users["hr"], decision="撤销")
    case.refresh_from_db()
    assert (case.decision, case.decided_by) == ("解雇", world.users["hr"])
    assert case.history.latest().history_user == world.users["hr"]


def test_a_raised_case_is_mailed_to_hr(world, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            approved(world, Kind.MAJOR_DEMERIT)
    assert any("解雇审议" in message.subject and "hr@example.com" in message.to for message in mail.outbox)
