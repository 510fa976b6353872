"""What htmx sends beside a form."""

from __future__ import annotations

from urllib.parse import unquote

from django.http import HttpRequest


def prompt_answer(request: HttpRequest, field: str) -> str:
    """The text typed into an ``hx-prompt`` (or the form's ``field`` without htmx). htmx sends a non-ASCII
    answer URI-encoded and says so in ``HX-Prompt-URI-AutoEncoded``: decode it, or a Chinese reason would
    be stored as ``%E5%BD%93…``."""
    if answer := request.POST.get(field):
        return answer
    prompt = request.headers.get("HX-Prompt", "")
    if request.headers.get("HX-Prompt-URI-AutoEncoded", "").lower() == "true":
        return unquote(prompt)
    return prompt
