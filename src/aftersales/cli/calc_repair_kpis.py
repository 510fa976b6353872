"""`aftersales calc repair-kpis` (CONTRACTS.md, R-10.2, R-10.3, R-3.4): a repair team's month."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from aftersales.cli.inputs import InputError, Obj, fmt, unique_ids
from aftersales.core.errors import RuleError
from aftersales.core.periods import Month
from aftersales.core.repair_kpis import DEFAULT_WINDOW_DAYS, RepairJob, pairwise_ranking, technician_kpis

JOB_FIELDS = ("id", "unit", "technician", "received_at", "completed_at")
CENT = Decimal("0.01")


def _month(obj: Obj) -> Month:
    try:
        return Month.parse(obj.string("month"))
    except RuleError:
        raise InputError(obj.field("month"), "must be a month YYYY-MM") from None


def _job(item: Obj) -> RepairJob:
    received = item.datetime("received_at")
    completed = item.datetime("completed_at", None, nullable=True)
    if completed is not None and completed < received:
        raise InputError(item.field("completed_at"), "must not be before received_at")
    return RepairJob(item.string("unit"), item.string("technician"), received, completed)


def _rate(value: Decimal | None) -> str | None:
    """Percent with two decimals kept (rounded half up), or null when not applicable."""
    return None if value is None else fmt(value.quantize(CENT, rounding=ROUND_HALF_UP))


def run(obj: Obj) -> dict[str, Any]:
    obj.only("month", "window_days", "jobs")
    month = _month(obj)
    window = obj.integer("window_days", DEFAULT_WINDOW_DAYS, minimum=0)
    items = list(obj.array("jobs").objects())
    for item in items:
        item.only(*JOB_FIELDS)
    unique_ids(items)
    kpis = technician_kpis([_job(item) for item in items], month, window)
    ranking = pairwise_ranking(kpis)
    return {
        "technicians": [
            {
                "id": name,
                "seven_day_rate": _rate(kpi.seven_day_rate),
                "second_repair_rate": _rate(kpi.second_repair_rate),
                "pairwise_points": fmt(ranking[name].points),
                "rank": ranking[name].rank,
            }
            for name, kpi in kpis.items()
        ]
    }
