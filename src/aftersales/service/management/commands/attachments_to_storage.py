"""Move quality-report attachments that older versions kept in the database into the evidence storage
(docs/operations.md). Safe to run again: only rows still holding their bytes are moved, one by one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from aftersales.service import field
from aftersales.service.models import QualityAttachment


class Command(BaseCommand):
    help = "Move quality attachments kept in the database into the evidence storage."

    def handle(self, *args: Any, **options: Any) -> None:
        moved = 0
        for pk in QualityAttachment.objects.filter(storage_key="").values_list("pk", flat=True):
            with transaction.atomic():
                attachment = QualityAttachment.objects.select_for_update().get(pk=pk)
                key = field.store("attachments", bytes(attachment.data), "bin")
                attachment.storage_key, attachment.data = key, b""
                attachment.save(update_fields=["storage_key", "data"])
            moved += 1
        self.stdout.write(f"moved {moved} attachment(s) to the evidence storage")
