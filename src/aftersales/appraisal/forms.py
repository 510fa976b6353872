"""Page forms whose fields are fixed; the appraisal form itself is laid out from its template
(entries.py) and checked by the actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.organisation.models import Department
from aftersales.ui.forms import BootstrapMixin


class PeriodOpenForm(BootstrapMixin, forms.Form):
    department = forms.ModelChoiceField(
        label=_("部门"), queryset=Department.objects.filter(parent__isnull=True).order_by("code")
    )
    year = forms.IntegerField(label=_("年"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月"), min_value=1, max_value=12)
    agreement_day = forms.IntegerField(
        label=_("绩效协议签订截止日(当月)"), min_value=1, max_value=28, initial=10
    )
    review_day = forms.IntegerField(label=_("考核完成截止日(次月)"), min_value=1, max_value=28, initial=10)
    archive_day = forms.IntegerField(label=_("归档及薪资截止日(次月)"), min_value=1, max_value=28, initial=20)
