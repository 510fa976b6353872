"""API of rewards and penalties, mounted at /api/discipline/ (namespace `api-discipline`)."""

from django.urls import path

from aftersales.discipline import api

app_name = "api-discipline"
urlpatterns = [
    path("records/", api.RecordListView.as_view(), name="record-list"),
    path("records/<int:pk>/", api.RecordDetailView.as_view(), name="record-detail"),
    path("records/<int:pk>/approve/", api.RecordApproveView.as_view(), name="record-approve"),
    path("records/<int:pk>/reject/", api.RecordRejectView.as_view(), name="record-reject"),
    path("employees/<int:pk>/standing/", api.StandingView.as_view(), name="standing"),
    path("reasons/", api.ReasonListView.as_view(), name="reason-list"),
    path("reasons/new/", api.ReasonCreateView.as_view(), name="reason-create"),
    path("reasons/<int:pk>/", api.ReasonEditView.as_view(), name="reason-edit"),
    path("cases/<int:pk>/decide/", api.CaseDecideView.as_view(), name="case-decide"),
]
