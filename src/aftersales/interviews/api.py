"""REST API of interviews and training requests: the pages' selectors, paginated; and the pages' acts
(record and correct an interview, HR's audit flag, plan and close a training request) through the
pages' forms and the same services (aftersales.ui.api_forms)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.interviews import selectors, services
from aftersales.interviews.forms import (
    FlagForm,
    InterviewForm,
    InterviewItemForm,
    InterviewItemFormSet,
    TrainingCloseForm,
    TrainingPlanForm,
)
from aftersales.interviews.models import Interview, TrainingRequest
from aftersales.interviews.serializers import InterviewSerializer, TrainingRequestSerializer
from aftersales.organisation.access import employee_of, get_employee_for_user, is_company_wide
from aftersales.ui.api_forms import FormAction, body_is_an_object, serializer_for, twin, valid_form


class InterviewList(generics.ListAPIView):
    """Interviews the caller may see (R-1.1), newest first."""

    serializer_class = InterviewSerializer

    def get_queryset(self) -> QuerySet[Interview]:
        return selectors.interviews_visible_to(self.request.user).prefetch_related("items")


class InterviewDetail(generics.RetrieveAPIView):
    serializer_class = InterviewSerializer

    def get_object(self) -> Interview:
        return selectors.get_interview_for_user(self.request.user, self.kwargs["pk"])


class TrainingRequestList(generics.ListAPIView):
    """Training requests (R-7.5): all for HR, one's own and one's team's for others."""

    serializer_class = TrainingRequestSerializer

    def get_queryset(self) -> QuerySet[TrainingRequest]:
        return selectors.training_requests_visible_to(self.request.user)


class TrainingRequestDetail(generics.RetrieveAPIView):
    serializer_class = TrainingRequestSerializer

    def get_object(self) -> TrainingRequest:
        return selectors.get_training_request_for_user(self.request.user, self.kwargs["pk"])


# --- acts ----------------------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


ITEMS = {"items": serializer_for(InterviewItemForm, "InterviewItemInput")(many=True, required=False)}


def _items(request: Request) -> list[dict[str, Any]]:
    """The body's ``items`` (up to three) through the page's item formset."""
    rows = request.data.get("items") or []
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValidationError({"items": ["须为面谈项目的列表"]})
    data = {"items-TOTAL_FORMS": str(len(rows)), "items-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data |= {f"items-{index}-{key}": value for key, value in row.items()}
    formset = InterviewItemFormSet(data, prefix="items")
    if not formset.is_valid():
        raise ValidationError({"items": [str(e) for e in [*formset.errors, formset.non_form_errors()] if e]})
    return list(formset.cleaned_data)


@twin(InterviewForm, "InterviewInput", extra=ITEMS)
class InterviewCreate(FormAction):
    """The direct supervisor records an interview (form 4.6) with one of their employees."""

    def target(self, request: Request, pk: int | None) -> Any:
        employee = get_employee_for_user(request.user, pk or 0)
        _require(selectors.may_record_interview(employee_of(request.user), employee))
        return employee

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        items = _items(request)
        return services.interview_record(employee=target, fields=data, items=items, actor=request.user)


@twin(InterviewForm, "InterviewInput", created=False, extra=ITEMS)
class InterviewEdit(FormAction):
    """The supervisor who held the interview corrects it (the history keeps the earlier version)."""

    def target(self, request: Request, pk: int | None) -> Any:
        interview = selectors.get_interview_for_user(request.user, pk or 0)
        _require(selectors.may_correct_interview(employee_of(request.user), interview))
        return interview

    def form_kwargs(self, request: Request, target: Any) -> dict[str, Any]:
        return {"instance": target}

    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        items = _items(request)
        return services.interview_update(interview=target, fields=data, items=items, actor=request.user)


class FlagResultSerializer(serializers.Serializer[Any]):
    missing = serializers.ListField(child=serializers.IntegerField(), help_text="employee ids")
    flagged = serializers.IntegerField(help_text="appraisals newly flagged")


@extend_schema(request=serializer_for(FlagForm, "InterviewFlagInput"), responses=FlagResultSerializer)
class AuditFlag(FormAction):
    """HR flags the closing month's appraisals of those missing an interview (R-4.4)."""

    form_class = FlagForm

    def post(self, request: Request, pk: int | None = None) -> Response:
        body_is_an_object(request)
        _require(is_company_wide(request.user))
        data = valid_form(FlagForm, request.data).cleaned_data
        result = services.interviews_flag_missing(year=data["year"], month=data["month"], actor=request.user)
        body = {"missing": [e.pk for e in result.missing], "flagged": result.flagged}
        return Response(FlagResultSerializer(body).data)


class _TrainingAct(FormAction):
    def target(self, request: Request, pk: int | None) -> TrainingRequest:
        training = selectors.get_training_request_for_user(request.user, pk or 0)
        _require(is_company_wide(request.user))
        return training


@twin(TrainingPlanForm, "TrainingPlanInput", created=False)
class TrainingPlan(_TrainingAct):
    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.training_request_plan(request=target, actor=request.user, **data)


@twin(TrainingCloseForm, "TrainingCloseInput", created=False)
class TrainingClose(_TrainingAct):
    def act(self, request: Request, target: Any, data: dict[str, Any]) -> Any:
        return services.training_request_close(request=target, actor=request.user, **data)
