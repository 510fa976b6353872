"""API of performance pay, mounted at /api/payroll/ (namespace `api-payroll`)."""

from django.urls import path

from aftersales.payroll import api

app_name = "api-payroll"
urlpatterns = [
    path("closes/", api.CloseList.as_view(), name="close-list"),
    path("closes/<int:pk>/", api.CloseDetail.as_view(), name="close-detail"),
    path("lines/", api.LineList.as_view(), name="line-list"),
]
