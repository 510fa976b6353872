from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "aftersales.api"
    verbose_name = "API"
