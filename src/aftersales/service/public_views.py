"""The customer's own page (用户确认与评价): no login; the link's token is the credential.

One answer per link; the link expires; requests are counted per address (rate limit); a browser
signed in as staff is turned away, so an engineer cannot answer for the customer on his own phone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_protect

from aftersales.service import forms, services

RATE_WINDOW = 600  # seconds


def _client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _too_many(request: HttpRequest) -> bool:
    """Count this request against the address; True once the window's allowance is used up."""
    key = f"customer-confirm:{_client(request)}"
    cache.add(key, 0, RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW)
        count = 1
    return count > settings.AFTERSALES_CONFIRMATION_RATE


def _page(request: HttpRequest, template: str, context: dict[str, object], status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # the token is in the address: never sent elsewhere
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_protect
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    if _too_many(request):
        return _page(request, "service/customer_refused.html", {"reason": "rate"}, status=429)
    if request.user.is_authenticated:
        return _page(request, "service/customer_refused.html", {"reason": "staff"}, status=403)
    try:
        confirmation = services.confirmation_open(token)
    except services.LinkRefused as refused:
        return _page(request, "service/customer_refused.html", {"reason": refused.reason}, status=404)
    form = forms.CustomerAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answer = services.CustomerAnswer(
            confirmed=data["confirmed"],
            score=data["score"],
            comment=data["comment"],
            complaint=data["complaint"],
            remote_addr=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        try:
            done = services.confirmation_answer(token=token, answer=answer)
        except services.LinkRefused as refused:
            return _page(request, "service/customer_refused.html", {"reason": refused.reason}, status=404)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _page(request, "service/customer_thanks.html", {"confirmation": done})
    report = confirmation.report
    context = {"form": form, "report": report, "order": report.order, "confirmation": confirmation}
    return _page(request, "service/customer_confirm.html", context)
