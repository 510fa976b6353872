"""Forms of the field records (they parse input; ``record_services`` decides)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.service.models import (
    AttendanceException,
    CustomerVisit,
    Escalation,
    ExpenseClaim,
    MarketInfo,
    PaidService,
    ReportVerdict,
    RoutineReport,
    WorkOrder,
)
from aftersales.ui.forms import DATE_INPUT, BootstrapMixin, FilterForm, MonthField, datetime_local_field


class RecordFilterForm(BootstrapMixin, FilterForm):
    month = MonthField(required=False, label=_("月份"))
    q = forms.CharField(required=False, label=_("员工"), help_text=_("工号或姓名"))


EARLIEST_YEAR, LATEST_YEAR = 2000, 2100  # a record's dates and years lie in these years


def outside_years(data: Mapping[str, Any]) -> dict[str, str]:
    """The fields of ``data`` (a form's or the API's) whose date, time or year lies outside the
    years records may name, each with its message."""
    message = _("年份须在%(low)s至%(high)s之间。") % {"low": EARLIEST_YEAR, "high": LATEST_YEAR}
    found = {}
    for name, value in data.items():
        year = value.year if isinstance(value, date) else value if name == "year" else None
        if isinstance(year, int) and not EARLIEST_YEAR <= year <= LATEST_YEAR:
            found[name] = str(message)
    return found


class RecordForm(BootstrapMixin, forms.ModelForm):
    """A record's form; ``orders`` (the user's own work orders) for the forms that name one. Dates,
    times and years outside 2000–2100 are refused on the field (a year 0 made no due date, a time in
    1350 has no offset a client can read)."""

    def __init__(self, *args: Any, orders: QuerySet[WorkOrder], employees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "order" in self.fields:
            self.fields["order"].queryset = orders  # type: ignore[attr-defined]
            self.fields["order"].required = False
        if "employee" in self.fields:
            self.fields["employee"].queryset = employees  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.DateInput):
                field.initial = timezone.localdate()
            if name in ("content", "problem", "proposal"):
                field.widget = forms.Textarea(attrs={"rows": 3, "class": "form-control"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, message in outside_years(cleaned).items():
            self.add_error(name, message)
        return cleaned


class RoutineReportForm(RecordForm):
    class Meta:
        model = RoutineReport
        fields = ["kind", "year", "month", "content"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        last = timezone.localdate().replace(day=1) - timedelta(days=1)
        self.fields["year"].initial, self.fields["month"].initial = last.year, last.month


class CustomerVisitForm(RecordForm):
    class Meta:
        model = CustomerVisit
        fields = ["date", "customer", "contact", "content", "follow_up"]
        widgets = {"date": DATE_INPUT}


class MarketInfoForm(RecordForm):
    class Meta:
        model = MarketInfo
        fields = ["date", "kind", "subject", "content"]
        widgets = {"date": DATE_INPUT}


class AttendanceForm(RecordForm):
    class Meta:
        model = AttendanceException
        fields = ["employee", "date", "kind", "note"]
        widgets = {"date": DATE_INPUT}


class PaidServiceForm(RecordForm):
    class Meta:
        model = PaidService
        fields = ["order", "customer", "content", "amount", "charged_on"]
        widgets = {"charged_on": DATE_INPUT}


class EscalationForm(RecordForm):
    found_at = datetime_local_field(_("发现时间"))

    class Meta:
        model = Escalation
        fields = ["order", "found_at", "problem", "proposal", "customer_request", "support_needed"]


class ExpenseClaimForm(RecordForm):
    advance = forms.DecimalField(
        label=_("借款(元)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("不填则取工单的借款"),
    )

    class Meta:
        model = ExpenseClaim
        fields = ["order", "returned_on", "advance", "amount", "note"]
        widgets = {"returned_on": DATE_INPUT}


# --- the leader's acts on a record --------------------------------------------------------------------


class ReviewForm(BootstrapMixin, forms.Form):
    verdict = forms.ChoiceField(
        label=_("审阅结果"), choices=[c for c in ReportVerdict.choices if c[0] != ReportVerdict.PENDING]
    )
    note = forms.CharField(label=_("审阅意见"), max_length=200, required=False)


class ApproveForm(BootstrapMixin, forms.Form):
    day = forms.DateField(label=_("领导同意日期"), widget=DATE_INPUT, initial=timezone.localdate)


class HandInForm(BootstrapMixin, forms.Form):
    amount = forms.DecimalField(label=_("已上缴(元)"), min_value=0, max_digits=10, decimal_places=2)
    day = forms.DateField(label=_("上缴日期"), widget=DATE_INPUT, initial=timezone.localdate)


class DecideForm(BootstrapMixin, forms.Form):
    decision = forms.CharField(label=_("领导决定"), widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(BootstrapMixin, forms.Form):
    """An act that takes no input (审核报销)."""
