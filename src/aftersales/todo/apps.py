from django.apps import AppConfig


class TodoConfig(AppConfig):
    name = "aftersales.todo"
    verbose_name = "待办"
