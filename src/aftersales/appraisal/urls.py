"""Pages of this area (namespace `appraisal`)."""

app_name = "appraisal"
urlpatterns: list = []
