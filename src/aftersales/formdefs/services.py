"""Publishing a form version (发布考核表模板), HR's drafts of the next version, and seeding the
built-in forms.

The effective-month rule (docs/user-guide/templates.md): a version takes effect from the month HR
gives on; that month must come after every month in which appraisals on the form were already
opened (those months keep the version they were opened with), and may not come before the effective
month of the form's latest version (versions take effect in the order they are published).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.builtin_forms import BUILTIN_TEMPLATES
from aftersales.core.errors import RuleError
from aftersales.core.forms import from_dict, to_dict, validate_template
from aftersales.core.periods import Month
from aftersales.formdefs.editor import Data, definition_of, draft_data
from aftersales.formdefs.models import FormDraft, FormTemplate, first_day
from aftersales.formdefs.selectors import latest_opened_month, latest_version
from aftersales.organisation.access import is_company_wide

PUBLISH_PERMISSION = "formdefs.add_formtemplate"
BUILTIN_NOTE = "内置表单 (SPEC §2)"


def template_publish(
    *,
    definition: Mapping[str, object],
    actor: Any,
    note: str = "",
    effective_from: Month | None = None,
) -> FormTemplate:
    """Store ``definition`` as the next version of its form; earlier versions stay as they are.

    The definition is checked by the rules core first (RuleError naming the field, e.g.
    ``sections[2].items[1].upper``). ``effective_from``: the first month the version applies to,
    refused (RuleError on ``effective_from``) when appraisals of that month or a later one were
    already opened on the form, or when it precedes the latest version's; None: in force since
    always, as the versions stored before months were given. ``actor`` None is the system (a
    migration, the shell); a user must be HR or hold ``formdefs.add_formtemplate``.
    """
    if actor is not None and not (is_company_wide(actor) or actor.has_perm(PUBLISH_PERMISSION)):
        raise PermissionDenied("publishing a form template is HR's (or needs formdefs.add_formtemplate)")
    draft = from_dict(definition)
    validate_template(draft)
    with transaction.atomic():
        ensure_builtin_templates()  # a builtin's version 1 exists before its version 2
        template = replace(draft, version=_next_version(draft.code))
        if effective_from is not None:
            _check_effective_month(draft.code, effective_from)
        return FormTemplate.objects.create(
            code=template.code,
            version=template.version,
            name=template.name,
            grading=template.grading,
            definition=to_dict(template),
            published_by=actor,
            note=note,
            effective_from=None if effective_from is None else first_day(effective_from),
        )


def _next_version(code: str) -> int:
    # lock the form's rows so two publishers cannot both take the same number
    versions = FormTemplate.objects.select_for_update().filter(code=code).values_list("version", flat=True)
    return max(versions, default=0) + 1


def earliest_effective_month(code: str) -> Month | None:
    """The first month a new version of form ``code`` may take effect from; None: any month."""
    opened = latest_opened_month(code)
    latest = latest_version(code)
    bounds = [opened.shift(1) if opened else None, latest.effective_month if latest else None]
    return max((bound for bound in bounds if bound is not None), default=None)


def _check_effective_month(code: str, month: Month) -> None:
    opened = latest_opened_month(code)
    if opened is not None and month <= opened:
        raise RuleError(
            _("%(opened)s已开启使用本表的考核，该月及以前各月保留原版本：生效月份须不早于%(earliest)s。")
            % {"opened": opened, "earliest": opened.shift(1)},
            "effective_from",
        )
    latest = latest_version(code)
    if latest is not None and latest.effective_month is not None and month < latest.effective_month:
        raise RuleError(
            _("第%(version)s版自%(month)s起生效：新版本的生效月份不能早于它。")
            % {"version": latest.version, "month": latest.effective_month},
            "effective_from",
        )


def templates_locked() -> None:
    """Hold every form version until the transaction ends: a month opened against the forms
    (period_open) and a version published from that month on (``template_publish`` locks the same
    rows) cannot cross — either the month opens on the new version or the publication is refused
    because the month has opened (PostgreSQL; SQLite serialises writers anyway)."""
    ensure_builtin_templates()
    list(FormTemplate.objects.select_for_update().values_list("pk", flat=True))


def ensure_builtin_templates(model: Any = FormTemplate) -> int:
    """Store each built-in form of SPEC §2 as version 1 when its code has no version yet.

    Idempotent, and safe when two transactions do it at once (a version 1 stored by the other is
    skipped, not a unique-constraint error); returns how many were missing. ``model`` lets the data
    migration pass its historical model.
    """
    stored = set(model.objects.values_list("code", flat=True))
    missing = [template for template in BUILTIN_TEMPLATES if template.code not in stored]
    model.objects.bulk_create(
        (
            model(
                code=template.code,
                version=template.version,
                name=template.name,
                grading=template.grading,
                definition=to_dict(template),
                note=BUILTIN_NOTE,
            )
            for template in missing
        ),
        ignore_conflicts=True,
    )
    return len(missing)


# ---------------------------------------------------------------------------------------------
# HR's drafts (考核表模板草稿)


def _check_editor(actor: Any) -> None:
    if actor is None or not is_company_wide(actor):
        raise PermissionDenied("form templates are edited by HR")


def draft_copy(*, version: FormTemplate, actor: Any) -> tuple[FormDraft, bool]:
    """HR copies ``version`` into the draft of its form's next version; a form has one draft at a
    time, so the draft there is is returned instead (created: False)."""
    _check_editor(actor)
    return FormDraft.objects.get_or_create(
        code=version.code,
        defaults={
            "base_version": version.version,
            "definition": draft_data(version.to_domain()),
            "created_by": actor,
        },
    )


def draft_save(*, draft: FormDraft, data: Data, actor: Any) -> FormDraft:
    """Keep what HR typed, valid or not (the editor shows what stands in the way of publishing)."""
    _check_editor(actor)
    draft.definition = data
    draft.updated_at = timezone.now()
    draft.save(update_fields=["definition", "updated_at"])
    return draft


def draft_discard(*, draft: FormDraft, actor: Any) -> None:
    _check_editor(actor)
    draft.delete()


def draft_publish(*, draft: FormDraft, actor: Any, effective_from: Month, note: str) -> FormTemplate:
    """Publish the draft as its form's next version from month ``effective_from`` on; the draft
    is then gone. RuleError names the field at fault (the draft's, or ``effective_from``)."""
    _check_editor(actor)
    with transaction.atomic():
        if not FormDraft.objects.select_for_update().filter(pk=draft.pk).exists():
            raise RuleError(_("草稿已被发布或删除。"))  # by another HR user meanwhile
        published = template_publish(
            definition=definition_of(draft.definition, draft.code),
            actor=actor,
            note=note,
            effective_from=effective_from,
        )
        draft.delete()
    return published
