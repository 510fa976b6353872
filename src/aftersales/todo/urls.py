from django.urls import path

from aftersales.todo import views

app_name = "todo"

urlpatterns = [
    path("", views.index, name="index"),
    path("count/", views.count, name="count"),
    path("bulk/<slug:key>/", views.bulk_action, name="bulk"),
]
