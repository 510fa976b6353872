"""Forms of the service pages: they parse input; the actions in ``services.py`` decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.organisation.models import Employee
from aftersales.service.field import Fix
from aftersales.service.images import ImageRefused, decode_data_url
from aftersales.service.models import (
    CallLogEntry,
    Complaint,
    MajorIncident,
    MilestoneKind,
    PhoneOffIncident,
    PhotoKind,
    Position,
    QualityReport,
    ReportPartLine,
    SatisfactionSurvey,
    ServiceReport,
    WorkOrder,
)
from aftersales.service.services import REPORT_FIELDS, SIGNATURE_MAX_BYTES, OrderRequest, Upload
from aftersales.web.forms import DATE_INPUT, BootstrapMixin, datetime_local_field, now_local


def department_staff(root_id: int | None) -> QuerySet[Employee]:
    """The employees of a department and its units (company → department → unit, SPEC §1)."""
    return (
        Employee.objects.filter(
            Q(department_id=root_id) | Q(department__parent_id=root_id), active_to__isnull=True
        )
        .select_related("region")
        .order_by("region__code", "number")
    )


class OrderReceiveForm(BootstrapMixin, forms.ModelForm):
    received_at = datetime_local_field(_("受理时间"))

    class Meta:
        model = WorkOrder
        fields = [
            "received_at",
            "channel",
            "customer",
            "contact_name",
            "contact_phone",
            "unit_model",
            "unit_number",
            "site",
            "distance_km",
            "site_latitude",
            "site_longitude",
            "fault",
            "needs_supplier",
            "region",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = now_local()

    def to_request(self) -> OrderRequest:
        return OrderRequest(**{name: self.cleaned_data[name] for name in self.Meta.fields})


class DispatchForm(BootstrapMixin, forms.Form):
    engineers = forms.ModelMultipleChoiceField(
        label=_("服务工程师"),
        queryset=Employee.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    in_charge = forms.ModelChoiceField(
        label=_("临时负责人(二人以上时必填)"), queryset=Employee.objects.none(), required=False
    )
    travel_advance = forms.DecimalField(label=_("借款(元)"), min_value=0, decimal_places=2, initial=0)

    def __init__(self, *args: Any, department_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = department_staff(department_id)
        self.fields["engineers"].queryset = staff  # type: ignore[attr-defined]
        self.fields["in_charge"].queryset = staff  # type: ignore[attr-defined]


class MilestoneForm(BootstrapMixin, forms.Form):
    milestone = forms.ChoiceField(label=_("节点"), choices=MilestoneKind.choices)
    at = datetime_local_field(_("时间(空 = 现在)"), required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class ResolveForm(BootstrapMixin, forms.Form):
    at = datetime_local_field(_("处理完成时间(空 = 现在)"), required=False)
    note = forms.CharField(label=_("处理结果"), required=False, max_length=500)


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ServiceReport
        fields = list(REPORT_FIELDS)
        widgets = {
            "warranty_eligible": forms.NullBooleanSelect(),
            "dismantled_before": forms.NullBooleanSelect(),
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in ("fault_reported", "cause_found", "handling", "old_parts_to_return")
            },
        }


PartLineFormSet: type[
    forms.BaseInlineFormSet[ReportPartLine, ServiceReport, forms.ModelForm[ReportPartLine]]
] = forms.inlineformset_factory(
    ServiceReport,
    ReportPartLine,
    fields=["part", "quantity", "reason", "warranty"],
    extra=2,
    can_delete=True,
)


def part_lines_of(formset: Any) -> list[dict[str, Any]]:
    """The lines kept in a valid formset, as the action wants them (empty and deleted rows dropped)."""
    return [
        {name: form.cleaned_data[name] for name in ("part", "quantity", "reason", "warranty")}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("part")
    ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class PositionFields(forms.Form):
    """The device's position as the browser gave it (field.js), or that it would not."""

    position = forms.ChoiceField(
        label=_("定位"), choices=Position.choices, initial=Position.UNAVAILABLE, widget=forms.HiddenInput
    )
    latitude = forms.DecimalField(
        label=_("纬度"),
        min_value=-90,
        max_value=90,
        decimal_places=6,
        required=False,
        widget=forms.HiddenInput,
    )
    longitude = forms.DecimalField(
        label=_("经度"),
        min_value=-180,
        max_value=180,
        decimal_places=6,
        required=False,
        widget=forms.HiddenInput,
    )
    accuracy = forms.IntegerField(
        label=_("定位精度(米)"), min_value=0, required=False, widget=forms.HiddenInput
    )

    def fix(self) -> Fix:
        data = self.cleaned_data
        return Fix(data["position"], data["latitude"], data["longitude"], data["accuracy"])


class CheckInForm(PositionFields):
    pass


class SignForm(BootstrapMixin, PositionFields):
    signed_by = forms.CharField(label=_("用户签字人"), max_length=50)
    stamped = forms.BooleanField(label=_("已加盖用户公章"), required=False)
    signature = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_signature(self) -> bytes:
        value = self.cleaned_data["signature"]
        if not value:
            raise forms.ValidationError(_("请用户在签名框内签名。"))
        try:
            return decode_data_url(value, SIGNATURE_MAX_BYTES)
        except ImageRefused as exc:
            raise forms.ValidationError(_("签名图像无效。")) from exc


