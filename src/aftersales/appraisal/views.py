"""Pages of the monthly appraisal cycle: parse, call one action or selector, render.

A refused role is a 403 (PermissionDenied from the action); an appraisal outside the user's scope a
404 (R-1.1); a step that is not possible now comes back as a message on the appraisal's page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import zip_longest
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftersales.appraisal import notifications, selectors, services
from aftersales.appraisal.entries import entries_from_post, section_scores, section_views
from aftersales.appraisal.forms import PeriodOpenForm
from aftersales.appraisal.models import Appeal, Appraisal, Period, State
from aftersales.appraisal.outcome import result_of, results_for
from aftersales.appraisal.permissions import (
    PENDING_ACTION,
    available_actions,
    is_employee_of,
    is_hr,
    is_supervisor_of,
    passes_on,
)
from aftersales.appraisal.presentation import error_text, grade_label, snapshot_rows, work_table
from aftersales.appraisal.printed import printed_form
from aftersales.appraisal.scoring import (
    ScoreError,
    agreement_goals,
    appraisal_template,
    score_entries,
    template_work_columns,
)
from aftersales.core.forms import FormScore
from aftersales.core.grading import absolute_grade
from aftersales.printing import render_appraisal_pdf
from aftersales.punctuation import colon
from aftersales.ui.exporting import Column, wants_xlsx, xlsx_response

PAGE_SIZE = 50
APPRAISAL_COLUMNS: list[Column] = [
    (gettext_lazy("工号"), lambda a: a.employee.number),
    (gettext_lazy("员工"), lambda a: a.employee.name),
    (gettext_lazy("部门"), lambda a: a.employee.department.name),
    (gettext_lazy("周期"), lambda a: a.period.label),
    (gettext_lazy("考核类别"), lambda a: a.employee.get_category_display()),
    (gettext_lazy("版本"), lambda a: a.version),
    (gettext_lazy("状态"), lambda a: a.get_state_display()),
    (gettext_lazy("得分"), lambda a: a.result.final_score),
    (gettext_lazy("等级"), lambda a: a.result.grade),
]


# ---------------------------------------------------------------------------------------------
# Lists


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The appraisals the user may see (current versions), filtered by period, state, overdue."""
    appraisals = selectors.appraisals_visible_to(request.user).filter(is_current=True)
    get = request.GET
    period, state = get.get("period", ""), get.get("state", "")
    department, overdue = get.get("department", ""), get.get("overdue") == "1"
    # without any filter the list shows the latest month, not every month there ever was (issue 11)
    unfiltered = not (period or state or department or overdue)
    choice = selectors.month_choice(
        request.user, get.get("year", ""), get.get("month", ""), default_latest=unfiltered
    )
    if period.isdigit():
        appraisals = appraisals.filter(period_id=int(period))
    # by the periods' ids (a small query on the period table), so the appraisals are read through
    # their period index, not by scanning every month's forms
    periods = Period.objects.all()
    if choice.year is not None:
        periods = periods.filter(year=choice.year)
    if choice.month is not None:
        periods = periods.filter(month=choice.month)
    if department.isdigit():
        periods = periods.filter(department_id=int(department))
    if choice.year is not None or choice.month is not None or department.isdigit():
        appraisals = appraisals.filter(period_id__in=list(periods.values_list("pk", flat=True)))
    if choice.year is not None and choice.month is not None:
        # one month: the same order as the model's, said without the period's (constant) year and
        # month, so the database walks the employee-number index and stops at the page's rows
        # instead of sorting the month's every form (20,000 people: 140 ms → 2 ms, PostgreSQL)
        appraisals = appraisals.order_by("employee__number", "-version", "pk")
    if state in State.values:
        appraisals = appraisals.filter(state=state)
    if overdue:
        appraisals = appraisals.filter(selectors.overdue_filter(selectors.today_local()))
    if wants_xlsx(request):
        return xlsx_response(name="appraisals", columns=APPRAISAL_COLUMNS, rows=_with_results(appraisals))
    page = Paginator(appraisals, PAGE_SIZE).get_page(get.get("page"))
    page.object_list = _with_results(page.object_list)
    context = {
        "page_obj": page,
        "choice": choice,
        "months": range(1, 13),
        "departments": selectors.departments_of_periods(request.user),
        "states": State.choices,
        "filters": {"period": period, "state": state, "overdue": overdue, "department": department},
        "query": _query_without_page(request),
    }
    return render(request, "appraisal/index.html", context)


