"""Admin: read-only; cases are raised by the evaluation and decided through ``services`` (recorded)."""

from __future__ import annotations

from django.contrib import admin

from aftersales.results.models import EvaluationRun, PositionAdjustment, ResultCase
from aftersales.ui.admin import ReadOnlyAdmin


@admin.register(ResultCase)
class ResultCaseAdmin(ReadOnlyAdmin):
    list_display = ("employee", "kind", "year", "month", "status", "decision", "decided_by")
    list_filter = ("kind", "status", "year")
    search_fields = ("employee__name", "employee__number")
    list_select_related = ("employee", "decided_by")


@admin.register(PositionAdjustment)
class PositionAdjustmentAdmin(ReadOnlyAdmin):
    list_display = ("employee", "year", "month", "from_position", "to_position", "kind", "follow_up_passed")
    list_select_related = ("employee", "from_position", "to_position")


@admin.register(EvaluationRun)
class EvaluationRunAdmin(ReadOnlyAdmin):
    list_display = ("year", "month", "annual", "actor", "ran_at")
    list_select_related = ("actor",)
