from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairConfig(AppConfig):
    name = "aftersales.repair"
    verbose_name = _("返修")
