"""Pages of this area (namespace `interviews`)."""

app_name = "interviews"
urlpatterns: list = []
