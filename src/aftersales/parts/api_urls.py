"""API of this area, mounted at /api/parts/ (namespace `api-parts`)."""

app_name = "api-parts"
urlpatterns: list = []
