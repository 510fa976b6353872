"""Actions of the monthly appraisal cycle (SPEC §4). Each checks the acting role first (R-4.1),
then the state, changes it inside one transaction and records the transition with a snapshot.

Errors: ``PermissionDenied`` when the actor does not hold the step's role; ``ActionError`` when the
role is right but the step is not possible (wrong state, invalid input, a deadline passed).

Public functions for other areas:
- ``appraisal_set_interview_missing(*, appraisal, missing)`` — the interview audit (R-4.4) holds or
  releases an appraisal for pay; allowed on archived appraisals too.
- ``appraisals_auto_confirm(*, now=None)`` — R-4.2, also run by ``aftersales appraisal_remind``.
- ``appraisal_set_discipline_points(*, appraisal, points)`` — the discipline area's month points.
- ``appraisal_set_entries(*, appraisal, entries, actor)`` — the evidence area writes accepted
  entries (SPEC §11); the caller decides which forms are still open to proposals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.appraisal import notifications
from aftersales.appraisal.models import Agreement, Appeal, Appraisal, Channel, Goal, Period, State, Transition
from aftersales.appraisal.outcome import result_of
from aftersales.appraisal.permissions import (
    EMPLOYEE,
    STEPS,
    holds_role,
    is_employee_of,
    is_hr,
    is_supervisor_of,
    may_act,
    stand_in_reason,
)
from aftersales.appraisal.scoring import (
    ScoreError,
    agreement_goals,
    appraisal_template,
    goals_section,
    json_ready,
    score_entries,
    snapshot_of,
    template_work_columns,
)
from aftersales.core.errors import ActionError
from aftersales.core.forms import MAX_GOALS, Template
from aftersales.core.grading import absolute_grade
from aftersales.core.periods import Month
from aftersales.formdefs.selectors import template_in_force
from aftersales.formdefs.services import templates_locked
from aftersales.organisation.access import AnyUser, department_subtree_ids
from aftersales.organisation.models import Department, Employee


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def confirm_days() -> int:
    """R-4.2: days after seeing the reviewed result before it is confirmed automatically."""
    return _setting("APPRAISAL_CONFIRM_DAYS", 3)


def appeal_days() -> int:
    """R-4.3: days after seeing the result within which an appeal may be filed."""
    return _setting("APPRAISAL_APPEAL_DAYS", 5)


# ---------------------------------------------------------------------------------------------
# Common steps


def _check(actor: Any, appraisal: Appraisal, action: str) -> str:
    """Inside the action's transaction: lock the form's row and read it again (a step checked on a
    stale copy could race another: confirm against appeal or the daily auto-confirm, archive against
    appeal), then the role with separation of duties (403), then the state (R-4.1).

    Returns why the actor takes the step on another's behalf (R-4.1 hand-over), or ""."""
    _lock(appraisal)
    step = STEPS[action]
    if not may_act(actor, appraisal, action):
        if is_employee_of(actor, appraisal.employee):
            raise PermissionDenied(f"nobody may {action} their own appraisal (R-4.1)")
        raise PermissionDenied(f"only the {step.role} may {action} this appraisal")
    if not appraisal.is_current:
        raise ActionError(_("这是已被更正的旧版本，不能再操作。"))
    if appraisal.state not in step.states:
        raise ActionError(
            _("当前状态为“%(state)s”，不能执行此操作。") % {"state": appraisal.get_state_display()}
        )
    if step.role == EMPLOYEE or holds_role(actor, step.role, appraisal.employee):
        return ""
    return stand_in_reason(actor, appraisal, action)


