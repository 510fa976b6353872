"""Pages of rewards and penalties (namespace `discipline`, mounted at /discipline/)."""

from django.urls import path

from aftersales.discipline import views

app_name = "discipline"
urlpatterns = [
    path("", views.index, name="index"),
    path("propose/", views.propose, name="propose"),
    path("records/<int:pk>/", views.record_detail, name="record-detail"),
    path("records/<int:pk>/approve/", views.record_approve, name="record-approve"),
    path("records/<int:pk>/reject/", views.record_reject, name="record-reject"),
    path("employees/<int:pk>/standing/", views.standing, name="standing"),
    path("reasons/", views.reasons, name="reasons"),
    path("reasons/new/", views.reason_create, name="reason-create"),
    path("reasons/<int:pk>/", views.reason_edit, name="reason-edit"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/decide/", views.case_decide, name="case-decide"),
]
