"""Pages of this area (namespace `interviews`): form 4.6, the R-4.4 audit, training requests (R-7.5)."""

from django.urls import path

from aftersales.interviews import views

app_name = "interviews"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/<int:employee_pk>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("audit/", views.audit, name="audit"),
    path("audit/flag/", views.audit_flag, name="audit-flag"),
    path("training/", views.training_list, name="training-list"),
    path("training/<int:pk>/", views.training_detail, name="training-detail"),
    path("training/<int:pk>/plan/", views.training_plan, name="training-plan"),
    path("training/<int:pk>/close/", views.training_close, name="training-close"),
]
