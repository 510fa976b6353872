"""Idempotent creates: a POST replayed (double click, browser resubmit, a client retrying after a lost
answer) gets the first answer instead of making a second record.

A page form that creates records carries a one-use token (``{% form_token %}``, a hidden field
``form_token``); an API client sends an ``Idempotency-Key`` header. The first POST with a key claims it
for its user inside the transaction that runs the view; the answer is stored with the claim when it went
through (the page's redirect, an API answer below 400). Anything else (the form shown again with its
errors, 4xx/5xx, an exception) releases the key, so the corrected request may use it again.
Concurrent replays wait on the claim's unique row and then get the stored answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from aftersales.web.models import AnsweredRequest

FORM_FIELD = "form_token"
HEADER = "Idempotency-Key"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_KEY = 128


def new_form_token() -> str:
    return uuid.uuid4().hex


class IdempotentCreates:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _key(request)
        user_id = _user_id(request) if key else None
        if not key or user_id is None:
            return self.get_response(request)
        if len(key) > MAX_KEY:
            return JsonResponse({"detail": f"{HEADER}: at most {MAX_KEY} characters"}, status=400)
        return _answer_once(request, user_id, key, self.get_response)


def _key(request: HttpRequest) -> str:
    if request.method != "POST":
        return ""
    if header := request.headers.get(HEADER, "").strip():
        return f"api:{header}"
    if request.content_type in FORM_TYPES and (token := _form_token(request)):
        return f"form:{token}"
    return ""


def _form_token(request: HttpRequest) -> str:
    """The form's one-use token; none in a body that does not parse (the view answers it with 400)."""
    try:
        return str(request.POST.get(FORM_FIELD, "")).strip()
    except MultiPartParserError:
        return ""


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user; an API client with a token is known only inside DRF, so look the token up."""
    if request.user.is_authenticated:
        return int(request.user.pk)
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "token" or not token:
        return None
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(key=token.strip()).values_list("user_id", flat=True).first()


def _answer_once(
    request: HttpRequest, user_id: int, key: str, get_response: Callable[[HttpRequest], HttpResponse]
) -> HttpResponse:
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = AnsweredRequest.objects.create(user_id=user_id, key=key, path=request.path)
        except IntegrityError:
            return _replay(request, AnsweredRequest.objects.get(user_id=user_id, key=key))
        response = get_response(request)
        if not _went_through(key, response):
            transaction.set_rollback(True)  # refused: nothing was created, the key may be used again
            return response
        claim.status = response.status_code
        claim.content_type = response.get("Content-Type", "")
        claim.location = response.get("Location", "")
        claim.body = response.content
        claim.save(update_fields=["status", "content_type", "location", "body"])
        return response


def _went_through(key: str, response: HttpResponse) -> bool:
    """An API answer below 400; a page form's redirect (the form shown again with errors created nothing)."""
    if getattr(response, "streaming", False):
        return False
    if key.startswith("form:"):
        return 300 <= response.status_code < 400
    return response.status_code < 400


def _replay(request: HttpRequest, answered: AnsweredRequest) -> HttpResponse:
    if answered.path != request.path:
        return JsonResponse({"detail": f"{HEADER} was already used for another request"}, status=422)
    response = HttpResponse(bytes(answered.body), status=answered.status, content_type=answered.content_type)
    if answered.location:
        response["Location"] = answered.location
    response["Idempotent-Replay"] = "true"
    if answered.key.startswith("form:"):
        messages.info(request, _("这份表单已经提交过，没有重复创建。"))
    return response
