from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "aftersales.evidence"
    verbose_name = _("考核依据")
