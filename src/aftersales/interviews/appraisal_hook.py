"""The one place interviews reach into appraisals (R-4.4): flag and release "interview missing".

A missing interview makes the appraisal of the block's closing month invalid for pay until the
interview is recorded. The appraisal area owns that flag and changes it only through its action
``appraisal_set_interview_missing``; these two functions are all the interviews area knows of it.
Only current appraisal versions are touched; a month whose appraisal does not exist yet (its period
not opened) has nothing to flag.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from aftersales.appraisal.models import Appraisal
from aftersales.appraisal.services import appraisal_set_interview_missing
from aftersales.core.interview_rules import Block, blocks_released_by
from aftersales.core.periods import Month
from aftersales.organisation.access import AnyUser
from aftersales.organisation.models import Employee


def _set(appraisal: Appraisal, *, missing: bool, actor: AnyUser) -> None:
    appraisal._history_user = actor  # type: ignore[attr-defined]  # who, on the appraisal's history row
    appraisal_set_interview_missing(appraisal=appraisal, missing=missing)


def flag_interview_missing(*, employees: Iterable[Employee], month: Month, actor: AnyUser) -> int:
    """Flag the appraisals of ``month`` of ``employees`` "interview missing"; the number flagged."""
    appraisals = Appraisal.objects.filter(
        employee__in=list(employees),
        period__year=month.year,
        period__month=month.month,
        is_current=True,
        interview_missing=False,
    )
    flagged = 0
    for appraisal in appraisals:
        _set(appraisal, missing=True, actor=actor)
        flagged += 1
    return flagged


def release_interview_missing(*, employee: Employee, held_on: date, actor: AnyUser) -> int:
    """Clear the flag on the employee's appraisals of the blocks an interview on ``held_on`` covers."""
    flagged = Appraisal.objects.filter(employee=employee, is_current=True, interview_missing=True)
    released = [
        appraisal
        for appraisal in flagged.select_related("period")
        if blocks_released_by(held_on, [Block.of(Month(appraisal.period.year, appraisal.period.month))])
    ]
    for appraisal in released:
        _set(appraisal, missing=False, actor=actor)
    return len(released)
