"""`aftersales jobs_worker [--batch]` — work off the background jobs' queue in a process of its own
(aftersales.jobs.worker): the database queue by default, Redis with ``AFTERSALES_JOBS=redis``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aftersales.jobs.worker import run_worker


class Command(BaseCommand):
    help = "Run the background jobs (large pay sheets, the company close) as they are queued."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run the jobs waiting now, then exit")

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        run_worker(batch=batch)
