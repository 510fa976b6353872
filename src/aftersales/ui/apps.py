from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UiConfig(AppConfig):
    name = "aftersales.ui"
    verbose_name = _("页面组件")
