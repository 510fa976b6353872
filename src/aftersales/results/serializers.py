"""API representations of cases, composites and evaluation runs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from aftersales.core.errors import RuleError
from aftersales.core.periods import Month
from aftersales.organisation.models import Position
from aftersales.results.models import Decision, PositionAdjustment, ReportOutcome, ResultCase
from aftersales.results.selectors import CompositeRow

SCORE: dict[str, Any] = {"max_digits": 6, "decimal_places": 2}


class EmployeeRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()
    department = serializers.CharField(source="department.name")


class AdjustmentSerializer(serializers.ModelSerializer[PositionAdjustment]):
    effective_month = serializers.CharField(read_only=True, help_text="YYYY-MM")
    from_position = serializers.CharField(source="from_position.name")
    to_position = serializers.CharField(source="to_position.name")

    class Meta:
        model = PositionAdjustment
        fields = [
            "id",
            "effective_month",
            "from_position",
            "to_position",
            "kind",
            "reason",
            "follow_up_passed",
        ]
        read_only_fields = fields


class WorkReportSerializer(serializers.Serializer[ResultCase]):
    """述职 (R-7.3, R-7.4): the report the employee gave and its outcome."""

    date = serializers.DateField(source="report_date")
    text = serializers.CharField(source="report_text")
    outcome = serializers.ChoiceField(source="report_outcome", choices=ReportOutcome.choices)
    outcome_display = serializers.CharField(source="get_report_outcome_display")
    note = serializers.CharField(source="report_note")
    recorded_by = serializers.CharField(source="report_recorded_by.username", read_only=True)
    recorded_at = serializers.DateTimeField(source="report_recorded_at")


class WorkReportInputSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    text = serializers.CharField()
    outcome = serializers.ChoiceField(choices=ReportOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseSerializer(serializers.ModelSerializer[ResultCase]):
    employee = EmployeeRefSerializer(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    period = serializers.CharField(source="period_label", read_only=True, help_text="YYYY or YYYY-MM")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    decision = serializers.ChoiceField(choices=Decision.choices, allow_blank=True, read_only=True)
    decision_display = serializers.CharField(source="get_decision_display", read_only=True)
    decided_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    adjustment = serializers.SerializerMethodField()
    needs_work_report = serializers.BooleanField(read_only=True, help_text="R-7.3, R-7.4: 述职 required")
    work_report = serializers.SerializerMethodField()

    class Meta:
        model = ResultCase
        fields = [
            "id",
            "employee",
            "kind",
            "kind_display",
            "year",
            "month",
            "period",
            "facts",
            "follows",
            "raised_at",
            "status",
            "status_display",
            "decision",
            "decision_display",
            "note",
            "decided_by",
            "decided_at",
            "adjustment",
            "training_request",
            "needs_work_report",
            "work_report",
        ]
        read_only_fields = fields

    @extend_schema_field(WorkReportSerializer(allow_null=True))
    def get_work_report(self, case: ResultCase) -> dict[str, Any] | None:
        return WorkReportSerializer(case).data if case.has_work_report else None

    def get_adjustment(self, case: ResultCase) -> dict[str, Any] | None:
        adjustment = getattr(case, "adjustment", None)
        return AdjustmentSerializer(adjustment).data if adjustment else None


class DecideSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=Decision.choices)
    note = serializers.CharField()
    position = serializers.PrimaryKeyRelatedField(
        queryset=Position.objects.all(), required=False, allow_null=True, default=None
    )
    effective = serializers.CharField(required=False, allow_null=True, default=None, help_text="YYYY-MM")
    training_content = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    def validate_effective(self, value: str | None) -> Month | None:
        try:
            return Month.parse(value) if value else None
        except RuleError as exc:
            raise serializers.ValidationError(str(exc)) from None


class CompositeSerializer(serializers.Serializer[CompositeRow]):
    employee = EmployeeRefSerializer()
    year = serializers.IntegerField()
    composite = serializers.DecimalField(**SCORE, help_text="R-7.1 mean of the archived monthly scores")
    months = serializers.IntegerField(help_text="archived monthly scores in the year")
    previous_year = serializers.DecimalField(**SCORE, allow_null=True)
    year_before = serializers.DecimalField(**SCORE, allow_null=True)
    promotion_candidate = serializers.BooleanField(help_text="R-7.2")
    work_report_required = serializers.BooleanField(help_text="R-7.3")


class EvaluateSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    annual = serializers.BooleanField(required=False, default=False, help_text="month 12 always is")


class EvaluationSerializer(serializers.Serializer[Any]):
    run = serializers.IntegerField(source="run.pk")
    raised = CaseSerializer(many=True)
