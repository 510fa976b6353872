"""The customer's page, outside the staff area and without login (namespace `customer`, mounted at /c/)."""

from django.urls import path

from aftersales.service import public_views

app_name = "customer"
urlpatterns = [path("<str:token>/", public_views.confirm, name="confirm")]
