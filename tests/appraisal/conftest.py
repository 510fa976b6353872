"""People and forms for the appraisal tests: the persona organisation and a period of January 2025.

Personas (tests/access/cases.py): the employee 赵磊 (``engineer``, field service), his direct
supervisor 陈刚 (``regional``), the department head 王建国 (``head``), ``hr`` 马丽, and the
``outsider`` 钱进 of another department.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from aftersales.appraisal import services
from aftersales.appraisal.models import Appraisal
from aftersales.organisation.models import Department
from tests.appraisal.helpers import PERSONA_USERS


@pytest.fixture
def people(personas):
    users = get_user_model().objects.in_bulk(list(PERSONA_USERS.values()), field_name="username")
    return {persona: users[username] for persona, username in PERSONA_USERS.items()}


@pytest.fixture
def period(people):
    return services.period_open(
        actor=people["hr"], department=Department.objects.get(code="as"), year=2025, month=1
    )


@pytest.fixture
def appraisal(period):
    """赵磊's form (现场服务人员月度绩效考核表, field_service), in draft."""
    return Appraisal.objects.get(period=period, employee__user__username="engineer")
