"""The factories of tests/factories.py build valid records on their own, and the persona organisation."""

import pytest
from django.contrib.auth import get_user_model

from aftersales.organisation import roles
from aftersales.organisation.access import is_company_wide
from tests.access.cases import PERSONAS
from tests.factories import EmployeeFactory, UserFactory, stocked
from tests.personas import USERNAMES, employee

pytestmark = pytest.mark.django_db


def test_an_employee_comes_with_a_login_of_the_employee_role():
    person = EmployeeFactory()
    person.full_clean()
    assert person.user.check_password("demo1234")
    assert list(person.user.groups.values_list("name", flat=True)) == [roles.EMPLOYEE]
    assert person.position.category == person.category


def test_roles_are_given_by_name():
    user = UserFactory(roles=[roles.HR])
    assert set(user.groups.values_list("name", flat=True)) == {roles.EMPLOYEE, roles.HR}
    assert is_company_wide(user)


def test_the_personas_are_there_with_their_places():
    assert set(PERSONAS.values()) <= set(USERNAMES)
    assert get_user_model().objects.filter(username__in=USERNAMES).count() == len(USERNAMES)
    assert employee("engineer").supervisor == employee("regional")
    assert employee("head").department.head == employee("head")
    assert employee("outsider").department.code == "sales"


def test_a_stocked_store_holds_what_the_keeper_received():
    store, part, receipt = stocked(3)
    assert receipt.store == store
    assert store.balances.get(part=part).quantity == 3
