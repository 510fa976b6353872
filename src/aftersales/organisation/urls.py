"""Pages of this area (namespace `organisation`): the roster, its import and export."""

from django.urls import path

from aftersales.organisation import views

app_name = "organisation"
urlpatterns = [
    path("", views.index, name="index"),
    path("employees/<int:pk>/", views.employee_detail, name="employee-detail"),
    path("import/", views.import_roster, name="import"),
    path("export/", views.export_roster, name="export"),
]
