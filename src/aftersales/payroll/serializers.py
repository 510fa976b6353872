"""API shapes of performance pay: close versions, their lines, running a close."""

from __future__ import annotations

from rest_framework import serializers

from aftersales.payroll.models import CloseLine, CloseVersion


class CloseVersionSerializer(serializers.ModelSerializer):
    department = serializers.IntegerField(source="period.department_id", read_only=True)
    department_name = serializers.CharField(source="period.department.name", read_only=True)
    year = serializers.IntegerField(source="period.year", read_only=True)
    month = serializers.IntegerField(source="period.month", read_only=True)
    closed_by = serializers.CharField(source="closed_by.username", read_only=True)
    line_count = serializers.IntegerField(read_only=True)
    held_count = serializers.IntegerField(read_only=True)
    pay_total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = CloseVersion
        fields = [
            "id",
            "department",
            "department_name",
            "year",
            "month",
            "number",
            "is_current",
            "closed_by",
            "closed_at",
            "reason",
            "pay_ratio",
            "rounding_unit",
            "score_cap",
            "quotas",
            "grade_factor_categories",
            "coefficient",
            "head_in_pool",
            "pool_base",
            "distributable",
            "fund_inflow",
            "line_count",
            "held_count",
            "pay_total",
        ]


class CloseLineSerializer(serializers.ModelSerializer):
    close = serializers.IntegerField(source="version_id", read_only=True)
    employee_number = serializers.CharField(source="employee.number", read_only=True)
    employee_name = serializers.CharField(read_only=True)  # as of the close
    year = serializers.IntegerField(source="version.period.year", read_only=True)
    month = serializers.IntegerField(source="version.period.month", read_only=True)
    grade = serializers.CharField(read_only=True)
    grade_explanation = serializers.CharField(
        read_only=True, help_text="why this grade, in the request's language"
    )

    class Meta:
        model = CloseLine
        fields = [
            "id",
            "close",
            "year",
            "month",
            "employee",
            "employee_number",
            "employee_name",
            "category",
            "position",
            "standard_salary",
            "form_total",
            "discipline_points",
            "final_score",
            "computed_grade",
            "override_grade",
            "override_reason",
            "grade",
            "grade_explanation",
            "grade_rank",
            "grade_group_size",
            "grade_target",
            "grade_quota",
            "override_lapsed",
            "standard_pay",
            "factor",
            "pay",
            "is_head",
            "in_pool",
            "held",
            "held_reason",
            "released_at",
        ]


class CloseRunSerializer(serializers.Serializer):
    department = serializers.IntegerField(
        required=False, allow_null=True, help_text="root department id; null: the company"
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CloseOutcomeSerializer(serializers.Serializer):
    created = CloseVersionSerializer(many=True)
    unchanged = serializers.ListField(
        child=serializers.IntegerField(), help_text="periods whose result did not change"
    )
