"""API of this area, mounted at /api/repair/ (namespace `api-repair`)."""

app_name = "api-repair"
urlpatterns: list = []
