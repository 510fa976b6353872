"""Publishing from a month on (SPEC §2: an appraisal pins its version; HR publishes a new version
without changing old results): the version in force in a month, and the months refused."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection

from aftersales.appraisal import services as appraisal_services
from aftersales.appraisal.models import Appraisal
from aftersales.core.builtin_forms import REPAIR
from aftersales.core.errors import RuleError
from aftersales.core.forms import to_dict
from aftersales.core.periods import Month
from aftersales.formdefs import services as formdefs_services
from aftersales.formdefs.models import FormTemplate
from aftersales.formdefs.selectors import latest_opened_month, template_in_force
from aftersales.formdefs.services import earliest_effective_month, template_publish
from aftersales.organisation.models import Department
from tests.concurrency import race

pytestmark = pytest.mark.django_db


def repair(deduction: str) -> dict:
    definition = to_dict(REPAIR)
    definition["sections"][4]["items"][0]["deduction"] = deduction
    return definition


@pytest.fixture
def hr(personas):
    return get_user_model().objects.get(username="hr")


def open_month(hr, month: Month) -> set[int]:
    """HR opens ``month`` for 售后服务部; the versions its repair forms are pinned to."""
    period = appraisal_services.period_open(
        actor=hr, department=Department.objects.get(code="as"), year=month.year, month=month.month
    )
    return set(
        Appraisal.objects.filter(period=period, template_code="repair").values_list(
            "template_version", flat=True
        )
    )


def test_a_version_applies_from_its_month_on(hr):
    template_publish(definition=repair("8"), actor=hr, effective_from=Month(2031, 3))
    assert template_in_force(code="repair", month=Month(2031, 2)).version == 1
    assert template_in_force(code="repair", month=Month(2031, 3)).version == 2
    assert template_in_force(code="repair", month=Month(2032, 1)).version == 2


def test_periods_open_with_the_version_in_force_that_month(hr):
    template_publish(definition=repair("8"), actor=hr, effective_from=Month(2031, 3))
    assert open_month(hr, Month(2031, 2)) == {1}
    assert open_month(hr, Month(2031, 3)) == {2}


def test_a_month_with_appraisals_on_the_form_keeps_its_version(hr):
    """Earlier months keep their version: a version may not take effect in or before a month that
    already has appraisals on the form."""
    open_month(hr, Month(2030, 5))
    assert latest_opened_month("repair") == Month(2030, 5)
    for month in (Month(2030, 4), Month(2030, 5)):
        with pytest.raises(RuleError, match="2030-05已开启使用本表的考核") as refused:
            template_publish(definition=repair("8"), actor=hr, effective_from=month)
        assert refused.value.field == "effective_from"
    assert earliest_effective_month("repair") == Month(2030, 6)
    assert template_publish(definition=repair("8"), actor=hr, effective_from=Month(2030, 6)).version == 2


def test_versions_take_effect_in_the_order_published(hr):
    template_publish(definition=repair("8"), actor=hr, effective_from=Month(2031, 6))
    with pytest.raises(RuleError, match="第2版自2031-06起生效") as refused:
        template_publish(definition=repair("9"), actor=hr, effective_from=Month(2031, 5))
    assert refused.value.field == "effective_from"
    assert earliest_effective_month("repair") == Month(2031, 6)
    # the same month: the newer version replaces the scheduled one before any form used it
    template_publish(definition=repair("9"), actor=hr, effective_from=Month(2031, 6))
    assert template_in_force(code="repair", month=Month(2031, 6)).version == 3
    assert template_in_force(code="repair", month=Month(2031, 5)).version == 1


def test_a_version_without_a_month_is_in_force_since_always(hr):
    """Rows stored before months were given (and the admin's, the shell's) keep their meaning."""
    template_publish(definition=repair("8"), actor=None)
    assert FormTemplate.objects.get(code="repair", version=2).effective_from is None
    assert template_in_force(code="repair", month=Month(2001, 1)).version == 2


def test_a_new_form_is_in_force_from_its_month_only(hr):
    definition = to_dict(REPAIR) | {"code": "repair_trial", "name": "返修人员绩效考核表(试行)"}
    template_publish(definition=definition, actor=hr, effective_from=Month(2031, 1))
    assert template_in_force(code="repair_trial", month=Month(2030, 12)) is None
    assert template_in_force(code="repair_trial", month=Month(2031, 1)).version == 1


def test_an_empty_table_serves_the_builtins(personas):
    FormTemplate.objects.all().delete()
    assert template_in_force(code="repair", month=Month(2030, 1)) == REPAIR
    assert template_in_force(code="no_such_form", month=Month(2030, 1)) is None


def test_hr_publishes_without_the_admin_permission_others_do_not(hr):
    assert not hr.has_perm("formdefs.add_formtemplate")
    assert template_publish(definition=repair("8"), actor=hr, effective_from=Month(2031, 1)).version == 2
    head = get_user_model().objects.get(username="head")
    with pytest.raises(PermissionDenied):
        template_publish(definition=repair("9"), actor=head, effective_from=Month(2031, 2))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent transactions: SQLite serialises writers (BEGIN IMMEDIATE)",
)
def test_a_month_opened_while_a_version_is_published_for_it_is_on_the_version_in_force(hr, monkeypatch):
    """Publishing from month M and opening M at the same moment: either M opens on the new version or
    the publication is refused — never M on the old version with the new one in force from M.
    The publication pauses between its check and its insert, where the month would otherwise open."""
    checked = formdefs_services._check_effective_month

    def check_then_pause(code, month):
        checked(code, month)
        time.sleep(0.5)

    monkeypatch.setattr(formdefs_services, "_check_effective_month", check_then_pause)
    department = Department.objects.get(code="as")
    month = earliest_effective_month("repair") or Month(2031, 1)
    for attempt in range(2):
        month = month.shift(attempt)
        outcomes = race(
            lambda m=month, points=str(20 + attempt): (
                template_publish(definition=repair(points), actor=hr, effective_from=m),
                "published",
            )[1],
            lambda m=month: (
                appraisal_services.period_open(actor=hr, department=department, year=m.year, month=m.month),
                "opened",
            )[1],
            refused=RuleError,
        )
        assert "opened" in outcomes
        pinned = set(
            Appraisal.objects.filter(
                period__year=month.year, period__month=month.month, template_code="repair"
            ).values_list("template_version", flat=True)
        )
        assert pinned == {template_in_force(code="repair", month=month).version}, outcomes