def _lock(appraisal: Appraisal) -> None:
    """Lock the form's row for the rest of the transaction and read its fields again."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("an appraisal step runs inside transaction.atomic()")
    Appraisal.objects.select_for_update().filter(pk=appraisal.pk).values_list("pk").get()
    appraisal.refresh_from_db()


def _move(
    appraisal: Appraisal, to_state: str, actor: Any, comment: str = "", on_behalf: str = ""
) -> Transition:
    """Set the state, save, and record the transition with the form as it now is (R-4.1)."""
    from_state = appraisal.state
    appraisal.state = to_state
    appraisal.save()
    transition = Transition.objects.create(
        appraisal=appraisal,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        comment=comment,
        on_behalf=on_behalf,
        snapshot=snapshot_of(appraisal),
    )
    notifications.queue_next_step(appraisal)
    return transition


def _required_text(value: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ActionError(_("必须填写。"), field)
    return text


# ---------------------------------------------------------------------------------------------
# Periods


def _appraised_employees(department: Department, month: Month) -> Iterable[Employee]:
    """Active employees of the department and its units who have a direct supervisor to score them."""
    first, last = month.start.date(), month.end.date() - timedelta(days=1)
    return (
        Employee.objects.filter(
            department_id__in=department_subtree_ids([department.pk]), supervisor__isnull=False
        )
        .filter(active_from__lte=last)
        .exclude(active_to__lt=first)
        .order_by("number")
    )


def period_open(
    *,
    actor: Any,
    department: Department,
    year: int,
    month: int,
    agreement_day: int = 10,
    review_day: int = 10,
    archive_day: int = 20,
) -> Period:
    """HR opens month ``year-month`` for a department: one draft appraisal per appraised employee,
    pinned to the version of their category's form in force that month, and an empty performance
    agreement (default goal slots) for those whose form has a goals section."""
    if not is_hr(actor):
        raise PermissionDenied("only HR opens appraisal periods")
    if department.parent_id is not None:
        raise ActionError(_("请选择部门(而非下属单位)。"), "department")
    for field, day in (
        ("agreement_day", agreement_day),
        ("review_day", review_day),
        ("archive_day", archive_day),
    ):
        if not 1 <= day <= 28:
            raise ActionError(_("日期必须在1到28之间。"), field)
    if not 1 <= month <= 12:
        raise ActionError(_("月份必须在1到12之间。"), "month")
    if Period.objects.filter(department=department, year=year, month=month).exists():
        raise ActionError(_("该部门本月的考核周期已开启。"), "month")
    with transaction.atomic():
        templates_locked()  # the versions in force stay put while the month opens on them
        period = Period.objects.create(
            department=department,
            year=year,
            month=month,
            agreement_day=agreement_day,
            review_day=review_day,
            archive_day=archive_day,
            opened_by=actor,
        )
        for employee in _appraised_employees(department, Month(year, month)):
            _open_appraisal(period, employee, actor)
    return period


def _open_appraisal(period: Period, employee: Employee, actor: Any) -> None:
    template = template_in_force(code=employee.category, month=period.as_month)
    if template is None:
        raise ActionError(_("没有“%(code)s”的考核表模板。") % {"code": employee.category})
    appraisal = Appraisal.objects.create(
        period=period, employee=employee, template_code=template.code, template_version=template.version
    )
    Transition.objects.create(
        appraisal=appraisal, to_state=State.DRAFT, actor=actor, snapshot=snapshot_of(appraisal)
    )
    section = goals_section(template)
    if section is not None:
        agreement = Agreement.objects.create(period=period, employee=employee)
        Goal.objects.bulk_create(
            Goal(agreement=agreement, order=index, title=_("目标%(n)s") % {"n": index + 1}, weight=weight)
            for index, weight in enumerate(section.slots)
        )


def period_close(*, period: Period, actor: Any) -> Period:
    """HR closes a period once every current appraisal of it is archived."""
    if not is_hr(actor):
        raise PermissionDenied("only HR closes appraisal periods")
    if period.appraisals.filter(is_current=True).exclude(state=State.ARCHIVED).exists():
        raise ActionError(_("还有未归档的考核表。"))
    period.status = Period.Status.CLOSED
    period.save(update_fields=["status"])
    return period


# ---------------------------------------------------------------------------------------------
# Performance agreements (绩效协议)


def _check_agreement_party(actor: Any, agreement: Agreement) -> None:
    if not (is_employee_of(actor, agreement.employee) or is_supervisor_of(actor, agreement.employee)):
        raise PermissionDenied("only the employee and their direct supervisor sign the agreement")


def _agreement_appraisal(agreement: Agreement) -> Appraisal:
    return Appraisal.objects.get(period=agreement.period, employee=agreement.employee, is_current=True)


def agreement_save(*, agreement: Agreement, actor: Any, goals: Sequence[Mapping[str, Any]]) -> Agreement:
    """Employee or supervisor writes the month's 1–5 goals; weights sum to the form's goals block.

    Saving clears both signatures (the other party signs what was changed). Signed agreements and
    those of forms already past the draft are fixed.
    """
    _check_agreement_party(actor, agreement)
    appraisal = _agreement_appraisal(agreement)
    if agreement.is_signed or appraisal.state != State.DRAFT:
        raise ActionError(_("绩效协议已签订或考核已开始，不能修改。"))
    section = goals_section(appraisal_template(appraisal))
    rows = [_goal_row(goal, f"goals[{index}]") for index, goal in enumerate(goals)]
    _check_weights([row["weight"] for row in rows], section.points if section else Decimal(0))
    with transaction.atomic():
        agreement.goals.all().delete()
        Goal.objects.bulk_create(Goal(agreement=agreement, order=i, **row) for i, row in enumerate(rows))
        agreement.employee_signed_at = agreement.supervisor_signed_at = None
        agreement.supervisor_signed_by = None
        agreement.save()
    return agreement


def _goal_row(goal: Mapping[str, Any], field: str) -> dict[str, Any]:
    try:
        weight = Decimal(str(goal.get("weight", "")).strip())
    except ArithmeticError:
        raise ActionError(_("权重必须是数字。"), f"{field}.weight") from None
    if not weight.is_finite() or weight <= 0:
        raise ActionError(_("权重必须大于0。"), f"{field}.weight")
    return {
        "title": _required_text(goal.get("title", ""), f"{field}.title"),
        "weight": weight,
        "deadline_requirement": str(goal.get("deadline_requirement", "")).strip(),
        "quality_requirement": str(goal.get("quality_requirement", "")).strip(),
    }


def _check_weights(weights: Sequence[Decimal], points: Decimal) -> None:
    if not 1 <= len(weights) <= MAX_GOALS:
        raise ActionError(_("绩效协议须有1至5个目标。"), "goals")
    if sum(weights, Decimal(0)) != points:
        raise ActionError(
            _("目标权重之和须为%(points)s分。") % {"points": f"{points:g}"},
            "goals",
        )


def agreement_sign(*, agreement: Agreement, actor: Any) -> Agreement:
    """The employee or the direct supervisor signs (绩效协议签订); both signatures fix the goals."""
    _check_agreement_party(actor, agreement)
    if _agreement_appraisal(agreement).state not in (State.DRAFT, State.SELF_REPORTED):
        raise ActionError(_("考核已开始评分，不能再签订绩效协议。"))
    if not agreement.goals.exists():
        raise ActionError(_("绩效协议还没有目标。"))
    now = timezone.now()
    if is_employee_of(actor, agreement.employee):
        agreement.employee_signed_at = now
    else:
        agreement.supervisor_signed_at, agreement.supervisor_signed_by = now, actor
    agreement.save()
    return agreement


# ---------------------------------------------------------------------------------------------
# The form: self-report, scoring, review


def appraisal_self_report(
    *,
    appraisal: Appraisal,
    actor: Any,
    summary: str = "",
    sections: Mapping[str, str] | None = None,
    goals: Sequence[Mapping[str, str]] = (),
    work: Sequence[Mapping[str, str]] = (),
) -> Appraisal:
    """员工填写工作完成情况: the 工作情况 rows of forms 4.1–4.3 (``work``: 工作地点, 工作内容, 完成情况 or
    工作持续时间, 工作内容), a summary (required when there are no rows), self-descriptions of sections
    (敬业精神) and, per agreed goal, the completion degree and self-description."""
    with transaction.atomic():
        _check(actor, appraisal, "self_report")
        template = appraisal_template(appraisal)
        texts = {code: str(text).strip() for code, text in (sections or {}).items() if str(text).strip()}
        for code in texts:
            if template.section(code) is None:
                raise ActionError(_("未知的考核项目。"), f"sections.{code}")
        rows = _work_rows(template, work)
        _save_goal_reports(appraisal, goals)
        report: dict[str, Any] = {"summary": (summary or "").strip(), "sections": texts}
        if not rows:
            report["summary"] = _required_text(summary, "summary")
        else:
            report["work"] = rows
        appraisal.self_report = report
        _move(appraisal, State.SELF_REPORTED, actor)
    return appraisal


MAX_WORK_ROWS = 10


def _work_rows(template: Template, rows: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """The filled-in 工作情况 rows (blank rows dropped), each with the form's columns."""
    columns = template_work_columns(template)
    cleaned = []
    for index, row in enumerate(rows):
        if not columns or set(row) - set(columns):
            raise ActionError(_("本考核表没有这一栏工作情况。"), f"work[{index}]")
        values = {key: str(row.get(key) or "").strip() for key in columns}
        if any(values.values()):
            cleaned.append(values)
    if len(cleaned) > MAX_WORK_ROWS:
        raise ActionError(_("工作情况最多填写%(n)d行。") % {"n": MAX_WORK_ROWS}, "work")
    return cleaned


