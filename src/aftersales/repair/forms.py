"""Forms of the repair pages: they parse input; the actions in services.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aftersales.organisation.models import Employee
from aftersales.ui.forms import BootstrapMixin, datetime_local_field, now_local


class JobForm(BootstrapMixin, forms.Form):
    technician = forms.ModelChoiceField(Employee.objects.none(), label=_("返修技术员"))
    unit_serial = forms.CharField(label=_("产品编号"), max_length=60)
    product = forms.CharField(label=_("产品"), max_length=100)
    fault = forms.CharField(label=_("故障现象"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    received_at = datetime_local_field(_("接收时间"), initial=now_local)

    def __init__(self, *args: Any, technicians: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["technician"]
        field.queryset = technicians
        if technicians.count() == 1:
            field.initial = technicians.first()


class CompleteForm(BootstrapMixin, forms.Form):
    completed_at = datetime_local_field(_("完成时间"), initial=now_local)
    result = forms.CharField(label=_("返修结果"), widget=forms.Textarea(attrs={"rows": 2}))
