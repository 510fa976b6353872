"""`aftersales interview_audit`: the monthly interview audit (R-4.4), for a scheduler.

Run on the first days of each month: for the month just ended (or ``--month YYYY-MM``), when it
closes a two-month block, the appraisals of that month of everyone still missing an interview are
flagged "interview missing"; in other months it only reports. Acts as the HR user ``--user``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from aftersales.core.errors import RuleError
from aftersales.core.interview_rules import Block, closes_block
from aftersales.core.periods import Month
from aftersales.interviews.selectors import interview_audit
from aftersales.interviews.services import interviews_flag_missing


class Command(BaseCommand):
    help = "R-4.4: list missing interviews and, at a block's close, flag that month's appraisals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="YYYY-MM (default: last month)")
        parser.add_argument("--user", required=True, help="username of the HR user the audit acts as")

    def handle(self, *args: Any, month: str | None, user: str, **options: Any) -> None:
        try:
            audited = Month.parse(month) if month else Month.of(timezone.localdate()).shift(-1)
            actor = get_user_model().objects.get(username=user)
        except (RuleError, get_user_model().DoesNotExist) as error:
            raise CommandError(str(error)) from None
        block = Block.of(audited)
        for group in interview_audit(block.year, block.number, as_of=timezone.localdate()):
            names = ", ".join(f"{e.number} {e.name}" for e in group.employees)
            self.stdout.write(f"{block} {group.supervisor.number} {group.supervisor.name}: {names}")
        if not closes_block(audited):
            self.stdout.write(f"{audited} does not close its block: nothing flagged")
            return
        try:
            result = interviews_flag_missing(year=audited.year, month=audited.month, actor=actor)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{audited}: {len(result.missing)} missing, {result.flagged} appraisals flagged")