def _save_goal_reports(appraisal: Appraisal, reports: Sequence[Mapping[str, str]]) -> None:
    goals = agreement_goals(appraisal)
    if len(reports) > len(goals):
        raise ActionError(_("目标数量与绩效协议不符。"), "goals")
    for goal, report in zip(goals, reports, strict=False):
        goal.completion = str(report.get("completion", "")).strip()
        goal.self_description = str(report.get("self_description", "")).strip()
        goal.save(update_fields=["completion", "self_description"])


def appraisal_score(
    *,
    appraisal: Appraisal,
    actor: Any,
    entries: Mapping[str, Any],
    goal_checks: Sequence[str] = (),
    comment: str = "",
) -> Appraisal:
    """直接主管评分: ``entries`` in the shape of ``aftersales calc score`` (CONTRACTS.md), scored on the
    pinned template version; the goals section takes one score per agreed goal."""
    with transaction.atomic():
        _check(actor, appraisal, "score")
        _apply_scores(appraisal, entries, goal_checks)
        appraisal.supervisor_comment = comment.strip()
        _move(appraisal, State.SCORED, actor, comment.strip())
    return appraisal


def _apply_scores(
    appraisal: Appraisal,
    entries: Mapping[str, Any],
    goal_checks: Sequence[str],
    points: Decimal | None = None,
) -> None:
    # the month's discipline points so far, also those approved before the period was opened
    appraisal.discipline_points = result_of(appraisal).discipline_points if points is None else points
    goals = agreement_goals(appraisal)
    try:
        normalised, result = score_entries(appraisal, entries, goals)
    except ScoreError as exc:
        raise ActionError(exc.message, exc.field) from None
    appraisal.entries = json_ready(normalised)
    appraisal.section_scores = json_ready(
        [
            {"code": s.code, "name": s.name, "points": s.points, "score": s.score, "applied": list(s.applied)}
            for s in result.sections
        ]
    )
    appraisal.form_total, appraisal.final_score = result.form_total, result.final
    appraisal.grade = absolute_grade(result.final).value
    _save_goal_scores(appraisal, goals, goal_checks)


