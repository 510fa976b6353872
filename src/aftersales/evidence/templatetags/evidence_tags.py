"""The evidence panel on the appraisal form, and how a proposal and its records read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aftersales.appraisal.models import Appraisal
from aftersales.evidence import selectors
from aftersales.evidence.models import Proposal, Source
from aftersales.evidence.selectors import Panel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # the stubs' str | lazy str (a dev dependency)


register = template.Library()

# evidence kind → (page, whether the page takes the record's id)
_PAGES = {
    "complaint": ("service:complaint-detail", True),
    "incident": ("service:incident-detail", True),
    "phone_off": ("service:phoneoff-list", False),
    "quality_report": ("service:quality-detail", True),
    "requisition": ("parts:requisition-detail", True),
    "repair_job": ("repair:job-detail", True),
    "service_report": ("service:report-detail", True),
    "order": ("service:order-detail", True),
    "call": ("service:call-detail", True),
}
# evidence kind → the list of its field record (record_kinds.KINDS); a missing or too few records
# (``…_missing``, ``…_summary``, id 0) link to the list too
_RECORD_PAGES = {
    "attendance": "attendance",
    "routine_report": "routine-reports",
    "routine_report_missing": "routine-reports",
    "customer_visit": "customer-visits",
    "customer_visit_summary": "customer-visits",
    "market_info": "market-info",
    "market_info_summary": "market-info",
    "paid_service": "paid-services",
    "escalation": "escalations",
    "expense_claim": "expense-claims",
}
_UNITS: dict[str, StrOrPromise] = {
    Source.COMPLAINT: _("起"),
    Source.INCIDENT: _("起"),
    Source.PHONE_OFF: _("次"),
    Source.PARTS_UNSETTLED: _("项"),
    Source.OLD_PART_MISSING: _("项"),
    Source.SEVEN_DAY: "%",
    Source.SECOND_REPAIR: "%",
    Source.COMPLAINT_RESPONSE: _("天(平均)"),
    Source.QUALITY_RESPONSE: _("天(平均)"),
    Source.LEFT_POST: _("次"),
    Source.LATENESS: _("次"),
    Source.SUPPORT_NEEDED: _("次"),
    Source.WRITTEN_COMPLAINT: _("起"),
    Source.ROUTINE_REPORTS: _("份"),
    Source.MARKET_INFO: _("条(不足)"),
    Source.PAID_SERVICE: _("项"),
    Source.EXPENSE_CLAIM: _("项"),
    Source.ESCALATION_LATE: _("次"),
    Source.REGION_COMPLAINTS: _("起"),
    Source.CUSTOMER_VISITS: _("次(不足)"),
    Source.REGION_SUMMARY: _("份"),
    Source.REGION_UNREPORTED: _("项"),
    Source.FILING_LAG: _("天(平均)"),
}


@register.simple_tag
def evidence_panel(appraisal: Appraisal, user: Any) -> Panel:
    return selectors.panel_for(appraisal, user)


@register.simple_tag
def field_evidence(appraisal: Appraisal) -> list[Any]:
    """The appraised employee's field evidence of the form's month (signatures, photos, check-ins, the
    customers' own answers); shown to whoever sees the form, the appeal included."""
    from aftersales.service.selectors import field_evidence_for

    period = appraisal.period
    return field_evidence_for(appraisal.employee_id, period.year, period.month)


@register.filter
def evidence_url(record: dict[str, Any]) -> str:
    """The page of an evidence record (the page itself checks who may open it)."""
    kind = str(record.get("kind"))
    if kind in _RECORD_PAGES:
        return reverse("service:record-list", kwargs={"kind": _RECORD_PAGES[kind]})
    page = _PAGES.get(kind)
    if page is None:
        return ""
    name, with_id = page
    return reverse(name, kwargs={"pk": record["id"]}) if with_id else reverse(name)


@register.filter
def measured_text(proposal: Proposal) -> str:
    """The figure behind a proposal with its unit: "91.67%", "3次", "0.83天(平均)"."""
    return f"{proposal.measured}{_UNITS.get(proposal.source, '')}"
