"""The pages' side of the one refusal (``aftersales.core.errors.ActionError``): shown beside the field
it names when the page's form has that field, above the form otherwise, or as a message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from aftersales.core.errors import ActionError


def show_refusal(request: HttpRequest, error: ActionError, form: Any = None, text: str = "") -> None:
    """``text``: the page's own wording of the refusal (default: the error's message)."""
    text = text or error.message or str(error)
    if form is None:
        messages.error(request, text)
    else:
        form.add_error(error.field if error.field in form.fields else None, text)
