"""API of this area, mounted at /api/interviews/ (namespace `api-interviews`)."""

app_name = "api-interviews"
urlpatterns: list = []