def _query_without_page(request: HttpRequest) -> str:
    """The list's filters as a query string, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _with_results(appraisals: Any) -> list[Appraisal]:
    """The appraisals, each with ``result``: its month's one final score and grade (R-3.1)."""
    rows = list(appraisals)
    results = results_for(rows)
    for appraisal in rows:
        appraisal.result = results[appraisal.pk]
    return rows


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    counts = {
        "total": Count("appraisals", filter=Q(appraisals__is_current=True)),
        "archived": Count(
            "appraisals", filter=Q(appraisals__is_current=True, appraisals__state=State.ARCHIVED)
        ),
        "appealed": Count(
            "appraisals", filter=Q(appraisals__is_current=True, appraisals__state=State.APPEALED)
        ),
    }
    # one year at a time (the latest by default), a page at a time, counted for that page only:
    # the page does not grow with the years of history (issue 11)
    choice = selectors.month_choice(request.user, request.GET.get("year", ""), "", default_latest=False)
    year = choice.year if choice.year is not None else (choice.years[0] if choice.years else None)
    periods = (
        selectors.periods_visible_to(request.user)
        .filter(year=year)  # type: ignore[misc]  # None: no periods
        .order_by("-year", "-month", "department__code")
    )
    page = Paginator(periods, PAGE_SIZE).get_page(request.GET.get("page"))
    tallies = {
        row["pk"]: row
        for row in Period.objects.filter(pk__in=[p.pk for p in page.object_list])  # type: ignore[misc]
        .annotate(**counts)
        .values("pk", "total", "archived", "appealed")
    }
    for period in page.object_list:
        tally = tallies.get(period.pk, {})
        period.total, period.archived, period.appealed = (
            tally.get("total", 0),
            tally.get("archived", 0),
            tally.get("appealed", 0),
        )
    return render(
        request,
        "appraisal/period_list.html",
        {
            "page_obj": page,
            "periods": page.object_list,
            "year": year,
            "years": choice.years,
            "query": _query_without_page(request),
            "can_open": is_hr(request.user),
        },
    )


@login_required
def period_open(request: HttpRequest) -> HttpResponse:
    """HR opens a month for a department (SPEC §4)."""
    if not is_hr(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    form = PeriodOpenForm(request.POST or None, initial={"year": today.year, "month": today.month})
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_open(actor=request.user, **form.cleaned_data)
        except services.ActionError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, _("考核周期已开启：%(period)s") % {"period": period})
            return redirect(f"{reverse('appraisal:index')}?period={period.pk}")
    return render(request, "appraisal/period_open.html", {"form": form})


# ---------------------------------------------------------------------------------------------
# One appraisal


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = selectors.get_appraisal_for_user(request.user, pk)
    services.appraisal_mark_seen(appraisal=appraisal, actor=request.user)
    return render(request, "appraisal/detail.html", _detail_context(request, appraisal))


def _detail_context(
    request: HttpRequest,
    appraisal: Appraisal,
    *,
    entries: dict[str, Any] | None = None,
    result: FormScore | None = None,
    error: str = "",
) -> dict[str, Any]:
    template = appraisal_template(appraisal)
    goals = agreement_goals(appraisal)
    actions = available_actions(request.user, appraisal)
    shown = appraisal.entries if entries is None else entries
    scores = section_scores(result, appraisal.section_scores)
    pending_appeal = appraisal.appeals.filter(status=Appeal.Status.FILED).first()
    return {
        "appraisal": appraisal,
        "template": template,
        "sections": section_views(template, shown, scores, goals, appraisal.self_report),
        "work": work_table(template_work_columns(template), appraisal.self_report),
        "goals": goals,
        "actions": actions,
        "editing": "score" in actions or ("decide_appeal" in actions and pending_appeal is not None),
        "totals": _totals(appraisal, result, error),
        "pending_appeal": pending_appeal,
        "appeals": selectors.appeals_of(appraisal),
        "versions": _with_results(selectors.versions_of(appraisal)),
        "agreement": selectors.agreement_of(appraisal),
        "deadline": selectors.deadline_of(appraisal),
        "waiting_on": notifications.responsible_users(appraisal) if appraisal.is_current else [],
        "passed_on": _passed_on(request.user, appraisal),
        "month_running": "score" in actions and timezone.now() < appraisal.period.as_month.end,
        "confirm_days": services.confirm_days(),
        "appeal_days": services.appeal_days(),
    }


