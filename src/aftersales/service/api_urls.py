"""API of the service area, mounted at /api/service/ (namespace `api-service`)."""

from django.urls import path

from aftersales.service import api

app_name = "api-service"
_generic = [
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
# the page acts' twins, before the generic orders/<pk>/<action>/ and reports/<pk>/<action>/ routes
urlpatterns = [
    path("orders/<int:pk>/report/", api.ReportStart.as_view(), name="report-start"),
    path("orders/<int:pk>/check-in/", api.CheckIn.as_view(), name="order-check-in"),
    path("orders/<int:pk>/photos/", api.OrderPhotos.as_view(), name="order-photos"),
    path("orders/<int:pk>/survey/", api.SurveyCreate.as_view(), name="survey-create"),
    path("reports/<int:pk>/photos/", api.ReportPhotos.as_view(), name="report-photos"),
    path("reports/<int:pk>/confirmation/", api.ReportConfirmation.as_view(), name="report-confirmation"),
    path("quality/", api.QualityCreate.as_view(), name="quality-create"),
    path("quality/<int:pk>/respond/", api.QualityRespond.as_view(), name="quality-respond"),
    path("quality/<int:pk>/photos/", api.QualityPhotos.as_view(), name="quality-photos"),
    path("old-parts/<int:pk>/photos/", api.OldPartPhotos.as_view(), name="old-part-photos"),
    path("photos/<int:pk>/", api.PhotoFile.as_view(), name="photo-file"),
    path("calls/", api.CallCreate.as_view(), name="call-create"),
    path("calls/<int:pk>/answer/", api.CallAnswer.as_view(), name="call-answer"),
    path("calls/<int:pk>/file/", api.CallFile.as_view(), name="call-file"),
    path("complaints/<int:pk>/respond/", api.ComplaintRespond.as_view(), name="complaint-respond"),
    path("incidents/", api.IncidentCreate.as_view(), name="incident-create"),
    path("incidents/<int:pk>/update/", api.IncidentUpdate.as_view(), name="incident-update"),
    path("phone-off/", api.PhoneOffCreate.as_view(), name="phoneoff-create"),
    *_generic,
]
