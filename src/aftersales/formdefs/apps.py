from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormdefsConfig(AppConfig):
    name = "aftersales.formdefs"
    verbose_name = _("考核表模板")
