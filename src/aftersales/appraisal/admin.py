"""Admin: read-mostly views for support staff; the cycle itself runs through the actions."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.appraisal.models import Agreement, Appeal, Appraisal, Notification, Period, Transition


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ("department", "year", "month", "status", "opened_by", "opened_at")
    list_filter = ("status", "department")


@admin.register(Appraisal)
class AppraisalAdmin(SimpleHistoryAdmin):
    list_display = ("employee", "period", "version", "is_current", "state", "final_score", "grade")
    list_filter = ("state", "is_current", "period")
    search_fields = ("employee__name", "employee__number")

    def has_change_permission(self, request, obj=None):
        return False  # every change is an action with its role check and history


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ("employee", "period", "employee_signed_at", "supervisor_signed_at")


@admin.register(Appeal)
class AppealAdmin(SimpleHistoryAdmin):
    list_display = ("appraisal", "status", "filed_at", "decided_by", "decided_at")
    list_filter = ("status",)


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ("appraisal", "from_state", "to_state", "actor", "at")

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(Notification)
