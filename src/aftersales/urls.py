from django.contrib import admin
from django.urls import include, path

AREAS = [
    "organisation",
    "appraisal",
    "interviews",
    "service",
    "parts",
    "repair",
    "discipline",
    "results",
    "payroll",
    "evidence",
    "formdefs",
]

urlpatterns = [
    path("", include("aftersales.web.urls")),
    *[path(f"{area}/", include(f"aftersales.{area}.urls")) for area in AREAS],
    *[path(f"api/{area}/", include(f"aftersales.{area}.api_urls")) for area in AREAS],
    path("todo/", include("aftersales.todo.urls")),
    path("jobs/", include("aftersales.jobs.urls")),
    path("api/jobs/", include("aftersales.jobs.api_urls")),
    path("api/", include("aftersales.api.urls")),
    path("c/", include("aftersales.service.public_urls")),  # the customer's confirmation page, no login
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler500 = "aftersales.web.errors.server_error"
