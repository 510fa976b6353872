"""`aftersales calc sla` (CONTRACTS.md, R-8.2): the response deadline of one service request."""

from __future__ import annotations

from typing import Any

from aftersales.cli.inputs import SHANGHAI, InputError, Obj
from aftersales.core.sla import Fault, Milestone, deadline_met, response_deadline

FIELDS = ("fault", "distance_km", "needs_supplier", "received_at", "milestones")


def _milestones(obj: Obj) -> dict[Milestone, Any]:
    if not obj.has("milestones"):
        return {}
    milestones = obj.obj("milestones")
    milestones.only(*Milestone)
    return {m: milestones.datetime(m) for m in Milestone if milestones.has(m)}


def run(obj: Obj) -> dict[str, Any]:
    obj.only(*FIELDS)
    fault = Fault(obj.string("fault", choices=tuple(Fault)))
    needs_supplier = obj.boolean("needs_supplier", False)
    distance = obj.decimal("distance_km", None, minimum=0, nullable=True)
    if fault is Fault.BODY and not needs_supplier and distance is None:
        raise InputError(obj.field("distance_km"), "is required for a body fault without a supplier")
    deadline = response_deadline(
        fault, obj.datetime("received_at"), distance_km=distance, needs_supplier=needs_supplier
    )
    return {
        "milestone": str(deadline.milestone),
        "deadline": deadline.due.astimezone(SHANGHAI).isoformat(),
        "met": deadline_met(deadline, _milestones(obj)),
    }
