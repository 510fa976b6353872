from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "aftersales.interviews"
    verbose_name = _("绩效面谈与培训")
