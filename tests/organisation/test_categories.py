"""R-1.2: each employee category is appraised on its own form, with its grading method."""

import pytest

from aftersales.appraisal import services
from aftersales.appraisal.models import Appraisal
from aftersales.core.builtin_forms import builtin_template
from aftersales.organisation.models import Category, Department

FORMS = {
    Category.FIELD_SERVICE: ("现场服务人员月度绩效考核表", "forced"),
    Category.REGIONAL_SUPERVISOR: ("区域主管月度绩效考核表", "absolute"),
    Category.REPAIR: ("返修人员绩效考核表", "absolute"),
    Category.TECH_IMPROVEMENT: ("技改类员工绩效考核表", "absolute"),
    Category.TECH_SUPPORT: ("技术支持类,技术管理类员工绩效考核表", "absolute"),
}


@pytest.mark.parametrize("category", list(Category))
def test_r1_2_each_category_has_its_form_and_grading(category):
    template = builtin_template(category.value)
    assert (template.name, template.grading) == FORMS[category]


def test_r1_2_opening_a_period_gives_everyone_the_form_of_their_category(personas, django_user_model):
    hr = django_user_model.objects.get(username="hr")
    period = services.period_open(actor=hr, department=Department.objects.get(code="as"), year=2024, month=3)
    forms = Appraisal.objects.filter(period=period).select_related("employee")
    assert forms.exists()
    assert all(form.template_code == form.employee.category for form in forms)
    assert {form.employee.category for form in forms} == set(Category.values)
