"""Pages of this area (namespace `repair`)."""

app_name = "repair"
urlpatterns: list = []
