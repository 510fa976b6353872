"""`aftersales calc grades` (CONTRACTS.md, R-3.2, R-3.3): absolute or forced grades of a group."""

from __future__ import annotations

from collections import Counter
from typing import Any

from aftersales.cli.inputs import InputError, Obj, unique_ids
from aftersales.core.grading import DEFAULT_QUOTAS, GRADES, Grade, absolute_grade, forced_distribution


def _quotas(obj: Obj) -> dict[Grade, Any]:
    if not obj.has("quotas"):
        return dict(DEFAULT_QUOTAS)
    quotas = obj.obj("quotas")
    quotas.only(*GRADES)
    result = {grade: quotas.decimal(grade, minimum=0, maximum=100) for grade in GRADES}
    if sum(result.values()) != 100:
        raise InputError(obj.field("quotas"), "must sum to 100")
    return result


def run(obj: Obj) -> dict[str, Any]:
    obj.only("mode", "quotas", "members")
    forced = obj.string("mode", choices=("absolute", "forced")) == "forced"
    quotas = _quotas(obj)
    items = list(obj.array("members").objects())
    for item in items:
        item.only("id", "score")
    ids = unique_ids(items)
    scores = [item.decimal("score", minimum=0, maximum=100) for item in items]
    if forced:
        distribution = forced_distribution(scores, quotas)
        grades = [member.grade for member in distribution.members]
    else:
        grades = [absolute_grade(score) for score in scores]
    counts = Counter(grades)
    result: dict[str, Any] = {
        "members": [{"id": ident, "grade": str(grade)} for ident, grade in zip(ids, grades, strict=True)],
        "counts": {str(grade): counts[grade] for grade in GRADES},
    }
    if forced:
        result["targets"] = {str(grade): distribution.targets[grade] for grade in GRADES}
    return result
