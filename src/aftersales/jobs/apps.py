from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "aftersales.jobs"
    verbose_name = "后台任务"
