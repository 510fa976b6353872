"""Forms of the form-definition pages (and their API twins)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.core.errors import RuleError
from aftersales.core.periods import Month


class PublishForm(forms.Form):
    effective_month = forms.CharField(
        label=gettext_lazy("生效月份"),
        widget=forms.DateInput(attrs={"type": "month", "class": "form-control"}),
        help_text=gettext_lazy("从该月起开启的考核使用新版本；此前各月保留原版本。"),
    )
    note = forms.CharField(
        label=gettext_lazy("修改说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def clean_effective_month(self) -> Month:
        try:
            return Month.parse(self.cleaned_data["effective_month"].strip())
        except RuleError:
            raise forms.ValidationError(_("请按“年-月”填写，例如 2027-01。")) from None
