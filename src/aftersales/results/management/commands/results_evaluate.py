"""`aftersales results_evaluate --year Y --month M [--annual] [--user NAME]`: raise the result cases due."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aftersales.results import services


class Command(BaseCommand):
    help = (
        "Raise the result cases due as of a month (SPEC §7): unqualified (R-7.4), six-month follow-ups "
        "(R-7.3); in December or with --annual also work reports (R-7.3) and promotion candidates "
        "(R-7.2). Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True)
        parser.add_argument(
            "--annual", action="store_true", help="also the annual evaluation (always in December)"
        )
        parser.add_argument("--user", help="the HR login recorded as evaluator (default: the system)")

    def handle(
        self, *args: Any, year: int, month: int, annual: bool, user: str | None, **options: Any
    ) -> None:
        actor = self._actor(user)
        try:
            result = services.results_evaluate(year=year, month=month, annual=annual, actor=actor)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
        self.stdout.write(f"raised {len(result.raised)} case(s) as of {year:04d}-{month:02d}")
        for kind, count in sorted(result.run.raised.items()):
            self.stdout.write(f"  {kind}: {count}")

    def _actor(self, username: str | None) -> Any:
        if username is None:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {username!r}") from None
