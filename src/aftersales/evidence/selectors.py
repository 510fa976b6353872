"""Reading proposals (SPEC §11): what a user may see (R-1.1), what waits for their decision, and
the panel of one appraisal form.

Scope: the employee sees the proposals on their own forms, the supervisor their team's, the head
their department's, HR all (``employees_visible_to``). Lists filter in the queryset and preload
their relations, so the number of queries does not grow with the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from aftersales.appraisal.models import Appraisal, Period
from aftersales.appraisal.permissions import acting_employee, is_hr, is_supervisor_of
from aftersales.appraisal.scoring import appraisal_template
from aftersales.appraisal.selectors import employee_scope, periods_visible_to
from aftersales.evidence.form_entries import entry_of, holds
from aftersales.evidence.models import Proposal, Status
from aftersales.evidence.services import OPEN_STATES
from aftersales.organisation.access import AnyUser, employees_managed_by, is_company_wide


def proposals_visible_to(user: AnyUser) -> QuerySet[Proposal]:
    proposals = Proposal.objects.select_related(
        "appraisal__period__department", "appraisal__employee", "decided_by"
    )
    if is_company_wide(user):
        return proposals
    return proposals.filter(appraisal__employee__in=employee_scope(user))


def get_proposal_for_user(user: AnyUser, pk: int) -> Proposal:
    """The proposal if ``user`` may see it, else 404 (R-1.1)."""
    try:
        return proposals_visible_to(user).get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404 from None


def awaiting_decision(user: AnyUser) -> QuerySet[Proposal]:
    """Open proposals on the not-yet-scored forms of the user's own employees (待我决定)."""
    me = acting_employee(user)
    if me is None:
        return Proposal.objects.none()
    return proposals_visible_to(user).filter(
        status=Status.PROPOSED,
        appraisal__employee__supervisor=me,
        appraisal__is_current=True,
        appraisal__state__in=OPEN_STATES,
    )


def is_decidable(user: AnyUser, proposal: Proposal) -> bool:
    """Whether ``user`` may accept or reject ``proposal`` now (no query: the rows are preloaded)."""
    appraisal = proposal.appraisal
    return (
        proposal.is_open
        and appraisal.is_current
        and appraisal.state in OPEN_STATES
        and is_supervisor_of(user, appraisal.employee)
    )


def with_decidable(proposals: Any, user: AnyUser) -> list[Proposal]:
    """The rows, each marked ``decidable`` for this user."""
    rows = list(proposals)
    for proposal in rows:
        proposal.decidable = is_decidable(user, proposal)
    return rows


# ---------------------------------------------------------------------------------------------
# Running the proposals of a month


def may_propose(user: AnyUser) -> bool:
    """HR and direct supervisors run the proposals (services.evidence_propose)."""
    return is_hr(user) or employees_managed_by(user).exists()


def periods_to_propose(user: AnyUser) -> QuerySet[Period]:
    """Open periods the user sees, newest first (empty for those who may not propose)."""
    if not may_propose(user):
        return Period.objects.none()
    return periods_visible_to(user).filter(status=Period.Status.OPEN)


def get_period_to_propose(user: AnyUser, pk: Any) -> Period:
    if not str(pk).isdigit():
        raise Http404
    try:
        return periods_visible_to(user).filter(status=Period.Status.OPEN).get(pk=int(pk))
    except Period.DoesNotExist:
        raise Http404 from None


# ---------------------------------------------------------------------------------------------
# The panel on the appraisal form


@dataclass(frozen=True)
class PanelRow:
    """A proposal on the form: whether the form still holds it (after acceptance the supervisor
    may have changed the entry) and whether this user may decide it."""

    proposal: Proposal
    in_form: bool
    decidable: bool


@dataclass(frozen=True)
class Panel:
    rows: list[PanelRow]
    can_propose: bool

    @property
    def open_count(self) -> int:
        return sum(1 for row in self.rows if row.proposal.is_open)


def panel_for(appraisal: Appraisal, user: AnyUser) -> Panel:
    """The proposals of the form in the order of its sections (one query); the caller has
    checked that ``user`` sees the form."""
    template = appraisal_template(appraisal)
    order = {section.code: index for index, section in enumerate(template.sections)}
    proposals = sorted(
        Proposal.objects.filter(appraisal=appraisal).select_related("decided_by"),
        key=lambda p: (order.get(p.section, len(order)), p.source, p.created_at),
    )
    rows = []
    for proposal in proposals:
        proposal.appraisal = appraisal  # the form the page has loaded: no query per row
        section = template.section(proposal.section)
        in_form = section is not None and holds(appraisal.entries, section, entry_of(section, proposal.value))
        rows.append(PanelRow(proposal, in_form, is_decidable(user, proposal)))
    can_propose = (
        appraisal.is_current
        and appraisal.state in OPEN_STATES
        and (is_hr(user) or is_supervisor_of(user, appraisal.employee))
    )
    return Panel(rows, can_propose)
