"""`aftersales calc discipline` (CONTRACTS.md, R-6.2, R-6.3): monthly points and yearly standing."""

from __future__ import annotations

from typing import Any

from aftersales.cli.inputs import Obj
from aftersales.core.discipline import POINT_KINDS, Kind, Record, monthly_points, standings_by_year

KIND_CODES = tuple(str(kind) for kind in POINT_KINDS)  # removal and dismissal carry no points
NET_ORDER = (Kind.COMMENDATION, Kind.WARNING, Kind.MERIT, Kind.DEMERIT, Kind.MAJOR_MERIT, Kind.MAJOR_DEMERIT)


def _record(item: Obj) -> Record:
    item.only("kind", "date")
    return Record(Kind(item.string("kind", choices=KIND_CODES)), item.date("date"))


def run(obj: Obj) -> dict[str, Any]:
    obj.only("records")
    records = [_record(item) for item in obj.array("records").objects()]
    return {
        "monthly_points": {str(month): str(points) for month, points in monthly_points(records).items()},
        "years": {
            str(year): {
                "net": {str(kind): standing.net[kind] for kind in NET_ORDER},
                "dismissal_case": standing.dismissal_case,
            }
            for year, standing in standings_by_year(records).items()
        },
    }