class PhotoForm(BootstrapMixin, forms.Form):
    """Photos from the phone's camera (field.js scales them down first)."""

    kind = forms.ChoiceField(label=_("照片类型"), choices=PhotoKind.choices)
    photos = MultipleFileField(
        label=_("照片"),
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment", "data-resize": "1"}),
    )

    def __init__(self, *args: Any, kinds: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            field = self.fields["kind"]
            field.choices = [c for c in PhotoKind.choices if c[0] in kinds]  # type: ignore[attr-defined]

    def uploads(self) -> list[Upload]:
        return [Upload(f.name, "", f.read()) for f in self.cleaned_data["photos"]]


class CustomerAnswerForm(forms.Form):
    """The customer's page: confirm what was done, rate it, say anything, complain if need be."""

    confirmed = forms.TypedChoiceField(
        label=_("服务内容是否属实"),
        choices=[("yes", _("属实,确认")), ("no", _("有出入,不确认"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    score = forms.TypedChoiceField(
        label=_("满意程度"),
        choices=[(str(v), label) for v, label in SatisfactionSurvey.Score.choices],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    comment = forms.CharField(
        label=_("意见和建议"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    complaint = forms.CharField(
        label=_("投诉(如有)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class CallForm(BootstrapMixin, forms.ModelForm):
    received_at = datetime_local_field(_("来电来函时间"))

    class Meta:
        model = CallLogEntry
        fields = ["received_at", "channel", "caller", "content", "handler", "unclear", "order"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, department_id: int, orders: QuerySet[WorkOrder], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = now_local()
        self.fields["handler"].queryset = department_staff(department_id)  # type: ignore[attr-defined]
        self.fields["order"].queryset = orders.order_by("-received_at")[:200]  # type: ignore[attr-defined]


class CallAnswerForm(BootstrapMixin, forms.Form):
    clarification = forms.CharField(
        label=_("核实情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    answer = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label=_("跟踪情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    at = datetime_local_field(_("答复时间(空 = 现在)"), required=False)


class SurveyForm(BootstrapMixin, forms.ModelForm):
    at = datetime_local_field(_("调查时间(空 = 现在)"), required=False)

    class Meta:
        model = SatisfactionSurvey
        fields = ["respondent", "score", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 2})}


class ComplaintForm(BootstrapMixin, forms.ModelForm):
    received_at = datetime_local_field(_("投诉时间"))

    class Meta:
        model = Complaint
        fields = [
            "received_at",
            "channel",
            "complainant",
            "employee",
            "order",
            "content",
            "written",
            "service_responsibility",
            "handler",
        ]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, department_id: int, orders: QuerySet[WorkOrder], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = now_local()
        for name in ("employee", "handler"):
            self.fields[name].queryset = department_staff(department_id)  # type: ignore[attr-defined]
        self.fields["order"].queryset = orders.order_by("-received_at")[:200]  # type: ignore[attr-defined]


class VerifyForm(BootstrapMixin, forms.Form):
    founded = forms.TypedChoiceField(
        label=_("核实结果"),
        choices=[("true", _("属实")), ("false", _("不属实"))],
        coerce=lambda value: value == "true",
    )
    note = forms.CharField(label=_("核实情况"), widget=forms.Textarea(attrs={"rows": 2}))


class IncidentForm(BootstrapMixin, forms.ModelForm):
    occurred_at = datetime_local_field(_("事故时间"))
    phoned_at = datetime_local_field(_("电话通知时间(如已通知)"), required=False)

    class Meta:
        model = MajorIncident
        fields = ["occurred_at", "employee", "unit", "site", "description", "phoned_at"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, employees: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees  # type: ignore[attr-defined]


class IncidentUpdateForm(BootstrapMixin, forms.Form):
    phoned_at = datetime_local_field(_("电话通知时间"), required=False)
    reported_at = datetime_local_field(_("专题报告提交时间"), required=False)
    report = forms.CharField(label=_("专题报告"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class QualityForm(BootstrapMixin, forms.ModelForm):
    files = MultipleFileField(label=_("附件"), required=False, widget=MultipleFileInput())  # type: ignore[assignment]

    class Meta:
        model = QualityReport
        fields = ["product", "unit_number", "site", "fault"]
        widgets = {"fault": forms.Textarea(attrs={"rows": 3})}

    def uploads(self) -> list[Upload]:
        return [
            Upload(f.name, f.content_type or "application/octet-stream", f.read())
            for f in self.cleaned_data["files"]
        ]


class RespondForm(BootstrapMixin, forms.Form):
    response = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 3}))


class PhoneOffForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = PhoneOffIncident
        fields = ["employee", "date", "note"]
        widgets = {"date": DATE_INPUT}

    def __init__(self, *args: Any, employees: QuerySet[Employee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees  # type: ignore[attr-defined]
        self.fields["date"].initial = timezone.localdate()
