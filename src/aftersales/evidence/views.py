"""Pages of evidence-linked appraisal (SPEC §11): parse, call one action or selector, render.

A refused role is a 403 (PermissionDenied from the action); a proposal or period outside the
user's scope a 404 (R-1.1); a step that is not possible now comes back as a message.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftersales.evidence import selectors, services
from aftersales.evidence.models import Proposal, Status
from aftersales.ui.exporting import Column, wants_xlsx, xlsx_response
from aftersales.ui.htmx import prompt_answer

PAGE_SIZE = 50
PROPOSAL_COLUMNS: list[Column] = [
    (gettext_lazy("周期"), lambda p: p.appraisal.period.label),
    (gettext_lazy("工号"), lambda p: p.appraisal.employee.number),
    (gettext_lazy("员工"), lambda p: p.appraisal.employee.name),
    (gettext_lazy("考核项目"), lambda p: p.section_name),
    (gettext_lazy("依据类型"), lambda p: p.get_source_display()),
    (gettext_lazy("建议条目"), lambda p: p.item_text),
    (gettext_lazy("扣分"), lambda p: p.deduction),
    (gettext_lazy("实测值"), lambda p: p.measured),
    (gettext_lazy("依据记录"), lambda p: len(p.evidence)),
    (gettext_lazy("状态"), lambda p: p.get_status_display()),
    (gettext_lazy("驳回理由"), lambda p: p.reason),
]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Proposals waiting for my decision (待我决定), or every proposal I may see (``?show=all``, by
    ``status``)."""
    show_all = request.GET.get("show") == "all"
    user = request.user
    proposals = selectors.proposals_visible_to(user) if show_all else selectors.awaiting_decision(user)
    status = request.GET.get("status", "") if show_all else ""
    if status in Status.values:
        proposals = proposals.filter(status=status)
    if wants_xlsx(request):
        return xlsx_response(name="evidence", columns=PROPOSAL_COLUMNS, rows=proposals)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "proposals": selectors.with_decidable(page.object_list, user),
        "show_all": show_all,
        "status": status,
        "statuses": Status.choices,
        "periods": selectors.periods_to_propose(user),
    }
    return render(request, "evidence/index.html", context)


@login_required
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    """Run the proposals of a month for the forms in my charge (HR: all of the period)."""
    period = selectors.get_period_to_propose(request.user, request.POST.get("period", ""))
    result = services.evidence_propose(period=period, actor=request.user)
    messages.success(
        request,
        _("已根据记录生成建议：新增%(created)s条，更新%(refreshed)s条，撤回%(withdrawn)s条。")
        % {"created": result.created, "refreshed": result.refreshed, "withdrawn": result.withdrawn},
    )
    return redirect(_next(request) or "evidence:index")


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    score = request.POST.get("score")
    return _decide(
        request,
        pk,
        lambda proposal: services.proposal_accept(proposal=proposal, actor=request.user, score=score),
        _("已采纳，考核表已填入该项。"),
    )


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    reason = prompt_answer(request, "reason")
    return _decide(
        request,
        pk,
        lambda proposal: services.proposal_reject(proposal=proposal, actor=request.user, reason=reason),
        _("已驳回。"),
    )


def _decide(request: HttpRequest, pk: int, act: Callable[[Proposal], Proposal], done: str) -> HttpResponse:
    """Accept or reject; an htmx button gets its row back, a plain form a redirect."""
    proposal = selectors.get_proposal_for_user(request.user, pk)
    error = ""
    try:
        act(proposal)
    except services.EvidenceError as exc:
        error = exc.message
    if request.htmx:  # type: ignore[attr-defined]
        row = selectors.with_decidable([selectors.get_proposal_for_user(request.user, pk)], request.user)[0]
        return render(request, "evidence/_row.html", {"proposal": row, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(_next(request) or "evidence:index")


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""
