"""A login with an initial password set by HR must choose its own before anything else (R-1.1)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from aftersales.organisation.accounts import must_change_password

# what stays reachable while the password must be changed
_OPEN = ("web:password-change", "web:logout", "web:healthz", "set_language")


class PasswordChangeRequired:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open: tuple[str, ...] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._open is None:
            self._open = (*(reverse(name) for name in _OPEN), "/static/")
        if must_change_password(request) and not request.path.startswith(self._open):
            # the API and htmx fragments (the menu's to-do count) get a refusal, not the password page:
            # htmx would swap that page in, and its menu would ask again and again
            if request.path.startswith("/api/") or request.headers.get("HX-Request"):
                return HttpResponse("password change required", status=403, content_type="text/plain")
            return redirect("web:password-change")
        return self.get_response(request)
