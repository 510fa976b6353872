"""`aftersales calc score` (CONTRACTS.md, R-2, R-3.1): score a filled-in form on its template."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aftersales.cli.inputs import InputError, Obj, fmt
from aftersales.cli.template_store import find_template
from aftersales.core.forms import FORM_TOTAL, Template, score_form


def _template(obj: Obj) -> Template:
    code = obj.string("template")
    version = obj.integer("version", minimum=1) if obj.has("version") else None
    template = find_template(code, version)
    if template is None and version is not None and find_template(code) is not None:
        raise InputError(obj.field("version"), f"template {code!r} has no version {version}")
    if template is None:
        raise InputError(obj.field("template"), f"unknown template {code!r}")
    return template


def run(obj: Obj) -> dict[str, Any]:
    # `version` (a pinned version, default the latest) and `cap` (R-3.1, default 100) extend the contract
    obj.only("template", "version", "entries", "discipline_points", "cap")
    template = _template(obj)
    entries = obj.obj("entries", None)
    discipline_points = obj.decimal("discipline_points", Decimal(0))
    cap = obj.decimal("cap", FORM_TOTAL, minimum=0)
    result = score_form(template, entries.data if entries else {}, discipline_points, cap)
    return {
        "template": result.template,
        "version": result.version,
        "sections": [
            {"code": s.code, "name": s.name, "points": fmt(s.points), "score": fmt(s.score)}
            for s in result.sections
        ],
        "form_total": fmt(result.form_total),
        "final": fmt(result.final),
    }