def _save_goal_scores(appraisal: Appraisal, goals: list[Goal], checks: Sequence[str]) -> None:
    section = goals_section(appraisal_template(appraisal))
    if section is None or not goals:
        return
    for index, goal in enumerate(goals):
        goal.supervisor_score = Decimal(appraisal.entries[section.code][index]["score"])
        if index < len(checks):
            goal.supervisor_check = str(checks[index]).strip()
        goal.save(update_fields=["supervisor_score", "supervisor_check"])


def appraisal_review(*, appraisal: Appraisal, actor: Any, comment: str = "") -> Appraisal:
    """部门领导审核: the result goes to the employee to confirm or appeal."""
    with transaction.atomic():
        on_behalf = _check(actor, appraisal, "review")
        appraisal.reviewed_at, appraisal.seen_at = timezone.now(), None
        _move(appraisal, State.REVIEWED, actor, comment.strip(), on_behalf)
    return appraisal


def appraisal_return(*, appraisal: Appraisal, actor: Any, comment: str) -> Appraisal:
    """The head returns the form to the supervisor with a comment; the supervisor scores again."""
    text = _required_text(comment, "comment")
    with transaction.atomic():
        on_behalf = _check(actor, appraisal, "return")
        _move(appraisal, State.RETURNED, actor, text, on_behalf)
    return appraisal


# ---------------------------------------------------------------------------------------------
# Confirmation


def appraisal_mark_seen(*, appraisal: Appraisal, actor: Any) -> None:
    """The employee opened their reviewed result: the confirmation and appeal windows start."""
    if (
        appraisal.state == State.REVIEWED
        and appraisal.seen_at is None
        and is_employee_of(actor, appraisal.employee)
    ):
        appraisal.seen_at = timezone.now()
        appraisal.save(update_fields=["seen_at", "updated_at"])


