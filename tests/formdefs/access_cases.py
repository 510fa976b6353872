"""Access cases of the form-template pages (R-1.1; SPEC §1: templates are HR's); see
tests/access/cases.py. HR alone opens, copies, edits, previews, compares and publishes; the employee,
the supervisor, the department head and the outsider are refused (403) on every page."""

from __future__ import annotations

from typing import Any

from tests.access.cases import Case, World

ONLY_HR = frozenset({"hr"})


def _draft(world: World) -> dict[str, Any]:
    from aftersales.formdefs.models import FormTemplate
    from aftersales.formdefs.services import draft_copy

    draft, _ = draft_copy(version=FormTemplate.objects.get(code="repair", version=1), actor=world.users["hr"])
    return {"pk": draft.pk}


def _draft_body(world: World) -> dict[str, Any]:
    """The draft as it stands: a save that changes nothing."""
    from aftersales.formdefs.models import FormDraft

    return FormDraft.objects.get(code="repair").definition


def _version(world: World) -> dict[str, Any]:
    from aftersales.formdefs.models import FormTemplate

    return {"pk": FormTemplate.objects.get(code="repair", version=1).pk}


CASES = [
    Case("formdefs:index", ONLY_HR),
    Case("formdefs:copy", ONLY_HR, kwargs=lambda w: {"code": "repair"}, method="post"),
    Case("formdefs:draft", ONLY_HR, kwargs=_draft),
    Case("formdefs:draft", ONLY_HR, kwargs=_draft, method="post", data=lambda w: {"op": "add-section"}),
    Case("formdefs:draft-preview", ONLY_HR, kwargs=_draft),
    Case("formdefs:draft-pdf", ONLY_HR, kwargs=_draft),
    Case("formdefs:draft-diff", ONLY_HR, kwargs=_draft),
    Case("formdefs:draft-publish", ONLY_HR, kwargs=_draft),
    Case(
        "formdefs:draft-publish",
        ONLY_HR,
        kwargs=_draft,
        method="post",
        data=lambda w: {"effective_month": "2099-01", "note": "试行"},
    ),
    Case("formdefs:draft-discard", ONLY_HR, kwargs=_draft, method="post"),
    Case("formdefs:version", ONLY_HR, kwargs=_version),
    Case("formdefs:version-pdf", ONLY_HR, kwargs=_version),
    # API twins of the page acts (tests/api/test_twins.py)
    Case("api-formdefs:copy", ONLY_HR, kwargs=lambda w: {"code": "repair"}, method="post", json=True),
    Case(
        "api-formdefs:draft-publish",
        ONLY_HR,
        kwargs=_draft,
        method="post",
        data=lambda w: {"effective_month": "2099-01", "note": "试行"},
        json=True,
    ),
    Case("api-formdefs:draft-discard", ONLY_HR, kwargs=_draft, method="post", json=True),
    Case("api-formdefs:draft", ONLY_HR, kwargs=_draft),
    Case("api-formdefs:draft", ONLY_HR, kwargs=_draft, method="post", data=_draft_body, json=True),
]
