"""API of this area, mounted at /api/appraisal/ (namespace `api-appraisal`)."""

app_name = "api-appraisal"
urlpatterns: list = []
