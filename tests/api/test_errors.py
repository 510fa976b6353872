"""One answer for a refused act (aftersales.ui.api_errors): {"detail", "field"}, 400 — 409 for a state
that no input can change. The kinds of refusal of the areas are kinds of the one ActionError."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from rest_framework.exceptions import NotFound

from aftersales.appraisal.models import ArchivedError
from aftersales.appraisal.scoring import ScoreError
from aftersales.core.errors import ActionError, RuleError, StateConflict
from aftersales.evidence.services import EvidenceError
from aftersales.organisation.accounts import AccountError
from aftersales.parts.models import LedgerError
from aftersales.service.images import ImageRefused
from aftersales.ui.api_errors import exception_handler


@pytest.mark.parametrize(
    "kind", [RuleError, EvidenceError, ScoreError, AccountError, ImageRefused, ArchivedError, LedgerError]
)
def test_every_refusal_is_an_action_error(kind):
    assert issubclass(kind, ActionError)


def test_the_area_action_errors_are_the_one():
    from aftersales.appraisal import services as appraisal
    from aftersales.payroll import services as payroll

    assert appraisal.ActionError is payroll.ActionError is ActionError


def test_a_refusal_names_its_field():
    response = exception_handler(ActionError("数量不足", "quantity"), {})
    assert (response.status_code, response.data) == (400, {"detail": "数量不足", "field": "quantity"})


def test_a_refusal_without_a_field_says_null():
    assert exception_handler(ActionError("不能签字"), {}).data == {"detail": "不能签字", "field": None}


def test_a_state_conflict_is_409():
    response = exception_handler(LedgerError("stock movements are append-only"), {})
    assert response.status_code == 409 and issubclass(LedgerError, StateConflict)


def test_a_rule_of_the_core_keeps_its_path():
    error = RuleError("must be between 0 and 100", "members[2].score")
    assert str(error) == "members[2].score: must be between 0 and 100"  # the CLI's line (CONTRACTS.md)
    assert exception_handler(error, {}).data == {
        "detail": "must be between 0 and 100",
        "field": "members[2].score",
    }


def test_a_services_validation_error_is_the_same_shape():
    response = exception_handler(ValidationError({"engineers": "not staff"}), {})
    assert (response.status_code, response.data) == (400, {"detail": "not staff", "field": "engineers"})
    assert exception_handler(ValidationError("已归档"), {}).data == {"detail": "已归档", "field": None}


def test_the_frameworks_own_answers_are_kept():
    assert exception_handler(NotFound(), {}).status_code == 404
