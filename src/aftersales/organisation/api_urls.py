"""API of this area, mounted at /api/organisation/ (namespace `api-organisation`)."""

from django.urls import path

from aftersales.organisation import api

app_name = "api-organisation"
urlpatterns = [
    path("employees/", api.EmployeeList.as_view(), name="employee-list"),
    path("employees/<int:pk>/", api.EmployeeDetail.as_view(), name="employee-detail"),
]
