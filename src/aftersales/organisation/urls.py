"""Pages of this area (namespace `organisation`): the roster, its import and export."""

from django.urls import path

from aftersales.organisation import views

app_name = "organisation"
urlpatterns = [
    path("", views.index, name="index"),
    path("employees/<int:pk>/", views.employee_detail, name="employee-detail"),
    path("employees/new/", views.employee_edit, name="employee-new"),
    path("employees/<int:pk>/edit/", views.employee_edit, name="employee-edit"),
    path("employees/<int:pk>/account/<slug:action>/", views.employee_account, name="employee-account"),
    path("roles/bulk/", views.roles_bulk, name="roles-bulk"),
    path("structure/", views.structure, name="structure"),
    path("structure/<slug:kind>/new/", views.edit, name="new"),
    path("structure/<slug:kind>/<int:pk>/", views.edit, name="edit"),
    path("import/", views.import_roster, name="import"),
    path("export/", views.export_roster, name="export"),
]
