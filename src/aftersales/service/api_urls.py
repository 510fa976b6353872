"""API of the service area, mounted at /api/service/ (namespace `api-service`)."""

from django.urls import path

from aftersales.service import api

app_name = "api-service"
urlpatterns = [
    path("orders/", api.OrderList.as_view(), name="order-list"),
    path("orders/<int:pk>/", api.OrderDetail.as_view(), name="order-detail"),
    path("orders/<int:pk>/<slug:action>/", api.OrderAction.as_view(), name="order-action"),
    path("reports/", api.ReportList.as_view(), name="report-list"),
    path("reports/<int:pk>/", api.ReportDetail.as_view(), name="report-detail"),
    path("reports/<int:pk>/<slug:action>/", api.ReportAction.as_view(), name="report-action"),
    path("complaints/", api.ComplaintList.as_view(), name="complaint-list"),
    path("complaints/<int:pk>/", api.ComplaintDetail.as_view(), name="complaint-detail"),
    path("complaints/<int:pk>/verify/", api.ComplaintVerify.as_view(), name="complaint-verify"),
    path("kpis/", api.Kpis.as_view(), name="kpis"),
    *api.record_urls(),
]
