"""API of the repair area, mounted at /api/repair/ (namespace `api-repair`)."""

from django.urls import path

from aftersales.repair import api

app_name = "api-repair"
urlpatterns = [
    path("jobs/", api.JobList.as_view(), name="job-list"),
    path("jobs/<int:pk>/complete/", api.JobComplete.as_view(), name="job-complete"),
    path("kpis/", api.Kpis.as_view(), name="kpis"),
]
