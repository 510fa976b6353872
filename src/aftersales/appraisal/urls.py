"""Pages of this area (namespace `appraisal`)."""

from django.urls import path

from aftersales.appraisal import views

app_name = "appraisal"
urlpatterns = [
    path("", views.index, name="index"),
    path("periods/", views.period_list, name="period-list"),
    path("periods/open/", views.period_open, name="period-open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/self-report/", views.self_report, name="self-report"),
    path("<int:pk>/score/", views.score, name="score"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/return/", views.return_to_supervisor, name="return"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/confirm-email/", views.confirm_by_email, name="confirm-email"),
    path("<int:pk>/appeal/", views.appeal, name="appeal"),
    path("<int:pk>/archive/", views.archive, name="archive"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal-decide"),
    path("agreements/<int:pk>/", views.agreement, name="agreement"),
    path("agreements/<int:pk>/save/", views.agreement_save, name="agreement-save"),
    path("agreements/<int:pk>/sign/", views.agreement_sign, name="agreement-sign"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
]
