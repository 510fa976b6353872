"""Actions of evidence-linked appraisal (SPEC §11): propose form entries from a month's recorded
facts, and the direct supervisor's decision on each — accept (the entry goes into the form and
keeps its evidence) or reject with a reason.

Errors: ``PermissionDenied`` when the actor may not take the step; ``EvidenceError`` when the step
is not possible now (decided already, the form is scored, a reason is missing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.appraisal.models import Appraisal, Period, State
from aftersales.appraisal.permissions import is_hr, is_supervisor_of
from aftersales.appraisal.scoring import appraisal_template, json_ready
from aftersales.appraisal.services import ActionError, appraisal_set_entries
from aftersales.core.forms import Section
from aftersales.core.periods import Month
from aftersales.evidence.facts import MonthFacts
from aftersales.evidence.form_entries import entry_of, merged
from aftersales.evidence.models import Proposal, Status
from aftersales.evidence.rules import Draft, placements
from aftersales.organisation.access import employees_managed_by

# Forms the supervisor has not scored yet (a returned form is scored again): proposals apply.
OPEN_STATES = (State.DRAFT, State.SELF_REPORTED, State.RETURNED)


class EvidenceError(ActionError):
    """The step is not possible now; ``field`` names the input at fault, if any."""


def item_overrides() -> dict[str, str]:
    """Setting ``AFTERSALES_EVIDENCE_ITEMS``: source → deduction item code, replacing the default
    item a source proposes (rules.TARGETS) on forms HR publishes with other codes."""
    return dict(getattr(settings, "AFTERSALES_EVIDENCE_ITEMS", {}))


# ---------------------------------------------------------------------------------------------
# Proposing


@dataclass
class ProposeResult:
    """What a run did: proposals created, open ones refreshed, open ones withdrawn (no facts now)."""

    appraisals: int = 0
    created: int = 0
    refreshed: int = 0
    withdrawn: int = 0

    def add(self, other: ProposeResult) -> None:
        self.appraisals += other.appraisals
        self.created += other.created
        self.refreshed += other.refreshed
        self.withdrawn += other.withdrawn


def evidence_propose(*, period: Period, actor: Any, now: datetime | None = None) -> ProposeResult:
    """Propose entries for the period's forms not scored yet, from the month's facts (SPEC §11).

    HR (or the system, ``actor=None``) proposes for every such form of the period, a supervisor
    for their own employees. Idempotent: a re-run refreshes the open proposals, withdraws those
    whose facts are gone, and never repeats a decided one.
    """
    appraisals = _appraisals_to_propose(period, actor)
    now = now or timezone.now()
    result = ProposeResult()
    with transaction.atomic():
        for appraisal in appraisals:
            result.add(_propose_for(appraisal, period.as_month, now))
    return result


def _appraisals_to_propose(period: Period, actor: Any) -> QuerySet[Appraisal]:
    forms = period.appraisals.filter(is_current=True, state__in=OPEN_STATES).select_related("employee")
    if actor is None or is_hr(actor):
        return forms.order_by("employee__number")
    managed = employees_managed_by(actor)
    if not managed.exists():
        raise PermissionDenied("only HR and direct supervisors propose from the records")
    return forms.filter(employee__in=managed).order_by("employee__number")


def _propose_for(appraisal: Appraisal, month: Month, now: datetime) -> ProposeResult:
    facts = MonthFacts(appraisal.employee, month, now)
    drafts = [
        draft
        for placement in placements(appraisal_template(appraisal), item_overrides())
        if (draft := placement.draft(facts.finding(placement.source))) is not None
    ]
    return _sync(appraisal, drafts)


def _sync(appraisal: Appraisal, drafts: Iterable[Draft]) -> ProposeResult:
    """Bring the appraisal's proposals in line with ``drafts`` (one open proposal per slot)."""
    slots: dict[tuple[str, str], list[Proposal]] = defaultdict(list)
    for proposal in appraisal.evidence_proposals.all():
        slots[(proposal.section, proposal.source)].append(proposal)
    result = ProposeResult(appraisals=1)
    for draft in drafts:
        _sync_slot(appraisal, draft, slots.pop((draft.section.code, draft.source), []), result)
    for left in slots.values():  # the facts are gone: withdraw what is still open
        for proposal in left:
            if proposal.is_open:
                proposal.delete()
                result.withdrawn += 1
    return result


