"""API of this area, mounted at /api/service/ (namespace `api-service`)."""

app_name = "api-service"
urlpatterns: list = []
