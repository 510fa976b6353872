"""The forms have no API of their own yet: `aftersales templates` reads them on the command line."""

app_name = "api-formdefs"
urlpatterns: list[object] = []
