"""The appraisal cycle's daily job (``aftersales appraisal_remind``, run by the scheduler): confirm
automatically the results seen long enough ago (R-4.2), then remind whoever must take a pending
step and report overdue forms (``notifications.send_reminders``). Here, not in ``notifications``,
because the services queue notifications: this module is above both."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from aftersales.appraisal import notifications, services
from aftersales.notices import in_installation_language


def run(today: date | None = None) -> notifications.ReminderRun:
    with in_installation_language():
        confirmed = services.appraisals_auto_confirm()
        return replace(notifications.send_reminders(today), auto_confirmed=confirmed)
