"""Admin: the catalogue is edited here or on its page; records and cases change only through the acts."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from aftersales.discipline.models import DisciplineRecord, DismissalCase, RewardReason


@admin.register(RewardReason)
class RewardReasonAdmin(SimpleHistoryAdmin):  # type: ignore[type-arg]
    list_display = ("label", "text", "suggested_kind", "active")
    list_filter = ("active", "suggested_kind")
    search_fields = ("text",)


class _ReadOnlyAdmin(SimpleHistoryAdmin):  # type: ignore[type-arg]
    """Approval and case decisions go through ``services`` (permissions, standing, history)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DisciplineRecord)
class DisciplineRecordAdmin(_ReadOnlyAdmin):
    list_display = ("employee", "kind", "effective_date", "status", "issuer", "approved_by")
    list_filter = ("status", "kind")
    search_fields = ("employee__name", "employee__number")
    list_select_related = ("employee", "issuer", "approved_by")


@admin.register(DismissalCase)
class DismissalCaseAdmin(_ReadOnlyAdmin):
    list_display = ("employee", "year", "major_demerits", "status", "raised_at", "decided_by")
    list_filter = ("status", "year")
    list_select_related = ("employee", "decided_by")
