from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    name = "aftersales.payroll"
    verbose_name = _("绩效薪资")

    def ready(self) -> None:
        from aftersales.appraisal import outcome
        from aftersales.payroll.outcome import month_results

        outcome.register(month_results)  # the appraisal's pages read the one truth from pay
