"""API shapes of interviews (form 4.6) and training requests (R-7.5)."""

from __future__ import annotations

from rest_framework import serializers

from aftersales.interviews.models import Interview, InterviewItem, TrainingRequest
from aftersales.interviews.services import INTERVIEW_FIELDS, ITEM_FIELDS


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()


class InterviewItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = InterviewItem
        fields = ["number", *ITEM_FIELDS]


class InterviewSerializer(serializers.ModelSerializer):
    employee = PersonSerializer(read_only=True)
    supervisor = PersonSerializer(read_only=True)
    position = serializers.CharField(source="position.name", read_only=True)
    department = serializers.CharField(source="department.name", read_only=True)
    items = InterviewItemSerializer(many=True, read_only=True)
    training_request: serializers.PrimaryKeyRelatedField[TrainingRequest] = (
        serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    )

    class Meta:
        model = Interview
        fields = [
            "id",
            "employee",
            "supervisor",
            "position",
            "department",
            *INTERVIEW_FIELDS,
            "items",
            "training_request",
            "recorded_at",
        ]


class TrainingRequestSerializer(serializers.ModelSerializer):
    employee = PersonSerializer(read_only=True)

    class Meta:
        model = TrainingRequest
        fields = [
            "id",
            "employee",
            "source",
            "interview",
            "reason",
            "content",
            "suggested_time",
            "expected_effect",
            "status",
            "planned_on",
            "plan",
            "actual_effect",
            "created_at",
            "closed_at",
        ]
