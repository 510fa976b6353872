"""Pages of this area (namespace `service`)."""

app_name = "service"
urlpatterns: list = []
