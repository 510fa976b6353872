"""Pages of the repair area (namespace `repair`, mounted at /repair/)."""

from django.urls import path

from aftersales.repair import views

app_name = "repair"
urlpatterns = [
    path("", views.index, name="index"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/new/", views.job_create, name="job-create"),
    path("jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/complete/", views.job_complete, name="job-complete"),
    path("kpis/", views.kpis, name="kpis"),
]
