from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from aftersales.organisation.models import Department, Employee, Position, Region


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "parent", "head", "head_in_pool"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department"]


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "category", "standard_salary"]


@admin.register(Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "department", "region", "position", "category", "supervisor"]
    list_filter = ["department", "category"]
    search_fields = ["number", "name"]
    list_select_related = ["department", "region", "position", "supervisor"]
