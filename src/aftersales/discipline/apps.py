from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "aftersales.discipline"
    verbose_name = _("奖惩")
