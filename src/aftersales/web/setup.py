"""First-run set-up (系统设置向导): a new installation is led, step by step, from the company's name to
its first appraisal month. Each step can be skipped and the set-up resumed later; what is done is kept
on ``Company.setup_steps_done``. HR and system administrators only.

When the installation has no department yet, the home page sends such a person here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from aftersales.organisation.accounts import may_manage_accounts
from aftersales.organisation.forms import CompanyForm, DepartmentForm, PositionForm, RegionForm
from aftersales.organisation.models import Company, Department, Employee, Position, Region
from aftersales.payroll.models import PaySettings
from aftersales.web.forms import BootstrapMixin


@dataclass(frozen=True)
class Step:
    code: str
    title: Promise
    help: Promise


STEPS = (
    Step("company", gettext_lazy("公司"), gettext_lazy("公司名称显示在页面和打印的表单上。")),
    Step(
        "departments",
        gettext_lazy("部门与单元"),
        gettext_lazy("先建部门(如售后服务部)，再在部门下建单元(技术支持、配件库房、返修组……)。"),
    ),
    Step("regions", gettext_lazy("区域"), gettext_lazy("现场服务人员驻守的区域，属于某个部门。")),
    Step(
        "positions",
        gettext_lazy("职位"),
        gettext_lazy("每个职位有考核类别(决定用哪张考核表)和职位标准薪资。"),
    ),
    Step(
        "people",
        gettext_lazy("员工与账号"),
        gettext_lazy("用一个 Excel 工作簿导入员工、登录名和角色，或逐个新增员工。"),
    ),
    Step(
        "heads",
        gettext_lazy("部门负责人"),
        gettext_lazy("每个部门的负责人，以及其绩效薪资是否计入部门奖金池。"),
    ),
    Step("pay", gettext_lazy("薪资设置"), gettext_lazy("绩效薪资比例、取整单位、等级配额等。")),
    Step("first_month", gettext_lazy("开启第一个考核月"), gettext_lazy("为部门开启第一个月度考核周期。")),
)
_BY_CODE = {step.code: step for step in STEPS}


def needs_setup() -> bool:
    """An installation with no department has not been set up."""
    return not Department.objects.exists()


def _require(request: HttpRequest) -> None:
    if not may_manage_accounts(request.user):
        raise PermissionDenied


def _mark(company: Company, code: str) -> None:
    done = list(company.setup_steps_done or [])
    if code not in done:
        done.append(code)
    company.setup_steps_done = done
    if all(step.code in done for step in STEPS) and company.setup_finished_at is None:
        company.setup_finished_at = timezone.now()
    company.save()


def _next(code: str) -> str | None:
    codes = [step.code for step in STEPS]
    index = codes.index(code)
    return codes[index + 1] if index + 1 < len(codes) else None


def _first_open(company: Company) -> str:
    done = set(company.setup_steps_done or [])
    return next((step.code for step in STEPS if step.code not in done), STEPS[-1].code)


class HeadForm(BootstrapMixin, forms.Form):
    """The head of every department and whether their pay comes from the department's pool."""

    def __init__(self, *args: Any, departments: list[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.departments = departments
        people = Employee.objects.filter(active_to__isnull=True).order_by("number")
        for department in departments:
            self.fields[f"head_{department.pk}"] = forms.ModelChoiceField(
                label=department.name,
                queryset=people,
                required=False,
                initial=department.head_id,
                empty_label=_("(暂不指定)"),
            )
            self.fields[f"pool_{department.pk}"] = forms.BooleanField(
                label=_("负责人绩效薪资计入部门奖金池"), required=False, initial=department.head_in_pool
            )
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            else:
                field.widget.attrs["class"] = "form-select"

    def rows(self) -> list[tuple[Department, Any, Any]]:
        return [(d, self[f"head_{d.pk}"], self[f"pool_{d.pk}"]) for d in self.departments]

    def save(self) -> None:
        with transaction.atomic():
            for department in self.departments:
                department.head = self.cleaned_data[f"head_{department.pk}"]
                department.head_in_pool = self.cleaned_data[f"pool_{department.pk}"]
                department._change_reason = _("系统设置向导")  # type: ignore[attr-defined]
                department.save()


_ADD_FORMS: dict[str, type[forms.ModelForm]] = {
    "departments": DepartmentForm,
    "regions": RegionForm,
    "positions": PositionForm,
}


@require_http_methods(["GET", "POST"])
@login_required
def wizard(request: HttpRequest, step: str | None = None) -> HttpResponse:
    _require(request)
    company = Company.load()
    if step is None:
        return redirect("web:setup-step", step=_first_open(company))
    if step not in _BY_CODE:
        raise Http404
    current = _BY_CODE[step]
    form: Any = None
    if request.method == "POST" and request.POST.get("go") in ("skip", "next"):
        if request.POST["go"] == "next" or step == "first_month":
            _mark(company, step)
        following = _next(step)
        if following is None:
            return redirect("appraisal:period-open")
        return redirect("web:setup-step", step=following)
    if step == "company":
        form = CompanyForm(request.POST or None, instance=company)
        if request.method == "POST" and form.is_valid():
            company = form.save()
            _mark(company, step)
            return redirect("web:setup-step", step=_next(step))
    elif step in _ADD_FORMS:
        initial = {"reason": _("系统设置向导")}
        form = _ADD_FORMS[step](request.POST or None, initial=initial)
        if "head" in form.fields:
            del form.fields["head"]  # heads are chosen once there are people (step 6)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                saved = form.save()
            messages.success(request, _("已添加：%(name)s") % {"name": saved})
            return redirect("web:setup-step", step=step)
    elif step == "heads":
        roots = list(Department.objects.filter(parent__isnull=True).order_by("code"))
        form = HeadForm(request.POST or None, departments=roots)
        if request.method == "POST" and form.is_valid():
            form.save()
            _mark(company, step)
            return redirect("web:setup-step", step=_next(step))
    context = {
        "steps": STEPS,
        "step": current,
        "done": set(company.setup_steps_done or []),
        "form": form,
        "company": company,
        "departments": Department.objects.select_related("parent", "head").order_by("code"),
        "regions": Region.objects.select_related("department").order_by("code"),
        "positions": Position.objects.order_by("code"),
        "employee_count": Employee.objects.count() if step == "people" else None,
        "login_count": Employee.objects.filter(user__isnull=False).count() if step == "people" else None,
        "pay": PaySettings.load() if step == "pay" else None,
        "number": [s.code for s in STEPS].index(step) + 1,
    }
    status = 400 if form is not None and request.method == "POST" and form.errors else 200
    return render(request, "web/setup.html", context, status=status)
