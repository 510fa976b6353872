from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from aftersales.appraisal.notifications import unread_for
from aftersales.appraisal.selectors import Box, dashboard_for
from aftersales.organisation.access import is_company_wide
from aftersales.organisation.roles import ROLE_LABELS
from aftersales.payroll.changes import out_of_date_closes


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
    """The role dashboard: what waits for this person (SPEC §4)."""
    names = sorted(request.user.groups.values_list("name", flat=True))
    context = {
        "roles": [ROLE_LABELS.get(name, name) for name in names],
        "boxes": [*dashboard_for(request.user), *_pay_boxes(request.user)],
        "notifications": unread_for(request.user),
    }
    return render(request, "web/home.html", context)


def _pay_boxes(user: Any) -> list[Box]:
    """HR's closes that are out of date (R-3.1): re-close them."""
    if not is_company_wide(user):
        return []
    closes = list(out_of_date_closes()[:50])
    return [Box("closes", _("结算已过期"), "bi-arrow-repeat", "warning", closes, reverse("payroll:index"))]
