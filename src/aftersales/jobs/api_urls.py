"""API of background jobs, mounted at /api/jobs/ (namespace `api-jobs`)."""

from django.urls import path

from aftersales.jobs import api

app_name = "api-jobs"
urlpatterns = [
    path("", api.BackgroundJobList.as_view(), name="list"),
    path("<int:pk>/", api.BackgroundJobDetail.as_view(), name="detail"),
    path("<int:pk>/download/", api.BackgroundJobDownload.as_view(), name="download"),
]
