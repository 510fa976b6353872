"""Pages of performance pay (namespace `payroll`, mounted at /payroll/)."""

from django.urls import path

from aftersales.payroll import views

app_name = "payroll"
urlpatterns = [
    path("", views.index, name="index"),
    path("close/", views.close_run, name="close-run"),
    path("closes/<int:pk>/", views.close_detail, name="close-detail"),
    path("closes/<int:pk>/xlsx/", views.close_xlsx, name="close-xlsx"),
    path("closes/<int:pk>/pdf/", views.close_pdf, name="close-pdf"),
    path("closes/<int:pk>/simulator/", views.simulator, name="simulator"),
    path("lines/<int:pk>/", views.line_detail, name="line-detail"),
    path("lines/<int:pk>/override/", views.line_override, name="line-override"),
    path("lines/<int:pk>/release/", views.line_release, name="line-release"),
    path("departments/<int:pk>/fund/", views.fund, name="fund"),
    path("departments/<int:pk>/fund/payout/", views.fund_payout, name="fund-payout"),
    path("departments/<int:pk>/trend/", views.trend, name="trend"),
    path("overview/", views.overview, name="overview"),
    path("settings/", views.settings_edit, name="settings"),
    path("coefficients/", views.coefficients, name="coefficients"),
]