def _confirm(appraisal: Appraisal, actor: Any, channel: str, evidence: str = "") -> Appraisal:
    """Inside the caller's transaction, after its check has locked the row."""
    appraisal.confirmed_at, appraisal.confirmed_channel = timezone.now(), channel
    appraisal.confirmation_evidence = evidence
    _move(appraisal, State.CONFIRMED, actor, evidence)
    return appraisal


def appraisal_confirm(*, appraisal: Appraisal, actor: Any) -> Appraisal:
    """员工确认 in the application."""
    with transaction.atomic():
        _check(actor, appraisal, "confirm")
        return _confirm(appraisal, actor, Channel.APP)


def appraisal_confirm_by_email(*, appraisal: Appraisal, actor: Any, message: str) -> Appraisal:
    """对在外的人员允许采用邮件确认: the supervisor records the employee's e-mail as evidence."""
    text = _required_text(message, "message")
    with transaction.atomic():
        _check(actor, appraisal, "confirm_by_email")
        return _confirm(appraisal, actor, Channel.EMAIL, text)


def appraisal_auto_confirm(*, appraisal: Appraisal, now: Any = None) -> bool:
    """Confirm automatically (marked ``auto``) when the employee saw the result ``confirm_days()``
    ago and neither confirmed nor appealed. Returns whether it did."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock(appraisal)  # the employee may be confirming or appealing this very moment
        due = appraisal.seen_at is not None and now - appraisal.seen_at >= timedelta(days=confirm_days())
        if not (appraisal.is_current and appraisal.state == State.REVIEWED and due):
            return False
        _confirm(
            appraisal,
            None,
            Channel.AUTO,
            _("查看结果%(days)s天后未确认也未申诉，系统自动确认。") % {"days": confirm_days()},
        )
    return True


def appraisals_auto_confirm(*, now: Any = None) -> int:
    """Run R-4.2's automatic confirmation over all appraisals; returns how many were confirmed."""
    now = now or timezone.now()
    due = Appraisal.objects.filter(
        is_current=True, state=State.REVIEWED, seen_at__lte=now - timedelta(days=confirm_days())
    ).select_related("employee", "period")
    return sum(appraisal_auto_confirm(appraisal=appraisal, now=now) for appraisal in due)


# ---------------------------------------------------------------------------------------------
# Appeals


def appeal_file(
    *, appraisal: Appraisal, actor: Any, items: Sequence[str], reasons: str, evidence: str = ""
) -> Appeal:
    """员工绩效申诉: within ``appeal_days()`` of seeing the result; one appeal per employee and month."""
    with transaction.atomic():
        _check(actor, appraisal, "appeal")
        now = timezone.now()
        if appraisal.seen_at and now - appraisal.seen_at > timedelta(days=appeal_days()):
            raise ActionError(_("已超过申诉期限(查看结果后%(days)s天)。") % {"days": appeal_days()})
        if Appeal.objects.filter(
            appraisal__period=appraisal.period, appraisal__employee=appraisal.employee
        ).exists():
            raise ActionError(_("本月考核已申诉过一次，人力资源部的处理结果为最终结果。"))
        template = appraisal_template(appraisal)
        codes = list(dict.fromkeys(items))
        if not codes:
            raise ActionError(_("请选择有异议的考核项目。"), "items")
        if any(template.section(code) is None for code in codes):
            raise ActionError(_("未知的考核项目。"), "items")
        appeal = Appeal.objects.create(
            appraisal=appraisal,
            items=codes,
            reasons=_required_text(reasons, "reasons"),
            evidence=evidence.strip(),
            filed_at=now,
        )
        appraisal.seen_at = appraisal.seen_at or now
        _move(appraisal, State.APPEALED, actor, appeal.reasons)
    return appeal


def appeal_decide(
    *,
    appeal: Appeal,
    actor: Any,
    upheld: bool,
    minutes: str,
    entries: Mapping[str, Any] | None = None,
    goal_checks: Sequence[str] = (),
) -> Appeal:
    """HR records the outcome of the discussion (协调) with minutes.

    Upheld: a new version of the appraisal is scored with the corrected ``entries`` and goes to the
    employee to confirm; the old version is kept, no longer current. Rejected: the result stands and
    goes back to the employee to confirm (or is confirmed automatically, R-4.2).
    """
    appraisal = appeal.appraisal
    text = _required_text(minutes, "minutes")
    with transaction.atomic():
        on_behalf = _check(actor, appraisal, "decide_appeal")
        appeal.refresh_from_db()  # under the form's lock: decided by nobody else meanwhile
        if appeal.status != Appeal.Status.FILED:
            raise ActionError(_("该申诉已处理。"))
        appeal.minutes, appeal.decided_by, appeal.decided_at = text, actor, timezone.now()
        if upheld:
            if entries is None:
                raise ActionError(_("申诉成立时须给出更正后的评分。"), "entries")
            appeal.status = Appeal.Status.UPHELD
            appeal.resulting_version = _new_version(appraisal, actor, entries, goal_checks, text, on_behalf)
        else:
            appeal.status = Appeal.Status.REJECTED
            appraisal.seen_at = appeal.decided_at  # the employee took part in the discussion
            _move(appraisal, State.REVIEWED, actor, text, on_behalf)
        appeal.save()
    return appeal


