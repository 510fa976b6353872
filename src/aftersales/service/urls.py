"""Pages of the service area (namespace `service`, mounted at /service/)."""

from django.urls import path

from aftersales.service import views

app_name = "service"
urlpatterns = [
    path("", views.index, name="index"),
    path("orders/", views.order_list, name="order-list"),
    path("orders/new/", views.order_create, name="order-create"),
    path("orders/overdue/", views.overdue, name="overdue"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/dispatch/", views.order_dispatch, name="order-dispatch"),
    path("orders/<int:pk>/milestone/", views.order_milestone, name="order-milestone"),
    path("orders/<int:pk>/resolve/", views.order_resolve, name="order-resolve"),
    path("orders/<int:pk>/cancel/", views.order_cancel, name="order-cancel"),
    path("orders/<int:pk>/report/", views.report_create, name="report-create"),
    path("orders/<int:pk>/survey/", views.survey_create, name="survey-create"),
    path("kpis/", views.kpis, name="kpis"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("reports/<int:pk>/sign/", views.report_sign, name="report-sign"),
    path("reports/<int:pk>/approve/", views.report_approve, name="report-approve"),
    path("reports/<int:pk>/revise/", views.report_revise, name="report-revise"),
    path("reports/<int:pk>/print/", views.report_print, name="report-print"),
    path("calls/", views.call_list, name="call-list"),
    path("calls/new/", views.call_create, name="call-create"),
    path("calls/<int:pk>/", views.call_detail, name="call-detail"),
    path("calls/<int:pk>/file/", views.call_file, name="call-file"),
    path("complaints/", views.complaint_list, name="complaint-list"),
    path("complaints/new/", views.complaint_create, name="complaint-create"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/verify/", views.complaint_verify, name="complaint-verify"),
    path("complaints/<int:pk>/respond/", views.complaint_respond, name="complaint-respond"),
    path("incidents/", views.incident_list, name="incident-list"),
    path("incidents/new/", views.incident_create, name="incident-create"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident-detail"),
    path("quality/", views.quality_list, name="quality-list"),
    path("quality/new/", views.quality_create, name="quality-create"),
    path("quality/<int:pk>/", views.quality_detail, name="quality-detail"),
    path("quality/<int:pk>/files/<int:attachment>/", views.quality_attachment, name="quality-attachment"),
    path("phone-off/", views.phoneoff_list, name="phoneoff-list"),
]
