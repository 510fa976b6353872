"""Admin: proposals are read here; they change only through the actions (services.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from aftersales.evidence.models import Proposal


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    list_display = ("appraisal", "section_name", "item_text", "source", "status", "decided_by")
    list_filter = ("status", "source")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
