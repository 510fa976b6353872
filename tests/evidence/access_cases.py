"""R-1.1 access matrix of the evidence pages and API (see tests/access/cases.py), SPEC §11.

The object is a proposal on 赵磊's draft form of January 2025. Everyone may open the list (it shows
what is theirs to see); proposing is for HR and direct supervisors (陈刚, and the head, who
supervises 陈刚); only 赵磊's direct supervisor 陈刚 accepts or rejects; the outsider of another
department reaches nothing (404).
"""

from __future__ import annotations

from typing import Any

from tests.access.cases import EVERYONE, Case, World

SUPERVISOR = frozenset({"supervisor"})
PROPOSERS = frozenset({"supervisor", "head", "hr"})


def _period(world: World) -> Any:
    from aftersales.appraisal import services
    from aftersales.appraisal.models import Period
    from aftersales.organisation.models import Department

    department = Department.objects.get(code="as")
    period = Period.objects.filter(department=department, year=2025, month=1).first()
    return period or services.period_open(actor=world.users["hr"], department=department, year=2025, month=1)


def _proposal(world: World) -> dict[str, int]:
    from aftersales.evidence.models import Proposal, Source

    appraisal = _period(world).appraisals.get(employee=world.employees["employee"])
    proposal = Proposal.objects.create(
        appraisal=appraisal,
        section="information_transfer",
        section_name="信息传递",
        source=Source.PHONE_OFF,
        value="phone_off_occasional",
        item_text="偶尔手机关机",
        deduction=3,
        measured="1",
        evidence=[{"kind": "phone_off", "id": 1, "label": "手机关机", "date": "2025-01-08"}],
    )
    return {"pk": proposal.pk}


def _period_data(world: World) -> dict[str, int]:
    return {"period": _period(world).pk}


CASES = [
    Case("evidence:index", EVERYONE),
    Case("evidence:index", EVERYONE, query="show=all", label="all"),
    Case("evidence:propose", PROPOSERS, method="post", data=_period_data),
    Case("evidence:accept", SUPERVISOR, kwargs=_proposal, method="post"),
    Case("evidence:reject", SUPERVISOR, kwargs=_proposal, method="post", data=lambda w: {"reason": "已请假"}),
    # API
    Case("api-evidence:proposal-list", EVERYONE),
    Case("api-evidence:proposal-list", EVERYONE, query="status=proposed", label="filtered"),
    Case(
        "api-evidence:proposal-accept",
        SUPERVISOR,
        kwargs=_proposal,
        method="post",
        data=lambda w: {},
        json=True,
    ),
    Case(
        "api-evidence:proposal-reject",
        SUPERVISOR,
        kwargs=_proposal,
        method="post",
        data=lambda w: {"reason": "已请假"},
        json=True,
    ),
    Case("api-evidence:propose", PROPOSERS, method="post", data=_period_data, json=True),
]
