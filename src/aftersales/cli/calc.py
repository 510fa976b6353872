"""`aftersales calc pay|grades|discipline|sla|score|repair-kpis` (CONTRACTS.md)."""

from __future__ import annotations

from importlib import import_module

from aftersales.cli.runner import fail, run_json

# sub-command → module under aftersales.cli whose ``run(obj) -> dict`` answers it
HANDLERS = {
    "pay": "calc_pay",
    "grades": "calc_grades",
    "discipline": "calc_discipline",
    "sla": "calc_sla",
    "score": "calc_score",
    "repair-kpis": "calc_repair_kpis",
}


def main(args: list[str]) -> int:
    if len(args) != 1 or args[0] not in HANDLERS:
        return fail(f"command: usage: aftersales calc {{{'|'.join(HANDLERS)}}} < input.json")
    module = import_module(f"aftersales.cli.{HANDLERS[args[0]]}")
    return run_json(module.run)
