"""Admin: read-only; cases are raised by the evaluation and decided through ``services`` (recorded)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from aftersales.results.models import EvaluationRun, PositionAdjustment, ResultCase


class _ReadOnlyAdmin(SimpleHistoryAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ResultCase)
class ResultCaseAdmin(_ReadOnlyAdmin):
    list_display = ("employee", "kind", "year", "month", "status", "decision", "decided_by")
    list_filter = ("kind", "status", "year")
    search_fields = ("employee__name", "employee__number")
    list_select_related = ("employee", "decided_by")


@admin.register(PositionAdjustment)
class PositionAdjustmentAdmin(_ReadOnlyAdmin):
    list_display = ("employee", "year", "month", "from_position", "to_position", "kind", "follow_up_passed")
    list_select_related = ("employee", "from_position", "to_position")


@admin.register(EvaluationRun)
class EvaluationRunAdmin(_ReadOnlyAdmin):
    list_display = ("year", "month", "annual", "actor", "ran_at")
    list_select_related = ("actor",)
