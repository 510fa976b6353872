from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    name = "aftersales.payroll"
    verbose_name = _("绩效薪资")
