"""Reading the published forms: the latest version of each, or one pinned version."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from aftersales.core.builtin_forms import BUILTIN_TEMPLATES, builtin_template
from aftersales.core.forms import Template
from aftersales.formdefs.models import FormTemplate

_BUILTIN_ORDER = {template.code: index for index, template in enumerate(BUILTIN_TEMPLATES)}


def published_templates() -> list[Template]:
    """The latest version of every form, in the order of SPEC §2 (then by code).

    A built-in form with no stored version stands as its version 1, so an empty table still
    serves the forms of SPEC §2.
    """
    latest_version = (
        FormTemplate.objects.filter(code=OuterRef("code")).order_by("-version").values("version")[:1]
    )
    rows = FormTemplate.objects.filter(version=Subquery(latest_version))  # one query
    templates = {row.code: row.to_domain() for row in rows}
    for builtin in BUILTIN_TEMPLATES:
        templates.setdefault(builtin.code, builtin)
    return sorted(templates.values(), key=lambda t: (_BUILTIN_ORDER.get(t.code, len(_BUILTIN_ORDER)), t.code))


def template_get(*, code: str, version: int | None = None) -> Template | None:
    """Version ``version`` of form ``code`` (default: the latest), or None when there is none."""
    rows = FormTemplate.objects.filter(code=code)
    if version is not None:
        rows = rows.filter(version=version)
    row = rows.order_by("-version").first()
    if row is not None:
        return row.to_domain()
    return builtin_template(code) if version in (None, 1) else None
