"""`aftersales appraisal_remind [--date YYYY-MM-DD]` — the daily job of the appraisal cycle.

Confirms automatically the results seen 3 days ago and neither confirmed nor appealed (R-4.2),
reminds in the application and by e-mail whoever must take a pending step (SPEC §4), marks what is
past its deadline, and sends HR and the department heads the count of overdue forms. Run it once a
day (cron, systemd timer, Windows task); a second run on the same day sends nothing twice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from aftersales.appraisal import daily


class Command(BaseCommand):
    help = "Daily job of the appraisal cycle: auto-confirmation, reminders, overdue lists."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="the day to act as (YYYY-MM-DD, Asia/Shanghai); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD") from None
        run = daily.run(today)
        summary = f"auto-confirmed {run.auto_confirmed}, reminders sent {run.reminders}"
        self.stdout.write(f"{summary}, overdue forms {run.overdue}")
