"""API of this area, mounted at /api/appraisal/ (namespace `api-appraisal`).

URL names: appraisal-list/-detail and one per step (appraisal-self-report, -score, -review, -return,
-confirm, -confirm-email, -appeal, -archive); appeal-list/-detail/-decide; period-list/-detail
(POST period-list opens one); agreement-list/-detail/-save/-sign; notifications-read.
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from aftersales.appraisal import api

app_name = "api-appraisal"

router = SimpleRouter()
router.register("appraisals", api.AppraisalViewSet, basename="appraisal")
router.register("appeals", api.AppealViewSet, basename="appeal")
router.register("periods", api.PeriodViewSet, basename="period")
router.register("agreements", api.AgreementViewSet, basename="agreement")
urlpatterns = [
    *router.urls,
    path("notifications/read/", api.NotificationsRead.as_view(), name="notifications-read"),
]
