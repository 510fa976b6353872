"""Query parameters shared by the API's views; a bad value is an ``ActionError`` naming the parameter."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from aftersales.core.errors import ActionError
from aftersales.core.periods import Month

MONTH_PATTERN = r"^(19|2\d)\d{2}-(0[1-9]|1[0-2])$"


def month_parameter(*, required: bool) -> OpenApiParameter:
    return OpenApiParameter("month", str, required=required, description="YYYY-MM")


def month_param(request: Request, *, default: Month | None = None) -> Month:
    """``?month=YYYY-MM``; ``default`` when absent (required when there is no default)."""
    text = request.query_params.get("month", "")
    if not text and default is not None:
        return default
    if re.fullmatch(MONTH_PATTERN, text) is None:
        raise ActionError(_("须为 YYYY-MM"), field="month")
    return Month.parse(text)
