from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "aftersales.organisation"
    verbose_name = _("组织与人员")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from aftersales.organisation.accounts import remember_must_change

        user_logged_in.connect(remember_must_change, dispatch_uid="organisation.remember_must_change")
