"""Page forms: they parse input; the acts in ``services`` decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core.periods import Month
from aftersales.organisation.models import Position
from aftersales.results.models import CaseKind, CaseStatus, ReportOutcome, ResultCase
from aftersales.ui.forms import DATE_INPUT, BootstrapMixin, FilterForm, MonthField


class CaseFilterForm(BootstrapMixin, FilterForm):
    kind = forms.ChoiceField(
        choices=[("", _("全部类型")), *CaseKind.choices], required=False, label=_("类型")
    )
    status = forms.ChoiceField(
        choices=[("", _("全部状态")), *CaseStatus.choices], required=False, label=_("状态")
    )
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False, label=_("年度"))
    employee = forms.CharField(max_length=50, required=False, label=_("员工"))


class DecisionForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(label=_("处理决定"))
    note = forms.CharField(label=_("决定说明"), widget=forms.Textarea(attrs={"rows": 3}))
    position = forms.ModelChoiceField(
        queryset=Position.objects.all(),
        required=False,
        label=_("调整后的职位"),
        help_text=_("调整职位、降职、调换工作时填写"),
    )
    effective = MonthField(
        required=False, label=_("生效月份"), help_text=_("默认为本月;调整后六个月的考核将被跟踪")
    )
    training_content = forms.CharField(
        max_length=200, required=False, label=_("培训项目/内容"), help_text=_("安排培训时填写")
    )

    def __init__(self, *args: Any, case: ResultCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = case.allowed_decisions  # type: ignore[attr-defined]
        self.fields["effective"].initial = str(Month.of(timezone.now()))


class WorkReportForm(BootstrapMixin, forms.Form):
    """述职 (R-7.3, R-7.4): the report the employee gave and how it was judged."""

    date = forms.DateField(label=_("述职日期"), widget=DATE_INPUT)
    text = forms.CharField(label=_("述职报告"), widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.ChoiceField(label=_("述职结果"), choices=ReportOutcome.choices)
    note = forms.CharField(label=_("述职评议意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def for_case(cls, case: ResultCase, data: Any = None) -> WorkReportForm:
        initial = {"date": case.report_date or timezone.localdate(), "text": case.report_text}
        initial |= {"outcome": case.report_outcome, "note": case.report_note}
        return cls(data, initial=initial)


class EvaluateForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("年度"))
    month = forms.IntegerField(min_value=1, max_value=12, label=_("月份"))
    annual = forms.BooleanField(
        required=False, label=_("同时进行年度评估"), help_text=_("12月自动进行年度评估")
    )
