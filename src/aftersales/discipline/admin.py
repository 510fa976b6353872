"""Admin: the catalogue is edited here or on its page; records and cases change only through the acts."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.discipline.models import DisciplineRecord, DismissalCase, RewardReason
from aftersales.web.admin import ReadOnlyAdmin


@admin.register(RewardReason)
class RewardReasonAdmin(SimpleHistoryAdmin):
    list_display = ("label", "text", "suggested_kind", "active")
    list_filter = ("active", "suggested_kind")
    search_fields = ("text",)


@admin.register(DisciplineRecord)
class DisciplineRecordAdmin(ReadOnlyAdmin):
    list_display = ("employee", "kind", "effective_date", "status", "issuer", "approved_by")
    list_filter = ("status", "kind")
    search_fields = ("employee__name", "employee__number")
    list_select_related = ("employee", "issuer", "approved_by")


@admin.register(DismissalCase)
class DismissalCaseAdmin(ReadOnlyAdmin):
    list_display = ("employee", "year", "major_demerits", "status", "raised_at", "decided_by")
    list_filter = ("status", "year")
    list_select_related = ("employee", "decided_by")
