"""Pages of this area (namespace `parts`)."""

app_name = "parts"
urlpatterns: list = []
