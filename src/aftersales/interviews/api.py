"""REST API of interviews and training requests: the pages' selectors, paginated, read-only."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import generics

from aftersales.interviews import selectors
from aftersales.interviews.models import Interview, TrainingRequest
from aftersales.interviews.serializers import InterviewSerializer, TrainingRequestSerializer


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
