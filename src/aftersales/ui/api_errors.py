"""One answer for a refused act in the whole API (settings ``REST_FRAMEWORK['EXCEPTION_HANDLER']``).

An ``ActionError`` (and every kind of it: ``RuleError``, ``EvidenceError``, ``ScoreError``…) and a
Django ``ValidationError`` raised by a service answer ``{"detail": message, "field": name or null}``:
400, or 409 for a ``StateConflict`` (an archived record, a ledger row). Serializer validation keeps
DRF's own shape (``{"<field>": ["…"]}``); 401/403/404 keep ``{"detail": …}``. API views do not catch
these errors themselves.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from aftersales.core.errors import ActionError

# The schema of the refusal, for ``extend_schema(responses={400: REFUSAL})``.
REFUSAL = inline_serializer(
    "Refusal",
    fields={
        # not required: a 400 of serializer validation answers DRF's {"<field>": ["…"]} instead
        "detail": serializers.CharField(required=False),
        "field": serializers.CharField(required=False, allow_null=True),
    },
)


def refusal(message: str, field: str | None, status: int = 400) -> Response:
    return Response({"detail": message, "field": field or None}, status=status)


def _from_django(error: DjangoValidationError) -> Response:
    if hasattr(error, "error_dict"):
        field, messages = next(iter(error.message_dict.items()))
        return refusal(" ".join(messages), None if field == "__all__" else field)
    return refusal(" ".join(error.messages), None)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ActionError):
        return refusal(exc.message or str(exc), exc.field, exc.status_code)
    if isinstance(exc, DjangoValidationError):
        return _from_django(exc)
    return drf_exception_handler(exc, context)
