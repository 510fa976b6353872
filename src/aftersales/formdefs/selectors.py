"""Reading the forms: the latest version of each, one pinned version, the version in force in a
month, HR's overview of every form with its versions and draft."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404

from aftersales.appraisal.models import Appraisal
from aftersales.core.builtin_forms import BUILTIN_TEMPLATES, builtin_template
from aftersales.core.forms import Template
from aftersales.core.periods import Month
from aftersales.formdefs.models import FormDraft, FormTemplate, first_day
from aftersales.organisation.access import AnyUser, is_company_wide

_BUILTIN_ORDER = {template.code: index for index, template in enumerate(BUILTIN_TEMPLATES)}


def _form_order(code: str) -> tuple[int, str]:
    """The order of SPEC §2, then by code."""
    return _BUILTIN_ORDER.get(code, len(_BUILTIN_ORDER)), code


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
    return sorted(templates.values(), key=lambda t: _form_order(t.code))


def template_get(*, code: str, version: int | None = None) -> Template | None:
    """Version ``version`` of form ``code`` (default: the latest), or None when there is none."""
    rows = FormTemplate.objects.filter(code=code)
    if version is not None:
        rows = rows.filter(version=version)
    row = rows.order_by("-version").first()
    if row is not None:
        return row.to_domain()
    return builtin_template(code) if version in (None, 1) else None


def in_force(rows: Iterable[FormTemplate], month: Month) -> FormTemplate | None:
    """Of one form's versions, the one in force in ``month``: the highest version whose effective
    month is ``month`` or earlier (no effective month: in force since always)."""
    start = first_day(month)
    candidates = [row for row in rows if row.effective_from is None or row.effective_from <= start]
    return max(candidates, key=lambda row: row.version, default=None)


def template_in_force(*, code: str, month: Month) -> Template | None:
    """The version of form ``code`` an appraisal of ``month`` is opened with (one query), or None.

    Publishing from a month on leaves the months before with the version they had
    (services.template_publish). A built-in form none of whose versions is stored stands as its
    version 1, as in ``template_get``.
    """
    rows = FormTemplate.objects.filter(code=code).filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=first_day(month))
    )
    row = in_force(rows, month)
    if row is not None:
        return row.to_domain()
    return builtin_template(code) if not FormTemplate.objects.filter(code=code).exists() else None


def latest_opened_month(code: str) -> Month | None:
    """The last month with an appraisal on form ``code`` (whatever its version), or None."""
    last = (
        Appraisal.objects.filter(template_code=code)
        .order_by("-period__year", "-period__month")
        .values_list("period__year", "period__month")
        .first()
    )
    return None if last is None else Month(*last)


# ---------------------------------------------------------------------------------------------
# HR's pages


def require_form_editor(user: AnyUser) -> None:
    """Forms are HR's (SPEC §1): everyone else is refused (403)."""
    if not is_company_wide(user):
        raise PermissionDenied


def get_draft_for_user(user: AnyUser, pk: int) -> FormDraft:
    require_form_editor(user)
    return get_object_or_404(FormDraft.objects.select_related("created_by"), pk=pk)


def get_version_for_user(user: AnyUser, pk: int) -> FormTemplate:
    require_form_editor(user)
    return get_object_or_404(FormTemplate.objects.select_related("published_by"), pk=pk)


def previous_version(row: FormTemplate) -> FormTemplate | None:
    """The version before ``row`` of the same form."""
    return FormTemplate.objects.filter(code=row.code, version__lt=row.version).order_by("-version").first()


def latest_version(code: str) -> FormTemplate | None:
    return FormTemplate.objects.filter(code=code).order_by("-version").first()


@dataclass
class FormSummary:
    """One form on HR's list: its versions (newest first), the one in force this month, those
    that take effect later, and HR's draft of the next one."""

    code: str
    versions: list[FormTemplate] = field(default_factory=list)
    current: FormTemplate | None = None
    scheduled: list[FormTemplate] = field(default_factory=list)
    draft: FormDraft | None = None

    @property
    def name(self) -> str:
        return self.versions[0].name if self.versions else self.code


def forms_overview(month: Month) -> list[FormSummary]:
    """Every stored form with its versions and draft, in the order of SPEC §2: two queries
    whatever the number of versions."""
    summaries: dict[str, FormSummary] = {}
    rows = FormTemplate.objects.select_related("published_by").defer("definition").order_by("-version")
    for row in rows:
        summaries.setdefault(row.code, FormSummary(row.code)).versions.append(row)
    for draft in FormDraft.objects.select_related("created_by").defer("definition"):
        summaries.setdefault(draft.code, FormSummary(draft.code)).draft = draft
    for summary in summaries.values():
        summary.current = in_force(summary.versions, month)
        summary.scheduled = [
            row for row in summary.versions if row.effective_month and row.effective_month > month
        ]
    return [summaries[code] for code in sorted(summaries, key=_form_order)]
