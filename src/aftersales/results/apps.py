from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "aftersales.results"
    verbose_name = _("绩效结果运用")
