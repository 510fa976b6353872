"""The one way to say "refused": ``ActionError`` and its kinds.

Every business refusal of the product — a rule of the core, a step not possible in the current state,
an input that breaks a rule of an act — is an ``ActionError(message, field=None)``. The API turns it
into one answer, ``{"detail": message, "field": field}`` (``aftersales.ui.api_errors.exception_handler``),
with status 400, or 409 for a ``StateConflict`` (the record is in a state no input can change: an
archived appraisal, a ledger row). Pages show the message beside the field it names.
"""

from __future__ import annotations


class ActionError(Exception):
    """A refused act; ``message`` is shown to the user, ``field`` names the input at fault, if any.

    ``field`` is kept as a string ("" when no field) so callers may split a dotted path.
    """

    status_code = 400

    def __init__(self, message: str = "", field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field: str = field or ""


class StateConflict(ActionError):
    """The record's state forbids the act whatever the input (answered 409 by the API)."""

    status_code = 409


class RuleError(ActionError, ValueError):
    """Input that breaks a rule of the core; ``field`` is a JSON-style path relative to the input."""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message