def _sync_slot(appraisal: Appraisal, draft: Draft, slot: list[Proposal], result: ProposeResult) -> None:
    fields = _fields(draft)
    if any(not p.is_open and _decisive(p.value) == _decisive(fields["value"]) for p in slot):
        return  # decided already: the same entry is never proposed twice
    current = next((p for p in slot if p.is_open), None)
    if current is None:
        Proposal.objects.create(
            appraisal=appraisal, section=draft.section.code, source=draft.source, **fields
        )
        result.created += 1
    elif any(getattr(current, name) != value for name, value in fields.items()):
        for name, value in fields.items():
            setattr(current, name, value)
        current.save()
        result.refreshed += 1


def _fields(draft: Draft) -> dict[str, Any]:
    graded = draft.section.kind == "graded"
    return {
        "section_name": draft.section.name,
        "value": json_ready(draft.value),
        "item_text": draft.item.text,
        "deduction": None if graded else draft.item.deduction,
        "measured": json_ready(draft.measured),
        "evidence": [record.as_json() for record in draft.evidence],
    }


def _decisive(value: Any) -> Any:
    """What decides a proposal: the item (graded: the band; its days and score may move)."""
    return value.get("item") if isinstance(value, dict) else value


# ---------------------------------------------------------------------------------------------
# Deciding


def _check_decider(actor: Any, proposal: Proposal) -> None:
    """The employee's direct supervisor decides (直接主管评分, SPEC §1)."""
    if not is_supervisor_of(actor, proposal.appraisal.employee):
        raise PermissionDenied("only the employee's direct supervisor decides a proposal")


def _locked(proposal: Proposal) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not locked.is_open:
        raise EvidenceError(_("该建议已处理。"))
    return locked


def _decide(proposal: Proposal, status: str, actor: Any) -> Proposal:
    proposal.status, proposal.decided_by, proposal.decided_at = status, actor, timezone.now()
    proposal.save()
    return proposal


def proposal_accept(*, proposal: Proposal, actor: Any, score: Any = None) -> Proposal:
    """Accept: the entry is written into the form (and re-scored if the form was scored before).

    For a section graded on a response time, ``score`` may set the score inside the proposed band
    (default: the top of the band)."""
    _check_decider(actor, proposal)
    with transaction.atomic():
        proposal = _locked(proposal)
        appraisal = (
            Appraisal.objects.select_for_update().select_related("employee").get(pk=proposal.appraisal_id)
        )
        if not appraisal.is_current or appraisal.state not in OPEN_STATES:
            raise EvidenceError(_("考核表已评分，不能再采纳建议，请在考核表中直接修改。"))
        section = _section_of(appraisal, proposal)
        proposal.value = _with_score(section, proposal.value, score)
        entries = merged(appraisal.entries, section, entry_of(section, proposal.value))
        try:
            appraisal_set_entries(appraisal=appraisal, entries=entries, actor=actor)
        except ActionError as exc:
            raise EvidenceError(exc.message, exc.field) from None
        return _decide(proposal, Status.ACCEPTED, actor)


def proposal_reject(*, proposal: Proposal, actor: Any, reason: str) -> Proposal:
    """Reject with a reason (required): the form is left as it is."""
    _check_decider(actor, proposal)
    text = (reason or "").strip()
    if not text:
        raise EvidenceError(_("驳回须填写理由。"), "reason")
    with transaction.atomic():
        proposal = _locked(proposal)
        proposal.reason = text
        return _decide(proposal, Status.REJECTED, actor)


def _section_of(appraisal: Appraisal, proposal: Proposal) -> Section:
    section = appraisal_template(appraisal).section(proposal.section)
    if section is None:
        raise EvidenceError(_("考核表中没有该考核项目。"))
    return section


def _with_score(section: Section, value: Any, score: Any) -> Any:
    """The proposed value; for a graded band, with the score the supervisor chose in its range."""
    if section.kind != "graded" or score in (None, ""):
        return value
    item = section.item(value["item"])
    try:
        chosen = Decimal(str(score).strip())
    except InvalidOperation:
        raise EvidenceError(_("评分必须是数字。"), "score") from None
    if item is None or not chosen.is_finite() or not (item.min or 0) <= chosen <= (item.max or 0):
        raise EvidenceError(_("评分须在该档分值范围内。"), "score")
    return {**value, "score": json_ready(chosen)}
