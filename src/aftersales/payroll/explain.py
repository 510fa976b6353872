"""Why a line has its grade (等级说明), said in the reader's language.

A close stores the facts (final score, grade, rank r of n, the grade's quota and target, a lapsed
override); the sentence is made when it is shown, so a Chinese and an English reader each read it
in their own language. Likewise the reasons pay is held.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from aftersales.core.grading import ForcedGrade, Grade
from aftersales.punctuation import semicolon

# why pay is held, as a close stores it on the line (the pay sheet prints it as stored)
# The stored hold reasons (CloseLine.held_reason, part of a close's content): kept as every close so far
# stored them; people read them through explain_hold, without the rule ids.
HELD_APPEALED = "申诉处理中（R-4.3）"
HELD_INTERVIEW = "缺少绩效面谈（R-4.4）"
HELD_SEPARATOR = "；"


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def explain_grade(
    final_score: Decimal | None, grade: Grade | None, forced: ForcedGrade | None, *, lapsed: bool
) -> str:
    """R-3.2 / R-3.3 in one sentence: the absolute standard, or the rank in the forced group."""
    if final_score is None or grade is None:
        text = _("本月无考核表")
    elif forced is not None:
        text = _("强制分布：第%(rank)s名/共%(size)s人，%(grade)s等比例%(quota)s%%（%(target)s人）") % {
            "rank": forced.rank,
            "size": forced.group_size,
            "grade": forced.grade.value,
            "quota": _number(forced.quota),
            "target": forced.target,
        }
    else:
        text = _("绝对标准：%(score)s分 → %(grade)s") % {"score": _number(final_score), "grade": grade.value}
    if lapsed:
        text += _("；改判已失效（得分已变化）")
    return text


def held_reason(reasons: list[str]) -> str:
    """The stored text of the reasons pay is held (R-4.3, R-4.4)."""
    return HELD_SEPARATOR.join(reasons)


def explain_hold(stored: str) -> str:
    """The stored hold reasons in the reader's language."""
    labels = {HELD_APPEALED: _("申诉处理中"), HELD_INTERVIEW: _("缺少绩效面谈")}
    return semicolon().join(labels.get(part, part) for part in stored.split(HELD_SEPARATOR) if part)
