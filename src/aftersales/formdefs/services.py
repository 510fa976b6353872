"""Publishing a form version (发布考核表模板) and seeding the built-in forms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from aftersales.core.builtin_forms import BUILTIN_TEMPLATES
from aftersales.core.forms import from_dict, to_dict, validate_template
from aftersales.formdefs.models import FormTemplate

PUBLISH_PERMISSION = "formdefs.add_formtemplate"
BUILTIN_NOTE = "内置表单 (SPEC §2)"


def template_publish(*, definition: Mapping[str, object], actor: Any, note: str = "") -> FormTemplate:
    """Store ``definition`` as the next version of its form; earlier versions stay as they are.

    The definition is checked by the rules core first (RuleError naming the field, e.g.
    ``sections[2].items[1].upper``). ``actor`` None is the system (a migration, the shell);
    a user needs the ``formdefs.add_formtemplate`` permission (HR).
    """
    if actor is not None and not actor.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("publishing a form template needs the formdefs.add_formtemplate permission")
    draft = from_dict(definition)
    validate_template(draft)
    with transaction.atomic():
        ensure_builtin_templates()  # a builtin's version 1 exists before its version 2
        template = replace(draft, version=_next_version(draft.code))
        return FormTemplate.objects.create(
            code=template.code,
            version=template.version,
            name=template.name,
            grading=template.grading,
            definition=to_dict(template),
            published_by=actor,
            note=note,
        )


def _next_version(code: str) -> int:
    # lock the form's rows so two publishers cannot both take the same number
    versions = FormTemplate.objects.select_for_update().filter(code=code).values_list("version", flat=True)
    return max(versions, default=0) + 1


def ensure_builtin_templates(model: Any = FormTemplate) -> int:
    """Store each built-in form of SPEC §2 as version 1 when its code has no version yet.

    Idempotent; returns how many were stored. ``model`` lets the data migration pass its
    historical model.
    """
    stored = set(model.objects.values_list("code", flat=True))
    missing = [template for template in BUILTIN_TEMPLATES if template.code not in stored]
    model.objects.bulk_create(
        model(
            code=template.code,
            version=template.version,
            name=template.name,
            grading=template.grading,
            definition=to_dict(template),
            note=BUILTIN_NOTE,
        )
        for template in missing
    )
    return len(missing)