def _passed_on(user: Any, appraisal: Appraisal) -> bool:
    """Whether the pending step passed on because the appraised person is its only holder (R-4.1)."""
    action = PENDING_ACTION.get(appraisal.state)
    return action is not None and appraisal.is_current and passes_on(user, appraisal, action)


def _totals(appraisal: Appraisal, result: FormScore | None, error: str = "") -> dict[str, Any]:
    """The month's one final score and grade (R-3.1); while scoring, the same rule applied to the
    entries typed so far (``result``, scored with the live discipline points)."""
    month = result_of(appraisal)
    if result is not None and not month.closed:
        grade = absolute_grade(result.final).value
        month = replace(
            month,
            form_total=result.form_total,
            final_score=result.final,
            grade="" if month.pending else grade,
            reference_grade=grade if month.pending else "",
        )
    return {
        "form_total": month.form_total,
        "discipline_points": month.discipline_points,
        "final": month.final_score,
        "grade": month.grade,
        "grade_label": grade_label(month.grade),
        "month": month,
        "reference_label": grade_label(month.reference_grade),
        "error": error,
    }


@login_required
@require_POST
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The running total and grade of the form as filled in so far (htmx), nothing saved."""
    appraisal = selectors.get_appraisal_for_user(request.user, pk)
    entries, _checks = entries_from_post(appraisal_template(appraisal), request.POST)
    result, error = None, ""
    appraisal.discipline_points = result_of(appraisal).discipline_points  # live; not saved
    try:
        _normalised, result = score_entries(appraisal, entries, agreement_goals(appraisal))
    except ScoreError as exc:
        error = error_text(appraisal_template(appraisal), exc.field, exc.message)
    context = {"totals": _totals(appraisal, result, error), "appraisal": appraisal, "oob": True}
    context["scores"] = section_scores(result, []) if result else {}
    return render(request, "appraisal/_totals.html", context)


@login_required
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole paper form (forms 4.1–4.5) as a PDF: what the page shows, with signature lines."""
    appraisal = selectors.get_appraisal_for_user(request.user, pk)
    document = render_appraisal_pdf(**printed_form(appraisal))
    response = HttpResponse(document, content_type="application/pdf")
    number, period = appraisal.employee.number, appraisal.period
    filename = f"appraisal-{number}-{period.year}{period.month:02d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every transition of every version, with who, when and the form at that moment (R-4.1)."""
    appraisal = selectors.get_appraisal_for_user(request.user, pk)
    template = appraisal_template(appraisal)
    steps = [(step, snapshot_rows(template, step.snapshot)) for step in selectors.history_of(appraisal)]
    context = {"appraisal": appraisal, "steps": steps, "template": template}
    return render(request, "appraisal/history.html", context)


def _act(request: HttpRequest, pk: int, run: Callable[[Appraisal], Any], done: str) -> HttpResponse:
    """Run one action on the appraisal; a refused role is a 403, a refused step the page again (400)
    with what was typed in the step's form and the field at fault marked."""
    appraisal = selectors.get_appraisal_for_user(request.user, pk)
    try:
        outcome = run(appraisal)
    except services.ActionError as exc:
        return _refused_page(request, appraisal, exc)
    messages.success(request, done)
    target = outcome if isinstance(outcome, Appraisal) else appraisal
    return redirect("appraisal:detail", pk=target.pk)


