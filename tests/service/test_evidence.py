"""§11 evidence selectors: verified complaints, late incident reports (R-8.7), phone-off counts (R-2.3),
response times of technical support (form 4.5)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aftersales.core.periods import SHANGHAI
from aftersales.service import selectors, services
from aftersales.service.models import Channel
from tests.service.conftest import HOUR

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 8, month: int = 5) -> datetime:
    return datetime(2024, month, day, hour, 0, tzinfo=SHANGHAI)


def complaint(people, employee="engineer", received=None, **extra):
    return services.complaint_record(
        actor=people.u["dispatcher"],
        employee=people.e[employee],
        received_at=received or at(10),
        channel=Channel.PHONE,
        complainant="刘工",
        content="服务态度差",
        **extra,
    )


def test_complaints_for_lists_only_verified_complaints_of_the_month(people):
    verified = complaint(people, written=True)
    services.complaint_verify(complaint=verified, actor=people.u["regional"], founded=True, note="属实")
    complaint(people)  # pending
    unfounded = complaint(people)
    services.complaint_verify(complaint=unfounded, actor=people.u["regional"], founded=False, note="不属实")
    june = complaint(people, received=at(1, month=6))
    services.complaint_verify(complaint=june, actor=people.u["regional"], founded=True, note="属实")
    evidence = selectors.complaints_for(people.e["engineer"], 2024, 5)
    assert [(e.complaint_id, e.written, e.service_responsibility) for e in evidence] == [
        (verified.pk, True, True)
    ]
    assert selectors.complaints_for(people.e["engineer"].pk, 2024, 6)[0].complaint_id == june.pk


def test_r8_6_complaints_are_verified_by_the_leader_with_a_note(people):
    pending = complaint(people)
    for name in ("engineer", "engineer2", "dispatcher", "hr"):
        with pytest.raises(PermissionDenied):
            services.complaint_verify(complaint=pending, actor=people.u[name], founded=True, note="x")
    with pytest.raises(ValidationError):
        services.complaint_verify(complaint=pending, actor=people.u["regional"], founded=True, note="")
    services.complaint_verify(complaint=pending, actor=people.u["head"], founded=True, note="属实")
    with pytest.raises(ValidationError):  # decided once
        services.complaint_verify(complaint=pending, actor=people.u["regional"], founded=False, note="再议")


def test_r8_6_complaints_name_staff_of_the_department(people):
    with pytest.raises(ValidationError):
        complaint(people, employee="outsider")


def _incident(people, occurred, phoned_after=None, reported_after=None, employee="engineer"):
    incident = services.incident_record(
        actor=people.u[employee],
        employee=people.e[employee],
        occurred_at=occurred,
        unit="车-1001",
        site="北京四惠车场",
        description="制动失灵",
    )
    return services.incident_update(
        incident=incident,
        actor=people.u[employee],
        phoned_at=occurred + phoned_after * HOUR if phoned_after is not None else None,
        reported_at=occurred + reported_after * HOUR if reported_after is not None else None,
        report="专题报告" if reported_after is not None else "",
    )


def test_r8_7_late_incidents_for(people):
    in_time = _incident(people, at(3), phoned_after=24, reported_after=48)
    phoned_late = _incident(people, at(8), phoned_after=25, reported_after=40)
    never_reported = _incident(people, at(12), phoned_after=2)
    _incident(people, at(2, month=6), phoned_after=30)  # another month
    _incident(people, at(9), phoned_after=30, employee="engineer2")  # another engineer
    evidence = selectors.late_incidents_for(people.e["engineer"], 2024, 5)
    assert [(e.incident_id, e.phone_late, e.report_late) for e in evidence] == [
        (phoned_late.pk, True, False),
        (never_reported.pk, False, True),  # the 48 h have long passed
    ]
    assert in_time.verdict().late is False


def test_r8_7_a_report_needs_its_text_and_is_recorded_once(people):
    incident = _incident(people, at(3), phoned_after=1)
    with pytest.raises(ValidationError):
        services.incident_update(incident=incident, actor=people.u["engineer"], reported_at=at(4))
    with pytest.raises(ValidationError):
        services.incident_update(incident=incident, actor=people.u["engineer"], phoned_at=at(4))
    with pytest.raises(PermissionDenied):  # a colleague does not report for 赵磊
        services.incident_update(
            incident=incident, actor=people.u["engineer2"], reported_at=at(4), report="x"
        )


def test_phone_off_count_is_per_month_and_recorded_by_the_leader(people):
    for day in (date(2024, 5, 2), date(2024, 5, 9), date(2024, 5, 20), date(2024, 6, 1)):
        services.phone_off_record(actor=people.u["regional"], employee=people.e["engineer"], day=day)
    evidence = selectors.phone_off_count(people.e["engineer"], 2024, 5)
    assert evidence.count == 3 and len(evidence.incident_ids) == 3
    assert selectors.phone_off_count(people.e["engineer2"], 2024, 5).count == 0
    for name in ("engineer", "engineer2", "dispatcher", "hr"):
        with pytest.raises(PermissionDenied):
            services.phone_off_record(
                actor=people.u[name], employee=people.e["engineer"], day=date(2024, 5, 3)
            )


def test_response_days_of_technical_support(people):
    answered = complaint(people, handler=people.e["support"])
    services.complaint_respond(complaint=answered, actor=people.u["support"], at=at(11, 20))  # 1.5 days
    open_one = complaint(people, received=at(20), handler=people.e["support"])
    evidence = selectors.complaint_response_days(people.e["support"], 2024, 5, now=at(24))
    assert [(e.object_id, e.answered, e.days) for e in evidence] == [
        (answered.pk, True, Decimal("1.50")),
        (open_one.pk, False, Decimal("4.00")),  # still open: counted up to now
    ]


def test_quality_response_days(people):
    report = services.quality_report_record(
        actor=people.u["engineer"],
        product="车门控制器",
        unit_number="车-1000",
        fault="频繁复位",
        site="四惠",
        reported_at=at(5),
    )
    services.quality_report_respond(report=report, actor=people.u["support"], response="更换", at=at(6, 8))
    evidence = selectors.quality_response_days(people.e["support"], 2024, 5)
    assert [(e.object_id, e.days) for e in evidence] == [(report.pk, Decimal("1.00"))]
    with pytest.raises(PermissionDenied):  # the quality database is the department's
        services.quality_report_respond(report=report, actor=people.u["outsider"], response="x")
