"""API of this area, mounted at /api/interviews/ (namespace `api-interviews`)."""

from django.urls import path

from aftersales.interviews import api

app_name = "api-interviews"
urlpatterns = [
    path("", api.InterviewList.as_view(), name="interview-list"),
    path("<int:pk>/", api.InterviewDetail.as_view(), name="interview-detail"),
    path("training-requests/", api.TrainingRequestList.as_view(), name="training-request-list"),
    path("training-requests/<int:pk>/", api.TrainingRequestDetail.as_view(), name="training-request-detail"),
]
