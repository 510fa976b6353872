"""Demo data of evidence-linked appraisal (DEMO_STEPS, after the areas whose facts it reads).

Last month's records propose entries on the forms not scored yet; the repair lead accepts his
technicians' band proposals (form 4.3: 七日返修, 二次返修, with the repair jobs as evidence) and
陈刚 accepts a verified complaint against 孙涛, whose form the head returned. The complaint is
recorded and verified here, through the service area's actions, because the demo's other verified
complaint (against 赵磊) is on a form already reviewed. Idempotent: nothing happens once the month
has proposals. The field records of the month (service.demo.load_field_records_demo) propose on 孙涛's
returned form, 陈刚's self-reported form 4.2, 郑浩's, 刘洋's and 何静's, and 孙涛's overdue warranty part
(parts.demo) both 配件管理 items on his: every source has a proposal to look at.
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from aftersales.appraisal.models import Period
from aftersales.core.periods import Month
from aftersales.evidence import services
from aftersales.evidence.models import Proposal, Source, Status
from aftersales.organisation.models import Category, Employee
from aftersales.service import services as service_services
from aftersales.service.models import Channel

BAND_SOURCES = (Source.SEVEN_DAY, Source.SECOND_REPAIR)


def load_evidence_demo() -> None:
    month = Month.of(timezone.localdate()).shift(-1)
    periods = list(Period.objects.filter(year=month.year, month=month.month))
    if not periods or Proposal.objects.filter(appraisal__period__in=periods).exists():
        return
    _complaint_against_sun_tao(month)
    for period in periods:
        services.evidence_propose(period=period, actor=None)
    proposed = Proposal.objects.filter(appraisal__period__in=periods, status=Status.PROPOSED).select_related(
        "appraisal__employee__supervisor__user"
    )
    _accept(proposed.filter(source__in=BAND_SOURCES, appraisal__employee__category=Category.REPAIR))
    _accept(proposed.filter(source=Source.COMPLAINT).order_by("pk")[:1])


def _complaint_against_sun_tao(month: Month) -> None:
    people = {
        e.user.username: e
        for e in Employee.objects.select_related("user").filter(user__isnull=False)
        if e.user
    }
    complaint = service_services.complaint_record(
        actor=cast(User, people["dispatcher"].user),
        employee=people["engineer2"],
        received_at=month.start + timedelta(days=16, hours=10),
        channel=Channel.PHONE,
        complainant="天津公交集团 王师傅",
        content="维修后未清理现场,且对用户询问态度冷淡。",
        handler=people["support"],
    )
    service_services.complaint_verify(
        complaint=complaint,
        actor=cast(User, people["regional"].user),
        founded=True,
        note="经电话回访核实,属实。",
    )


def _accept(proposals: QuerySet[Proposal]) -> None:
    """The direct supervisor of each form accepts its proposals."""
    for proposal in proposals:
        supervisor = cast(Employee, proposal.appraisal.employee.supervisor)  # every demo form has one
        services.proposal_accept(proposal=proposal, actor=cast(User, supervisor.user))
