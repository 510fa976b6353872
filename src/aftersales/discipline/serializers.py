"""API representations of records, reasons and the yearly standing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from rest_framework import serializers

from aftersales.discipline.models import DisciplineRecord, Kind, RewardReason
from aftersales.discipline.selectors import Level, YearlyStanding

POINTS: dict[str, Any] = {"max_digits": 4, "decimal_places": 0}


class DisciplineEmployeeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()


class DisciplineReasonSerializer(serializers.ModelSerializer[RewardReason]):
    label = serializers.CharField(read_only=True, help_text="第十四条第三款")  # type: ignore[assignment]

    class Meta:
        model = RewardReason
        fields = ["id", "article", "clause", "label", "text", "suggested_kind", "active"]


class DisciplineRecordSerializer(serializers.ModelSerializer[DisciplineRecord]):
    employee = DisciplineEmployeeSerializer(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    points = serializers.DecimalField(
        **POINTS, read_only=True, help_text="R-6.2 points on the month of effect"
    )
    reason_label = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    issuer: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    approved_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = DisciplineRecord
        fields = [
            "id",
            "employee",
            "kind",
            "kind_display",
            "points",
            "reason",
            "reason_label",
            "reason_text",
            "effective_date",
            "status",
            "status_display",
            "issuer",
            "created_at",
            "approved_by",
            "approved_at",
            "note",
        ]
        read_only_fields = fields

    def get_reason_label(self, record: DisciplineRecord) -> str:
        return record.reason.label if record.reason else ""


class DisciplineProposalSerializer(serializers.Serializer[Any]):
    employee = serializers.IntegerField(help_text="employee id")
    kind = serializers.ChoiceField(choices=Kind.choices)
    reason = serializers.PrimaryKeyRelatedField(
        queryset=RewardReason.objects.filter(active=True), required=False, allow_null=True, default=None
    )
    reason_text = serializers.CharField(required=False, allow_blank=True, default="")
    effective_date = serializers.DateField()


class DisciplineDecisionSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DisciplineMonthPointsSerializer(serializers.Serializer[Any]):
    month = serializers.CharField(help_text="YYYY-MM")
    points = serializers.DecimalField(**POINTS)


class DisciplineLevelSerializer(serializers.Serializer[Level]):
    good = serializers.CharField()
    bad = serializers.CharField()
    good_count = serializers.IntegerField()
    bad_count = serializers.IntegerField()
    good_carried = serializers.IntegerField(help_text="converted up from the level below")
    bad_carried = serializers.IntegerField()
    offset = serializers.IntegerField(help_text="pairs cancelled one for one")
    good_converted = serializers.IntegerField(help_text="turned into one of the level above per 3")
    bad_converted = serializers.IntegerField()
    good_net = serializers.IntegerField()
    bad_net = serializers.IntegerField()


class DisciplineStandingSerializer(serializers.Serializer[YearlyStanding]):
    employee = DisciplineEmployeeSerializer()
    year = serializers.IntegerField()
    monthly_points = serializers.SerializerMethodField()
    total_points = serializers.DecimalField(**POINTS)
    levels = DisciplineLevelSerializer(many=True)
    net = serializers.DictField(child=serializers.IntegerField(), help_text="R-6.3 standing per kind")
    dismissal_case = serializers.BooleanField(help_text="3 or more net major demerits: an HR case")

    def get_monthly_points(self, standing: YearlyStanding) -> list[dict[str, str]]:
        return DisciplineMonthPointsSerializer(
            [{"month": str(month), "points": points} for month, points in standing.monthly_points], many=True
        ).data  # type: ignore[return-value]
