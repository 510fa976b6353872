"""Forms of the pay pages: run a close, override a grade, release held pay, pay from the fund, the
settings, department coefficients and the what-if simulator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from aftersales.appraisal.presentation import GRADE_LABELS
from aftersales.core.grading import GRADES, Grade
from aftersales.core.periods import Month
from aftersales.organisation.models import Category, Department, Employee
from aftersales.payroll.models import CloseVersion, PayFactorMode, PaySettings
from aftersales.payroll.selectors import root_departments
from aftersales.ui.forms import BootstrapMixin

REASON = forms.Textarea(attrs={"rows": 2})
QUOTA_FIELDS = ("quota_a", "quota_b", "quota_c", "quota_d", "quota_e")
# "A 非常杰出" … in the reader's language (the model's GRADE_CHOICES carry the Chinese names)
GRADE_CHOICES = [
    (grade.value, format_lazy("{} {}", grade.value, GRADE_LABELS[grade.value])) for grade in GRADES
]


def _last_month() -> tuple[int, int]:
    month = Month.of(timezone.localdate()).shift(-1)
    return month.year, month.month


class MonthFields(forms.Form):
    year = forms.IntegerField(label=_("年"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月"), min_value=1, max_value=12)


class CloseRunForm(BootstrapMixin, MonthFields):
    department = forms.ModelChoiceField(
        label=_("部门"), queryset=Department.objects.none(), required=False, empty_label=_("全公司")
    )
    reason = forms.CharField(
        label=_("结算说明"), widget=REASON, required=False, help_text=_("重新结算(更正)时必须填写原因")
    )
    field_order = ["department", "year", "month", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        year, month = _last_month()
        kwargs.setdefault("initial", {"year": year, "month": month})
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = root_departments()  # type: ignore[attr-defined]


class OverrideForm(BootstrapMixin, forms.Form):
    grade = forms.ChoiceField(
        label=_("改判等级"), choices=[("", _("撤销改判(恢复评定等级)")), *GRADE_CHOICES], required=False
    )
    reason = forms.CharField(label=_("改判理由"), widget=REASON)


class ReleaseForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("说明"), widget=REASON, required=False)


class PayoutForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("年"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), coerce=int, choices=[(q, f"Q{q}") for q in range(1, 5)])
    employee = forms.ModelChoiceField(label=_("获奖员工"), queryset=Employee.objects.none())
    amount = forms.DecimalField(
        label=_("金额(元)"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    reason = forms.CharField(label=_("发放理由"), widget=REASON)

    def __init__(self, *args: Any, department: Department, **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"year": today.year, "quarter": (today.month - 1) // 3 + 1})
        super().__init__(*args, **kwargs)
        tree = (
            Q(department=department)
            | Q(department__parent=department)
            | Q(department__parent__parent=department)
        )
        self.fields["employee"].queryset = Employee.objects.filter(tree)  # type: ignore[attr-defined]


class SettingsForm(BootstrapMixin, forms.ModelForm):
    """The company's pay settings, each category's pay factor, and why they change."""

    reason = forms.CharField(label=_("修改原因"), widget=REASON)

    class Meta:
        model = PaySettings
        fields = ["pay_ratio", "rounding_unit", "score_cap", "quota_scheme", *QUOTA_FIELDS]

    def __init__(self, *args: Any, modes: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in Category.choices:
            self.fields[f"factor_{code}"] = forms.ChoiceField(
                label=label, choices=PayFactorMode.choices, initial=modes.get(code, PayFactorMode.SCORE)
            )
            self.fields[f"factor_{code}"].widget.attrs["class"] = "form-select"

    def pay_factors(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"factor_{code}"] for code, _label in Category.choices}

    def setting_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CoefficientForm(BootstrapMixin, MonthFields):
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.none())
    value = forms.DecimalField(
        label=_("部门月度绩效系数 d"),
        min_value=Decimal(0),
        max_value=Decimal(5),
        max_digits=5,
        decimal_places=3,
    )
    reason = forms.CharField(label=_("原因"), widget=REASON)
    field_order = ["department", "year", "month", "value", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        year, month = _last_month()
        kwargs.setdefault("initial", {"year": year, "month": month, "value": Decimal(1)})
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = root_departments()  # type: ignore[attr-defined]


class SimulatorForm(BootstrapMixin, forms.Form):
    """What HR may change for a what-if: the quotas, the pay ratio, the rounding unit, d."""

    pay_ratio = forms.DecimalField(
        label=_("绩效薪资比例"), min_value=Decimal(0), max_value=Decimal(1), decimal_places=4
    )
    rounding_unit = forms.DecimalField(label=_("取整单位(元)"), min_value=Decimal("0.01"), decimal_places=2)
    coefficient = forms.DecimalField(
        label=_("部门月度绩效系数 d"), min_value=Decimal(0), max_value=Decimal(5), decimal_places=3
    )
    quota_a = forms.DecimalField(label="A %", min_value=Decimal(0), max_value=Decimal(100), decimal_places=2)
    quota_b = forms.DecimalField(label="B %", min_value=Decimal(0), max_value=Decimal(100), decimal_places=2)
    quota_c = forms.DecimalField(label="C %", min_value=Decimal(0), max_value=Decimal(100), decimal_places=2)
    quota_d = forms.DecimalField(label="D %", min_value=Decimal(0), max_value=Decimal(100), decimal_places=2)
    quota_e = forms.DecimalField(label="E %", min_value=Decimal(0), max_value=Decimal(100), decimal_places=2)

    @classmethod
    def for_version(cls, version: CloseVersion, data: Any) -> SimulatorForm:
        """Bound to the query string when it has values, else to the version's own rules."""
        initial = {
            "pay_ratio": version.pay_ratio,
            "rounding_unit": version.rounding_unit,
            "coefficient": version.coefficient,
            **{f"quota_{g.value.lower()}": Decimal(version.quotas[g.value]) for g in GRADES},
        }
        return cls({**initial, **{k: v for k, v in data.items() if k in cls.base_fields}})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        quotas = [data.get(name) for name in QUOTA_FIELDS]
        if None not in quotas and sum(quotas) != 100:  # type: ignore[arg-type]
            raise forms.ValidationError(_("五个等级的比例之和须为100%。"))
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "pay_ratio": data["pay_ratio"],
            "rounding_unit": data["rounding_unit"],
            "coefficient": data["coefficient"],
            "quotas": {Grade(name[-1].upper()): data[name] for name in QUOTA_FIELDS},
        }
