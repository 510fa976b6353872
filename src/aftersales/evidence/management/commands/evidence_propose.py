"""`aftersales evidence_propose --year Y --month M`: propose form entries from the month's records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aftersales.appraisal.models import Period
from aftersales.evidence.services import evidence_propose


class Command(BaseCommand):
    help = (
        "Propose appraisal entries from the recorded facts of a month (SPEC §11) for every form of "
        "that month not scored yet, in every department. Idempotent: a re-run refreshes open "
        "proposals and never repeats decided ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True)

    def handle(self, *args: Any, year: int, month: int, **options: Any) -> None:
        if not 1 <= month <= 12:
            raise CommandError("--month must be between 1 and 12")
        periods = Period.objects.filter(year=year, month=month).select_related("department")
        if not periods:
            raise CommandError(f"no appraisal period is open for {year:04d}-{month:02d}")
        for period in periods.order_by("department__code"):
            result = evidence_propose(period=period, actor=None)
            self.stdout.write(
                f"{period}: {result.appraisals} form(s), {result.created} new, "
                f"{result.refreshed} refreshed, {result.withdrawn} withdrawn"
            )