def _refused_page(request: HttpRequest, appraisal: Appraisal, exc: services.ActionError) -> HttpResponse:
    """The appraisal page after a refused step: the posted values (``typed``) fill its form again; the
    goals' self-descriptions are put back on the goals they were typed for."""
    template = appraisal_template(appraisal)
    error = error_text(template, exc.field, exc.message)
    post = request.POST
    entries = entries_from_post(template, post)[0] if "minutes" in post else None  # an appeal's corrections
    context = _detail_context(request, appraisal, entries=entries)
    typed_goals = zip(post.getlist("goal-completion"), post.getlist("goal-self"), strict=False)
    for goal, (completion, text) in zip(context["goals"], typed_goals, strict=False):
        goal.completion, goal.self_description = completion, text
    context |= {"typed": post, "error_field": exc.field.split(".")[0], "action_error": error}
    return render(request, "appraisal/detail.html", context, status=400)


@login_required
@require_POST
def self_report(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST

    def run(appraisal: Appraisal) -> Any:
        template = appraisal_template(appraisal)
        goals = [
            {"completion": completion, "self_description": text}
            for completion, text in zip(
                post.getlist("goal-completion"), post.getlist("goal-self"), strict=False
            )
        ]
        sections = {s.code: post.get(f"self-{s.code}", "") for s in template.sections}
        return services.appraisal_self_report(
            appraisal=appraisal,
            actor=request.user,
            summary=post.get("summary", ""),
            sections=sections,
            goals=goals,
            work=_posted_work_rows(template_work_columns(template), post),
        )

    return _act(request, pk, run, _("自评已提交，等待直接主管评分。"))


def _posted_work_rows(columns: tuple[str, ...], post: Any) -> list[dict[str, str]]:
    """The 工作情况 rows of the self-report form: one ``work-<column>`` input per row and column."""
    values = [post.getlist(f"work-{column}") for column in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip_longest(*values, fillvalue="")]


@login_required
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    """The supervisor's scores; an invalid form comes back with what was entered and the error."""
    appraisal = selectors.get_appraisal_for_user(request.user, pk)
    template = appraisal_template(appraisal)
    entries, checks = entries_from_post(template, request.POST)
    try:
        services.appraisal_score(
            appraisal=appraisal,
            actor=request.user,
            entries=entries,
            goal_checks=checks,
            comment=request.POST.get("comment", ""),
        )
    except services.ActionError as exc:
        error = error_text(template, exc.field, exc.message)
        context = _detail_context(request, appraisal, entries=entries, error=error)
        context |= {"typed": request.POST, "error_field": exc.field.split(".")[0]}
        return render(request, "appraisal/detail.html", context, status=400)
    messages.success(request, _("评分已提交，等待部门负责人审核。"))
    return redirect("appraisal:detail", pk=appraisal.pk)


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _act(
        request,
        pk,
        lambda a: services.appraisal_review(appraisal=a, actor=request.user, comment=comment),
        _("已审核，结果已发给员工确认。"),
    )


@login_required
@require_POST
def return_to_supervisor(request: HttpRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _act(
        request,
        pk,
        lambda a: services.appraisal_return(appraisal=a, actor=request.user, comment=comment),
        _("已退回直接主管重新评分。"),
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda a: services.appraisal_confirm(appraisal=a, actor=request.user),
        _("已确认考核结果。"),
    )


@login_required
@require_POST
def confirm_by_email(request: HttpRequest, pk: int) -> HttpResponse:
    message = request.POST.get("message", "")
    return _act(
        request,
        pk,
        lambda a: services.appraisal_confirm_by_email(appraisal=a, actor=request.user, message=message),
        _("已记录邮件确认。"),
    )


@login_required
@require_POST
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _act(
        request,
        pk,
        lambda a: services.appeal_file(
            appraisal=a,
            actor=request.user,
            items=post.getlist("items"),
            reasons=post.get("reasons", ""),
            evidence=post.get("evidence", ""),
        ),
        _("申诉已提交，人力资源部将组织协调。"),
    )


@login_required
@require_POST
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, lambda a: services.appraisal_archive(appraisal=a, actor=request.user), _("已归档。")
    )


@login_required
@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """HR's outcome; upheld takes the corrected form posted with it and shows the new version."""
    appeal_row = selectors.get_appeal_for_user(request.user, pk)
    upheld = request.POST.get("decision") == "upheld"

    def run(appraisal: Appraisal) -> Any:
        entries, checks = entries_from_post(appraisal_template(appraisal), request.POST)
        decided = services.appeal_decide(
            appeal=appeal_row,
            actor=request.user,
            upheld=upheld,
            minutes=request.POST.get("minutes", ""),
            entries=entries if upheld else None,
            goal_checks=checks,
        )
        return decided.resulting_version or appraisal

    done = _("申诉成立，已生成更正后的新版本。") if upheld else _("申诉已驳回。")
    return _act(request, appeal_row.appraisal_id, run, done)


# ---------------------------------------------------------------------------------------------
# Performance agreements


@login_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_page(request, selectors.get_agreement_for_user(request.user, pk))


def _agreement_page(
    request: HttpRequest, row: Any, typed: list[dict[str, Any]] | None = None, error: Any = None
) -> HttpResponse:
    """The agreement; after a refused save, the goals as typed (``typed``) with the error at its field."""
    party = is_employee_of(request.user, row.employee) or is_supervisor_of(request.user, row.employee)
    appraisal = row.employee.appraisals.filter(period=row.period, is_current=True).first()
    goals = list(row.goals.all())
    shown: list[Any] = typed if typed is not None else goals
    context = {
        "agreement": row,
        "goals": goals,
        "rows": shown + [None] * (services.MAX_GOALS - len(shown)),
        "typed": typed is not None,
        "party": party,
        "editable": party and not row.is_signed and appraisal is not None and appraisal.state == State.DRAFT,
        "appraisal": appraisal,
        "error": error,
    }
    return render(request, "appraisal/agreement.html", context, status=400 if error else 200)


def _agreement_act(request: HttpRequest, pk: int, run: Callable[[Any], Any], done: str) -> HttpResponse:
    row = selectors.get_agreement_for_user(request.user, pk)
    try:
        run(row)
    except services.ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("appraisal:agreement", pk=row.pk)


@login_required
@require_POST
def agreement_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the goals; a refusal shows the page again with every goal as typed and the field at fault."""
    row = selectors.get_agreement_for_user(request.user, pk)
    post = request.POST
    columns = zip_longest(
        post.getlist("title"),
        post.getlist("weight"),
        post.getlist("deadline_requirement"),
        post.getlist("quality_requirement"),
        fillvalue="",
    )
    goals = [
        {"title": title, "weight": weight, "deadline_requirement": deadline, "quality_requirement": quality}
        for title, weight, deadline, quality in columns
        if title.strip() or weight.strip()
    ]
    try:
        services.agreement_save(agreement=row, actor=request.user, goals=goals)
    except services.ActionError as exc:
        return _agreement_page(request, row, typed=goals, error=GoalError.of(exc))
    messages.success(request, _("绩效协议已保存，请双方签字。"))
    return redirect("appraisal:agreement", pk=row.pk)


@dataclass(frozen=True)
class GoalError:
    """A refused save of the goals: the message, led by the goal and column it names."""

    text: str
    row: int | None = None  # index of the goal at fault
    column: str = ""  # title / weight

    @classmethod
    def of(cls, exc: services.ActionError) -> GoalError:
        found = re.fullmatch(r"goals\[(\d+)\]\.(\w+)", exc.field)
        if not found:
            return cls(exc.message)
        row, column = int(found.group(1)), found.group(2)
        label = {"title": _("工作目标"), "weight": _("权重")}.get(column, column)
        where = _("目标%(number)s的%(column)s") % {"number": row + 1, "column": label}
        return cls(f"{where}{colon()}{exc.message}", row, column)


@login_required
@require_POST
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_act(
        request,
        pk,
        lambda row: services.agreement_sign(agreement=row, actor=request.user),
        _("已签字。"),
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_read(user=request.user)
    return redirect("web:home")
