"""Forms of the parts pages: they parse input; the actions in services.py decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aftersales.organisation.models import Employee
from aftersales.parts.models import (
    FreightCharge,
    OldPartReturn,
    Part,
    Requisition,
    Store,
    Supplier,
    SupplierClaim,
)
from aftersales.web.forms import DATE_INPUT, BootstrapMixin, MonthField

if TYPE_CHECKING:
    from aftersales.service.models import ServiceReport

LINES = 5  # empty part lines offered on a receipt or transfer


class PartForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Part
        fields = ["number", "name", "specification", "unit", "supplier", "active"]


def _part_choice(required: bool = True) -> forms.ModelChoiceField[Part]:
    return forms.ModelChoiceField(
        Part.objects.filter(active=True).order_by("number"), label=_("配件"), required=required
    )


class LineForm(BootstrapMixin, forms.Form):
    part = _part_choice(required=False)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("part")) != bool(data.get("quantity")):
            raise forms.ValidationError(_("配件和数量须同时填写"))
        return data


LineFormSet = forms.formset_factory(LineForm, extra=LINES, max_num=50)


def filled_lines(formset: Any) -> list[tuple[Part, int]]:
    return [
        (f.cleaned_data["part"], f.cleaned_data["quantity"]) for f in formset if f.cleaned_data.get("part")
    ]


class ReceiptForm(BootstrapMixin, forms.Form):
    supplier = forms.ModelChoiceField(Supplier.objects.all(), label=_("供应商"), required=False)
    delivered_by = forms.CharField(label=_("送货人"), max_length=50, required=False)
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TransferForm(BootstrapMixin, forms.Form):
    to_store = forms.ModelChoiceField(Store.objects.none(), label=_("调入库房"))
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, from_store: Store, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_store"]
        field.queryset = Store.objects.filter(department=from_store.department).exclude(pk=from_store.pk)


class RequisitionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Requisition
        fields = ["store", "part", "quantity", "reason", "work_order"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, stores: QuerySet[Store], orders: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["store"].queryset = stores
        fields["part"].queryset = Part.objects.filter(active=True).order_by("number")
        fields["work_order"].queryset = orders


class NoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OldPartReturnForm(BootstrapMixin, forms.Form):
    quantity = forms.IntegerField(label=_("旧件数量"), min_value=1, initial=1)
    note = forms.CharField(label=_("旧件状况"), max_length=200, required=False)


class WriteOffForm(BootstrapMixin, forms.Form):
    service_report: forms.ModelChoiceField[ServiceReport] = forms.ModelChoiceField(
        queryset=None, label=_("服务报告(已签字、已审批)")
    )
    quantity = forms.IntegerField(label=_("销帐数量"), min_value=1, initial=1)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, reports: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["service_report"]
        field.queryset = reports


class DisposalForm(BootstrapMixin, forms.Form):
    month = MonthField(label=_("月份"))
    note = forms.CharField(label=_("处理方式"), max_length=200, required=False)


class ReverseForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("冲销原因"), max_length=200)


class StocktakeForm(BootstrapMixin, forms.Form):
    """One count field per part; a part left empty is not counted this time."""

    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, parts: list[Part], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parts = parts
        for part in parts:
            self.fields[f"count_{part.pk}"] = forms.IntegerField(
                label=str(part),
                min_value=0,
                required=False,
                widget=forms.NumberInput(
                    attrs={"class": "form-control form-control-sm", "inputmode": "numeric"}
                ),
            )

    def counts(self) -> dict[Part, int]:
        return {
            part: self.cleaned_data[f"count_{part.pk}"]
            for part in self.parts
            if self.cleaned_data.get(f"count_{part.pk}") is not None
        }


class FreightForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = FreightCharge
        fields = [
            "store",
            "handler",
            "requisition",
            "description",
            "carrier",
            "waybill",
            "amount",
            "shipped_on",
        ]
        widgets = {"shipped_on": DATE_INPUT}

    def __init__(
        self, *args: Any, stores: QuerySet[Store], handlers: QuerySet[Employee], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["store"].queryset = stores
        fields["handler"].queryset = handlers
        fields["requisition"].queryset = Requisition.objects.filter(store__in=stores).select_related("part")


class ClaimForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = SupplierClaim
        fields = ["store", "supplier", "part", "quantity", "old_part_return", "reason", "amount_claimed"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, stores: QuerySet[Store], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["store"].queryset = stores
        fields["old_part_return"].queryset = OldPartReturn.objects.filter(
            requisition__store__in=stores
        ).select_related("requisition__part")


class ClaimStepForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("供应商答复"), max_length=500, required=False)
    amount = forms.DecimalField(
        label=_("收回金额(元)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
