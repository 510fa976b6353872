"""HR signed in, and HR's draft of form 4.3 (返修) copied from its version 1 on the page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from aftersales.formdefs.models import FormDraft


@pytest.fixture
def hr(client, personas):
    client.force_login(get_user_model().objects.get(username="hr"))
    return client


@pytest.fixture
def draft(hr):
    answer = hr.post(reverse("formdefs:copy", args=["repair"]))
    assert answer.status_code == 302
    return FormDraft.objects.get(code="repair")
