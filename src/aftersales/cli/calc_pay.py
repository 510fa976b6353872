"""`aftersales calc pay` (CONTRACTS.md, R-5): performance pay of one department pool."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aftersales.cli.inputs import InputError, Obj, fmt, unique_ids
from aftersales.core.grading import Grade
from aftersales.core.pay import PayMember, allocate_pay, pay_factor, to_fen

FIELDS = ("department_coefficient", "rounding_unit", "pay_factor", "head_in_pool", "members")
MEMBER_FIELDS = ("id", "standard_pay", "score", "grade", "head")
GRADE_CODES = tuple(Grade)


def _factor(member: Obj, by_grade: bool) -> Decimal:
    """R-5.2: score / 100, or Q of the member's grade (else of the score's grade)."""
    code = member.string("grade", None, choices=GRADE_CODES)
    grade = None if code is None else Grade(code)
    if by_grade and grade is not None:  # the score is then optional, but checked when given
        score = member.decimal("score", None, minimum=0, maximum=100)
    else:
        score = member.decimal("score", minimum=0, maximum=100)
    return pay_factor(score, by_grade=by_grade, grade=grade)


def _members(obj: Obj, by_grade: bool) -> tuple[list[str], list[PayMember]]:
    items = list(obj.array("members").objects())
    for item in items:
        item.only(*MEMBER_FIELDS)
    ids = unique_ids(items)
    members, head_seen = [], False
    for item in items:
        head = item.boolean("head", False)
        if head and head_seen:
            raise InputError(item.field("head"), "only one member may be the head")
        head_seen = head_seen or head
        # S is a whole number of fen: a finer amount given is rounded half up to the fen
        standard = to_fen(item.decimal("standard_pay", minimum=0))
        members.append(PayMember(standard, _factor(item, by_grade), head))
    return ids, members


def run(obj: Obj) -> dict[str, Any]:
    obj.only(*FIELDS)
    coefficient = obj.decimal("department_coefficient", minimum=0)
    unit = obj.decimal("rounding_unit", Decimal(1))
    if unit <= 0:
        raise InputError(obj.field("rounding_unit"), "must be greater than 0")
    by_grade = obj.string("pay_factor", "score", choices=("score", "grade")) == "grade"
    head_in_pool = obj.boolean("head_in_pool", True)
    ids, members = _members(obj, by_grade)
    result = allocate_pay(
        members, department_coefficient=coefficient, rounding_unit=unit, head_in_pool=head_in_pool
    )
    return {
        "pool_base": fmt(result.pool_base),
        "distributable": fmt(result.distributable),
        "adjustment_fund": fmt(result.adjustment_fund),
        "members": [
            {"id": ident, "factor": fmt(member.factor), "pay": fmt(pay)}
            for ident, member, pay in zip(ids, members, result.pays, strict=True)
        ],
    }
