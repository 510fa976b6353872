"""Pages of this area (namespace `evidence`, mounted at /evidence/)."""

from django.urls import path

from aftersales.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.index, name="index"),
    path("propose/", views.propose, name="propose"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/reject/", views.reject, name="reject"),
]
