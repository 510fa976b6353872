"""Pages of the use of results (namespace `results`, mounted at /results/)."""

from django.urls import path

from aftersales.results import views

app_name = "results"
urlpatterns = [
    path("", views.index, name="index"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/decide/", views.case_decide, name="case-decide"),
    path("cases/<int:pk>/work-report/", views.case_work_report, name="case-work-report"),
    path("composites/", views.composites, name="composites"),
    path("key-talent/", views.key_talent, name="key-talent"),
    path("evaluate/", views.evaluate, name="evaluate"),
]
