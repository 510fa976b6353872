"""Telling employees that their month's final score or grade changed at a re-close (R-3.1).

Written in the installation's language (``aftersales.notices``), in the application and by e-mail,
after the close has committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.appraisal.models import Appraisal
from aftersales.appraisal.notifications import notify
from aftersales.notices import in_installation_language

RESULT_CHANGED = "result:changed"


def notify_result_changed(moved: Sequence[tuple[int, int, Decimal | None, str]]) -> None:
    """``moved``: (period id, employee id, new final score, new grade) of each changed line."""
    changes = {(period_id, employee_id): (final, grade) for period_id, employee_id, final, grade in moved}

    def send() -> None:
        appraisals = Appraisal.objects.filter(
            is_current=True,
            period_id__in={key[0] for key in changes},
            employee_id__in={key[1] for key in changes},
        ).select_related("employee__user", "period")
        with in_installation_language():
            for appraisal in appraisals:
                change = changes.get((appraisal.period_id, appraisal.employee_id))
                user = appraisal.employee.user
                if change is None or user is None:
                    continue
                final, grade = change
                message = _("您%(period)s的绩效结果经重新结算已变更：最终得分%(score)s，等级%(grade)s。") % {
                    "period": appraisal.period.label,
                    "score": "—" if final is None else format(final, "f"),
                    "grade": grade or "—",
                }
                notify([user], message, RESULT_CHANGED, appraisal)

    transaction.on_commit(send)
