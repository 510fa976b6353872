"""The demo organisation: every role present, and loading it twice adds nothing."""

from django.contrib.auth import get_user_model

from aftersales.demo import demo_logins, load_demo
from aftersales.organisation import roles
from aftersales.organisation.models import Category, Employee


def test_demo_is_idempotent(demo):
    counts = (get_user_model().objects.count(), Employee.objects.count())
    load_demo()
    assert (get_user_model().objects.count(), Employee.objects.count()) == counts


def test_demo_has_every_category_and_role(demo):
    assert set(Employee.objects.values_list("category", flat=True)) == set(Category.values)
    held = set(get_user_model().objects.values_list("groups__name", flat=True))
    assert set(roles.ALL_ROLES) <= held


def test_demo_logins_all_exist(demo):
    names = [username for username, _ in demo_logins()]
    assert get_user_model().objects.filter(username__in=names).count() == len(names)


def test_the_persona_organisation_is_the_demos():
    """The ``demo`` fixture loads the demo on top of the persona organisation (tests/personas.py), whose
    get-or-create then finds every person, department and position already there: the two must agree, or
    the demo tests would run on an organisation the demo does not make."""
    from aftersales import demo
    from tests import personas

    assert personas.PEOPLE == demo.PEOPLE
    assert personas.DEPARTMENTS == demo.DEPARTMENTS
    assert personas.POSITIONS == demo.POSITIONS
