"""Page forms: they parse input; the acts in ``services`` decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.discipline.models import Kind, RewardReason, Status
from aftersales.organisation.models import Employee
from aftersales.ui.forms import DATE_INPUT, BootstrapMixin, FilterForm


class ReasonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RewardReason) -> str:
        return f"{obj.label} {obj.text}"


class ProposeForm(BootstrapMixin, forms.Form):
    employee = forms.ModelChoiceField(queryset=Employee.objects.none(), label=_("员工"))
    reason = ReasonChoiceField(
        queryset=RewardReason.objects.none(),
        label=_("奖惩事由"),
        required=False,
        empty_label=_("(其他事由)"),
        # choosing a reason proposes its suggested kind (R-6.4, static/aftersales/app.js)
        widget=forms.Select(attrs={"data-suggests": "#id_kind", "data-suggestions": "suggested-kinds"}),
    )
    kind = forms.ChoiceField(choices=Kind.choices, label=_("奖惩种类"))
    reason_text = forms.CharField(
        label=_("事由说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    effective_date = forms.DateField(label=_("生效日期"), widget=DATE_INPUT)

    def __init__(
        self, *args: Any, employees: QuerySet[Employee], reasons: QuerySet[RewardReason], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees  # type: ignore[attr-defined]
        self.fields["reason"].queryset = reasons  # type: ignore[attr-defined]
        self.fields["effective_date"].initial = timezone.localdate()


class DecisionForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CaseDecisionForm(BootstrapMixin, forms.Form):
    decision = forms.CharField(label=_("处理决定"), widget=forms.Textarea(attrs={"rows": 3}))


class RecordFilterForm(BootstrapMixin, FilterForm):
    status = forms.ChoiceField(
        choices=[("", _("全部状态")), *Status.choices], required=False, label=_("状态")
    )
    kind = forms.ChoiceField(choices=[("", _("全部种类")), *Kind.choices], required=False, label=_("种类"))
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False, label=_("年度"))
    employee = forms.CharField(max_length=50, required=False, label=_("员工"))

    def __init__(self, *args: Any, years: list[int] | None = None, **kwargs: Any) -> None:
        """``years``: the page's year select (newest first, with 全部年度); the API takes any year."""
        super().__init__(*args, **kwargs)
        if years is not None:
            asked = self.data.get("year", "")
            shown = sorted({*years, int(asked)}, reverse=True) if asked.isdigit() else years
            choices = [("", _("全部年度")), *((str(y), str(y)) for y in shown)]
            self.fields["year"].widget = forms.Select(
                choices=choices, attrs={"class": "form-select", "aria-label": _("年度")}
            )


class ReasonForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = RewardReason
        fields = ["article", "clause", "text", "suggested_kind", "active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
