"""Forms of the repair pages: they parse input; the actions in services.py decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.organisation.models import Employee
from aftersales.service.forms import DATETIME_FORMAT, BootstrapMixin, DateTimeLocal


def _when(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=DateTimeLocal(), input_formats=[DATETIME_FORMAT], initial=_now_local
    )


def _now_local() -> str:
    return timezone.localtime().strftime(DATETIME_FORMAT)


class JobForm(BootstrapMixin, forms.Form):
    technician = forms.ModelChoiceField(Employee.objects.none(), label=_("返修技术员"))
    unit_serial = forms.CharField(label=_("产品编号"), max_length=60)
    product = forms.CharField(label=_("产品"), max_length=100)
    fault = forms.CharField(label=_("故障现象"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    received_at = _when(_("接收时间"))

    def __init__(self, *args: Any, technicians: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["technician"]
        field.queryset = technicians
        if technicians.count() == 1:
            field.initial = technicians.first()


class CompleteForm(BootstrapMixin, forms.Form):
    completed_at = _when(_("完成时间"))
    result = forms.CharField(label=_("返修结果"), widget=forms.Textarea(attrs={"rows": 2}))
