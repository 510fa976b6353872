"""Forms of the organisation pages: departments and units, regions, positions, employees, logins."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.organisation import roles
from aftersales.organisation.access import department_subtree_ids
from aftersales.organisation.importing import MAX_FILE_BYTES
from aftersales.organisation.models import Company, Department, Employee, Position, Region
from aftersales.ui.forms import DATE_INPUT, BootstrapMixin

REASON_FIELD = {"label": _("变更原因"), "max_length": 200}


class _WithReason(BootstrapMixin, forms.ModelForm):
    """Every change to the organisation carries its reason into the history (who, when, why)."""

    reason = forms.CharField(**REASON_FIELD)  # type: ignore[arg-type]

    def save(self, commit: bool = True) -> Any:
        instance = super().save(commit=False)
        instance._change_reason = self.cleaned_data["reason"]
        if commit:
            instance.save()
        return instance


class CompanyForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Company
        fields = ["name"]

    def clean_name(self) -> str:
        name = (self.cleaned_data.get("name") or "").strip()
        if not name:
            raise forms.ValidationError(_("请填写公司名称"))
        return name


class DepartmentForm(_WithReason):
    class Meta:
        model = Department
        fields = ["code", "name", "parent", "head", "head_in_pool"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Department.objects.order_by("code")
        if self.instance.pk:
            parents = parents.exclude(pk__in=department_subtree_ids([self.instance.pk]))
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["parent"].help_text = _("留空为部门；选择上级则为其下的单元(班组/库房等)")
        self.fields["head"].queryset = Employee.objects.filter(active_to__isnull=True).order_by("number")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("parent") is not None and data.get("head") is not None:
            self.add_error("head", _("单元不设部门负责人：负责人设在部门上"))
        return data


class RegionForm(_WithReason):
    class Meta:
        model = Region
        fields = ["code", "name", "department"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("code")  # type: ignore[attr-defined]


class PositionForm(_WithReason):
    class Meta:
        model = Position
        fields = ["code", "name", "category", "standard_salary"]


class EmployeeForm(_WithReason):
    """An employee's record. A move to another department keeps the months before where they were:
    each month's appraisal and pay line belong to that month's department (R-7.3 follows the person)."""

    class Meta:
        model = Employee
        fields = [
            "number",
            "name",
            "department",
            "region",
            "position",
            "category",
            "supervisor",
            "standard_salary",
            "active_from",
            "email",
            "phone",
        ]
        widgets = {"active_from": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        supervisors = Employee.objects.filter(active_to__isnull=True).order_by("number")
        if self.instance.pk:
            supervisors = supervisors.exclude(pk=self.instance.pk)
        self.fields["supervisor"].queryset = supervisors  # type: ignore[attr-defined]
        self.fields["region"].queryset = Region.objects.order_by("code")  # type: ignore[attr-defined]
        if not self.instance.pk:
            self.fields["active_from"].initial = timezone.localdate()
        self.fields["standard_salary"].required = False
        self.fields["category"].required = False
        self.fields["standard_salary"].help_text = _("留空则取职位标准薪资")
        self.fields["category"].help_text = _("留空则取职位的考核类别")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        position = data.get("position")
        if position is not None:
            if data.get("standard_salary") is None:
                data["standard_salary"] = position.standard_salary
            if not data.get("category"):
                data["category"] = position.category
        region, department = data.get("region"), data.get("department")
        if region is not None and department is not None and region.department.root.pk != department.root.pk:
            self.add_error("region", _("区域不属于该部门"))
        supervisor = data.get("supervisor")
        if supervisor is not None and self.instance.pk and _reports_to(supervisor, self.instance.pk):
            self.add_error("supervisor", _("主管关系不能成环"))
        return data

    def _post_clean(self) -> None:
        for name in ("standard_salary", "category"):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()  # type: ignore[misc]  # ModelForm's, not in the stubs


def _reports_to(person: Employee, pk: int) -> bool:
    seen: set[int] = set()
    node: Employee | None = person
    while node is not None and node.pk not in seen:
        if node.pk == pk:
            return True
        seen.add(node.pk)
        node = node.supervisor
    return False


ROLE_CHOICES = [(code, label) for code, label in roles.ROLE_LABELS.items()]


class LoginForm(BootstrapMixin, forms.Form):
    username = forms.CharField(label=_("登录名"), max_length=150)
    email = forms.EmailField(label=_("邮箱"), required=False)
    method = forms.ChoiceField(
        label=_("密码"),
        choices=[
            ("link", _("生成一次性设置密码链接(推荐)")),
            ("password", _("设置初始密码(首次登录须修改)")),
        ],
        initial="link",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    password = forms.CharField(
        label=_("初始密码"), required=False, widget=forms.PasswordInput(render_value=True), strip=False
    )
    roles = forms.MultipleChoiceField(
        label=_("角色"),
        choices=ROLE_CHOICES,
        initial=[roles.EMPLOYEE],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == "password" and not data.get("password"):
            self.add_error("password", _("请填写初始密码，或选择生成链接"))
        return data


class RolesForm(BootstrapMixin, forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("角色"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(**REASON_FIELD)  # type: ignore[arg-type]


class BulkRolesForm(BootstrapMixin, forms.Form):
    employees = forms.ModelMultipleChoiceField(
        label=_("员工"), queryset=Employee.objects.all(), widget=forms.MultipleHiddenInput
    )
    action = forms.ChoiceField(label=_("操作"), choices=[("add", _("增加角色")), ("remove", _("取消角色"))])
    role = forms.ChoiceField(label=_("角色"), choices=ROLE_CHOICES)
    reason = forms.CharField(**REASON_FIELD)  # type: ignore[arg-type]


class DeactivateForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label=_("离职日期"), widget=DATE_INPUT)
    reason = forms.CharField(**REASON_FIELD)  # type: ignore[arg-type]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(**REASON_FIELD)  # type: ignore[arg-type]


class ImportForm(forms.Form):
    """The organisation workbook HR uploads, with the reason kept in the history of every change."""

    file = forms.FileField(
        label=_("Excel 文件 (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )
    reason = forms.CharField(
        label=_("导入原因"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("文件过大（上限 5 MB）"))
        return upload


# The parts of the organisation edited on the structure page (and through its API twin): kind → model,
# form, label.
STRUCTURE_EDITORS: dict[str, tuple[type[Any], type[forms.ModelForm], Any]] = {
    "department": (Department, DepartmentForm, _("部门/单元")),
    "region": (Region, RegionForm, _("区域")),
    "position": (Position, PositionForm, _("职位")),
}
