"""API of the use of results, mounted at /api/results/ (namespace `api-results`)."""

from django.urls import path

from aftersales.results import api

app_name = "api-results"
urlpatterns = [
    path("cases/", api.CaseListView.as_view(), name="case-list"),
    path("cases/<int:pk>/", api.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:pk>/decide/", api.CaseDecideView.as_view(), name="case-decide"),
    path("cases/<int:pk>/work-report/", api.CaseWorkReportView.as_view(), name="case-work-report"),
    path("composites/", api.CompositeListView.as_view(), name="composite-list"),
    path("key-talent/", api.KeyTalentListView.as_view(), name="key-talent"),
    path("evaluate/", api.EvaluateView.as_view(), name="evaluate"),
]
