"""Django's admin is the superuser's tool only (the areas' read-only admins: ``ui.admin``)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest


def _superusers_only(request: HttpRequest) -> bool:
    """Django's admin is the superuser's tool; everybody else sets the company up in the app (R-1.1)."""
    user = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]