def _new_version(
    old: Appraisal,
    actor: Any,
    entries: Mapping[str, Any],
    goal_checks: Sequence[str],
    minutes: str,
    on_behalf: str = "",
) -> Appraisal:
    """A corrected copy of ``old`` (version + 1); ``old`` stays as it was, no longer current."""
    old.is_current = False
    old.save(update_fields=["is_current", "updated_at"])
    new = Appraisal.objects.create(
        period=old.period,
        employee=old.employee,
        template_code=old.template_code,
        template_version=old.template_version,
        state=State.APPEALED,
        version=old.version + 1,
        previous=old,
        self_report=old.self_report,
        supervisor_comment=old.supervisor_comment,
        discipline_points=old.discipline_points,
        interview_missing=old.interview_missing,
    )
    _apply_scores(new, entries, goal_checks)
    new.reviewed_at, new.seen_at = timezone.now(), None
    _move(new, State.REVIEWED, actor, minutes, on_behalf)
    return new


# ---------------------------------------------------------------------------------------------
# Archive, pay flags


def appraisal_archive(*, appraisal: Appraisal, actor: Any) -> Appraisal:
    """人力资源部留存归档: from now on the form never changes."""
    with transaction.atomic():
        on_behalf = _check(actor, appraisal, "archive")
        appraisal.keep_identity()
        _move(appraisal, State.ARCHIVED, actor, on_behalf=on_behalf)
    return appraisal


def appraisal_set_interview_missing(*, appraisal: Appraisal, missing: bool) -> None:
    """R-4.4, for the interview audit: ``missing=True`` holds the appraisal out of pay ("interview
    missing"); ``False`` releases it once the interview is recorded. Works on archived appraisals
    (the flag is about pay, not the form); recorded in the appraisal's history table."""
    if appraisal.interview_missing != missing:
        appraisal.interview_missing = missing
        appraisal.save(update_fields=["interview_missing", "updated_at"])


def _refuse_if_settled(appraisal: Appraisal) -> None:
    """A confirmed or archived form no longer changes."""
    if appraisal.state in (State.CONFIRMED, State.ARCHIVED):
        raise ActionError(_("考核结果已确认，不能再修改。"))


def appraisal_set_discipline_points(*, appraisal: Appraisal, points: Decimal) -> None:
    """R-3.1/R-6.2, for the discipline area: the month's reward/penalty points, re-scoring the final
    score of a scored form. Refused once the form is confirmed or archived."""
    with transaction.atomic():
        _lock(appraisal)
        _refuse_if_settled(appraisal)
        appraisal.discipline_points = points
        if appraisal.entries and appraisal.form_total is not None:
            _apply_scores(appraisal, appraisal.entries, (), points)
        appraisal.save()


def appraisal_set_entries(*, appraisal: Appraisal, entries: Mapping[str, Any], actor: Any) -> Appraisal:
    """For the evidence area (SPEC §11): the direct supervisor writes accepted entries into the form
    without a step of the cycle; a form scored before is re-scored so its total shows them. Refused
    once the form is confirmed or archived; recorded in the appraisal's history table."""
    if not is_supervisor_of(actor, appraisal.employee):
        raise PermissionDenied("only the employee's direct supervisor may set the entries of this appraisal")
    with transaction.atomic():
        _lock(appraisal)
        _refuse_if_settled(appraisal)
        appraisal.entries = json_ready(entries)
        if appraisal.form_total is not None:
            _apply_scores(appraisal, appraisal.entries, ())
        appraisal.save()
    return appraisal


def notifications_mark_read(*, user: AnyUser) -> int:
    """The user has read their reminders; returns how many were unread."""
    return notifications.mark_read(user)
