from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from aftersales.appraisal.notifications import unread_for
from aftersales.organisation.accounts import (
    may_manage_accounts,
    must_change_password,
    password_changed,
    role_codes,
    role_labels,
)
from aftersales.todo.tasks import groups_for
from aftersales.ui.forms import BootstrapMixin
from aftersales.web import setup


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not (CONTRACTS.md)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The role dashboard: what waits for this person (SPEC §4). A new installation sends HR and
    the system administrator to the set-up first."""
    if may_manage_accounts(request.user) and setup.needs_setup():
        return redirect("web:setup")
    context = {
        "roles": role_labels(role_codes(request.user)),
        "groups": groups_for(request.user),
        "notifications": unread_for(request.user),
    }
    return render(request, "web/home.html", context)


class _ChangeForm(BootstrapMixin, PasswordChangeForm):
    pass


class _SetForm(BootstrapMixin, SetPasswordForm):
    pass


class PasswordChange(auth_views.PasswordChangeView):
    """修改密码 — also where a login with an initial password lands until it has chosen its own."""

    template_name = "web/password_change.html"
    form_class = _ChangeForm
    success_url = reverse_lazy("web:home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["must_change"] = must_change_password(self.request)
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(self.request.user, self.request)
        messages.success(self.request, _("密码已修改"))
        return response


class PasswordSet(auth_views.PasswordResetConfirmView):
    """The one-time link HR issues with a new login: the person sets a password, then signs in."""

    template_name = "web/password_set.html"
    form_class = _SetForm
    success_url = reverse_lazy("web:login")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(form.user, self.request)
        messages.success(self.request, _("密码已设置，请登录"))
        return response
