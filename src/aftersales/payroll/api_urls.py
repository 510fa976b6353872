"""API of performance pay, mounted at /api/payroll/ (namespace `api-payroll`)."""

from django.urls import path

from aftersales.payroll import api

app_name = "api-payroll"
urlpatterns = [
    path("closes/", api.CloseList.as_view(), name="close-list"),
    path("closes/<int:pk>/", api.CloseDetail.as_view(), name="close-detail"),
    path("lines/", api.LineList.as_view(), name="line-list"),
    path("lines/<int:pk>/override/", api.LineOverride.as_view(), name="line-override"),
    path("lines/<int:pk>/release/", api.LineRelease.as_view(), name="line-release"),
    path("departments/<int:pk>/fund/payout/", api.FundPayout.as_view(), name="fund-payout"),
    path("settings/", api.SettingsEdit.as_view(), name="settings"),
    path("coefficients/", api.CoefficientSet.as_view(), name="coefficients"),
]
