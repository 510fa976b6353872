"""Building interviews for tests through the real action (so permissions and side effects apply)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.interviews.models import Interview
from aftersales.interviews.services import interview_record
from aftersales.organisation.models import Employee

ITEM = {
    "strengths_or_problems": "服务月报经常拖延",
    "improvement_suggestions": "每周五前完成周报",
    "resources_needed": "报告模板",
    "phase_goals": "月报全部按时提交",
    "next_review": "",
}
TRAINING = {
    "training_reason": "电气故障诊断能力不足",
    "training_content": "车载电气系统故障诊断",
    "training_planned_time": "下月",
    "training_expected_effect": "能独立处理电气故障",
}


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def fields(held_on: date | None = None, **extra: Any) -> dict[str, Any]:
    held_on = held_on or timezone.localdate()
    return {
        "held_on": held_on,
        "improvement_from": held_on,
        "improvement_to": held_on + timedelta(days=60),
        "performance_score": None,
        **extra,
    }


def record(
    employee: str = "engineer",
    by: str = "regional",
    held_on: date | None = None,
    items: list[dict[str, str]] | None = None,
    **extra: Any,
) -> Interview:
    """An interview of ``employee`` (a persona's username) held by ``by`` (their supervisor)."""
    return interview_record(
        employee=Employee.objects.get(user__username=employee),
        fields=fields(held_on, **extra),
        items=[ITEM] if items is None else items,
        actor=user(by),
    )
