"""API of this area, mounted at /api/interviews/ (namespace `api-interviews`)."""

from django.urls import path

from aftersales.interviews import api

app_name = "api-interviews"
urlpatterns = [
    path("", api.InterviewList.as_view(), name="interview-list"),
    path("<int:pk>/", api.InterviewDetail.as_view(), name="interview-detail"),
    path("<int:pk>/edit/", api.InterviewEdit.as_view(), name="interview-edit"),
    path("employees/<int:pk>/", api.InterviewCreate.as_view(), name="interview-create"),
    path("audit/flag/", api.AuditFlag.as_view(), name="audit-flag"),
    path("training-requests/", api.TrainingRequestList.as_view(), name="training-request-list"),
    path("training-requests/<int:pk>/", api.TrainingRequestDetail.as_view(), name="training-request-detail"),
    path("training-requests/<int:pk>/plan/", api.TrainingPlan.as_view(), name="training-plan"),
    path("training-requests/<int:pk>/close/", api.TrainingClose.as_view(), name="training-close"),
]
