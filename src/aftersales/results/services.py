"""Acts on the results (SPEC §7): the evaluation that raises cases, and HR's decision on a case.

Cases are raised by the system and decided by people; every decision is recorded (the case's
history, and a ``PositionAdjustment`` or training request where the decision makes one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from aftersales.core import results as rules
from aftersales.core.errors import RuleError
from aftersales.core.periods import Month
from aftersales.interviews import services as interview_services
from aftersales.interviews.models import TrainingRequest, TrainingSource
from aftersales.organisation import roles
from aftersales.organisation.access import employee_of, has_role
from aftersales.organisation.models import Position
from aftersales.results import selectors
from aftersales.results.models import (
    ALLOWED_DECISIONS,
    POSITION_DECISIONS,
    WORK_REPORT_KINDS,
    CaseKind,
    CaseStatus,
    Decision,
    EvaluationRun,
    PositionAdjustment,
    ResultCase,
)
from aftersales.results.selectors import Series, month_index, rounded

# --- evaluation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trigger:
    """A case the rules call for: who, which kind, which period, and the scores behind it."""

    employee_id: int
    kind: str
    year: int
    month: int | None
    facts: dict[str, Any]
    follows: PositionAdjustment | None = None

    @property
    def key(self) -> tuple[int, str, int, int | None]:
        return (self.employee_id, self.kind, self.year, self.month)


@dataclass(frozen=True)
class Evaluation:
    run: EvaluationRun
    raised: list[ResultCase] = field(default_factory=list)


def results_evaluate(*, year: int, month: int, actor: Any, annual: bool = False) -> Evaluation:
    """Raise the cases due as of month ``year-month`` (HR; ``actor=None``: the command line).

    Always: unqualified (R-7.4) at that month, and the six-month follow-ups of position adjustments
    (R-7.3). At year end (month 12) or when ``annual``: the year's composites, work reports (R-7.3)
    and promotion candidates (R-7.2). Idempotent: a case that exists is never raised again.
    """
    _require_hr(actor, allow_system=True)
    as_of = _month(year, month)
    annual = annual or as_of.month == 12
    with transaction.atomic():
        adjustments = _adjustments_to_follow(as_of)
        scores = selectors.archived_scores(
            since=_earliest_needed(as_of, annual, adjustments),
            until=as_of,
            active_on=as_of.start.date(),
        )
        follow_ups, passed = _follow_ups(scores, adjustments)
        triggers = [*_unqualified(scores, as_of), *follow_ups]
        if annual:
            triggers += _annual(scores, as_of.year)
        raised = _raise(triggers, actor)
        PositionAdjustment.objects.filter(pk__in=passed).update(follow_up_passed=True)
        run = EvaluationRun.objects.create(
            year=as_of.year,
            month=as_of.month,
            annual=annual,
            actor=actor,
            raised=dict(Counter(case.kind for case in raised)),
        )
        _notify_hr(raised, as_of)
    return Evaluation(run=run, raised=raised)


def _month(year: int, month: int) -> Month:
    try:
        return Month(year, month)
    except RuleError as exc:
        raise ValidationError({"month": str(exc)}) from None


def _earliest_needed(as_of: Month, annual: bool, adjustments: list[PositionAdjustment]) -> Month:
    needed = [as_of.shift(1 - rules.UNQUALIFIED_MONTHS)]
    if annual:
        needed.append(Month(as_of.year - rules.PROMOTION_YEARS + 1, 1))
    needed += [adjustment.effective_month.shift(1) for adjustment in adjustments]
    return min(needed)


def _facts(monthly: Series, months: Iterable[Month]) -> dict[str, str]:
    return {str(month): rounded(monthly[month]) for month in months if month in monthly}


def _unqualified(scores: dict[int, Series], as_of: Month) -> Iterator[Trigger]:
    """R-7.4: the month and the two before it below 60."""
    window = [as_of.shift(-back) for back in reversed(range(rules.UNQUALIFIED_MONTHS))]
    for employee_id, monthly in scores.items():
        if rules.unqualified(monthly, as_of):
            facts = {"scores": _facts(monthly, window)}
            yield Trigger(employee_id, CaseKind.UNQUALIFIED, as_of.year, as_of.month, facts)


def _annual(scores: dict[int, Series], year: int) -> Iterator[Trigger]:
    """R-7.3 work report for a composite below 60; R-7.2 promotion candidate after three years ≥ 90."""
    years = range(year - rules.PROMOTION_YEARS + 1, year + 1)
    for employee_id, monthly in scores.items():
        annual = selectors.composites_by_year(monthly, years)
        if year not in annual:
            continue
        facts = {
            "composites": {str(y): rounded(value) for y, value in sorted(annual.items())},
            "scores": _facts(monthly, sorted(m for m in monthly if m.year == year)),
        }
        if rules.work_report_required(annual[year]):
            yield Trigger(employee_id, CaseKind.WORK_REPORT, year, None, facts)
        if rules.promotion_candidate(annual, year):
            yield Trigger(employee_id, CaseKind.PROMOTION_CANDIDATE, year, None, facts)


def _adjustments_to_follow(as_of: Month) -> list[PositionAdjustment]:
    """Adjustments made before ``as_of`` whose follow-up is still undecided (no case yet)."""
    pending = PositionAdjustment.objects.filter(follow_up_cases__isnull=True, follow_up_passed=False)
    pending = pending.annotate(index=models.F("year") * 12 + models.F("month") - 1)
    return list(pending.filter(index__lt=month_index(as_of)))


def _follow_ups(
    scores: dict[int, Series], adjustments: list[PositionAdjustment]
) -> tuple[list[Trigger], list[int]]:
    """R-7.3: the mean of the six monthly scores after the adjustment still below 60 → dismissal case.

    Returns the cases to raise and the adjustments whose six months came out at 60 or above (passed).
    """
    triggers, passed = [], []
    for adjustment in adjustments:
        monthly = scores.get(adjustment.employee_id, {})
        outcome = rules.follow_up_dismissal_case(monthly, adjustment.effective_month)
        if outcome is False:
            passed.append(adjustment.pk)
        elif outcome:
            triggers.append(_follow_up_trigger(adjustment, monthly))
    return triggers, passed


def _follow_up_trigger(adjustment: PositionAdjustment, monthly: Series) -> Trigger:
    adjusted_in = adjustment.effective_month
    after = sorted(m for m in monthly if m > adjusted_in)[: rules.FOLLOW_UP_MONTHS]
    facts = {"adjusted_in": str(adjusted_in), "scores": _facts(monthly, after)}
    kind = CaseKind.FOLLOW_UP_DISMISSAL
    return Trigger(adjustment.employee_id, kind, adjusted_in.year, adjusted_in.month, facts, adjustment)


def _raise(triggers: list[Trigger], actor: Any) -> list[ResultCase]:
    """Create the cases that do not exist yet (one query to find them, one bulk insert)."""
    existing = _existing_keys(triggers)
    new = [trigger for trigger in triggers if _is_new(trigger, existing)]
    cases = [
        ResultCase(
            employee_id=trigger.employee_id,
            kind=trigger.kind,
            year=trigger.year,
            month=trigger.month,
            facts=trigger.facts,
            follows=trigger.follows,
            raised_by=actor,
        )
        for trigger in new
    ]
    return bulk_create_with_history(cases, ResultCase, default_user=actor) if cases else []


def _existing_keys(triggers: list[Trigger]) -> set[tuple[int, str, int, int | None]]:
    if not triggers:
        return set()
    years = {trigger.year + step for trigger in triggers for step in (-1, 0, 1)}
    rows = ResultCase.objects.filter(
        employee_id__in={trigger.employee_id for trigger in triggers},
        kind__in={trigger.kind for trigger in triggers},
        year__in=years,
    )
    return set(rows.values_list("employee_id", "kind", "year", "month"))


def _is_new(trigger: Trigger, existing: set[tuple[int, str, int, int | None]]) -> bool:
    """Not raised before; for R-7.4 a run of low months already covered by a case is not raised again:
    a case covers its three months, so no other case may lie within two months of it."""
    if trigger.kind != CaseKind.UNQUALIFIED:
        return trigger.key not in existing
    month = Month(trigger.year, trigger.month)  # type: ignore[arg-type]  # monthly kind
    span = range(-(rules.UNQUALIFIED_MONTHS - 1), rules.UNQUALIFIED_MONTHS)
    nearby = (month.shift(step) for step in span)
    return not any((trigger.employee_id, trigger.kind, m.year, m.month) in existing for m in nearby)


# --- decisions ------------------------------------------------------------------------------------


def case_decide(
    *,
    case: ResultCase,
    decision: str,
    note: str,
    actor: Any,
    position: Position | None = None,
    effective: Month | None = None,
    training_content: str = "",
) -> ResultCase:
    """HR records its decision on a case (SPEC §7), never on a case about themselves.

    调整职位 / 降职 / 调换工作 need the new ``position`` (effective ``effective``, default this month):
    the employee's position changes and a ``PositionAdjustment`` starts the six-month follow-up
    (R-7.3). 安排培训 (a low score not due to attitude) needs ``training_content`` and raises a
    training request for HR to plan (R-7.5).
    """
    _require_hr(actor)
    _check_decision(case, decision, note, position, training_content)
    with transaction.atomic():
        case = ResultCase.objects.select_for_update().select_related("employee__position").get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise ValidationError(_("该案例已有处理决定"))
        if _is_own(case, actor):
            raise PermissionDenied(_("不能处理关于本人的案例"))
        case.status, case.decision, case.note = CaseStatus.DECIDED, decision, note.strip()
        case.decided_by, case.decided_at = actor, timezone.now()
        if decision in POSITION_DECISIONS:
            _adjust_position(case, position, effective or Month.of(timezone.now()), actor)  # type: ignore[arg-type]
        if decision == Decision.TRAINING:
            case.training_request = _training_request(case, training_content, actor)
        _save(case, actor, f"decided: {decision}")
    return case


def _check_decision(
    case: ResultCase, decision: str, note: str, position: Position | None, training_content: str
) -> None:
    errors: dict[str, str] = {}
    if decision not in ALLOWED_DECISIONS[case.kind]:
        errors["decision"] = _("该类案例不能作此决定")
    if not note.strip():
        errors["note"] = _("请填写决定说明")
    if decision in POSITION_DECISIONS and position is None:
        errors["position"] = _("请选择调整后的职位")
    if decision in POSITION_DECISIONS and position is not None and position.pk == case.employee.position_id:
        errors["position"] = _("调整后的职位与现职位相同")
    if decision == Decision.TRAINING and not training_content.strip():
        errors["training_content"] = _("请填写培训项目/内容")
    if errors:
        raise ValidationError(errors)


def _adjust_position(
    case: ResultCase, position: Position, effective: Month, actor: Any
) -> PositionAdjustment:
    """The employee moves to ``position`` (its category and standard salary with it), recorded."""
    employee = case.employee
    if employee.position_adjustments.filter(year=effective.year, month=effective.month).exists():
        raise ValidationError({"effective": _("该员工该月已有职位调整")})
    adjustment = PositionAdjustment(
        employee=employee,
        year=effective.year,
        month=effective.month,
        from_position=employee.position,
        to_position=position,
        kind=case.decision,
        reason=case.note,
        case=case,
        made_by=actor,
    )
    _save(adjustment, actor, case.get_decision_display())
    employee.position, employee.category = position, position.category
    employee.standard_salary = position.standard_salary
    _save(employee, actor, f"position adjusted (result case {case.pk})")
    return adjustment


def _training_request(case: ResultCase, content: str, actor: Any) -> TrainingRequest:
    """R-7.5: a low score not due to attitude becomes a training request that HR plans and closes
    (in the interviews area, through its own action)."""
    return interview_services.training_request_raise(
        employee=case.employee,
        content=content,
        actor=actor,
        reason=f"{case.get_kind_display()} {case.period_label}: {case.note}",
        source=TrainingSource.LOW_SCORE,
        note=f"low score, not attitude (result case {case.pk})",
    )


# --- the work report (述职, R-7.3, R-7.4) ------------------------------------------------------------


def case_record_work_report(
    *, case: ResultCase, actor: Any, date: Any, text: str, outcome: str, note: str = ""
) -> ResultCase:
    """HR records the employee's work report (述职) on a case that calls for one, and its outcome.

    The report can be recorded again (a correction); the case history keeps every version. Not on a
    case about oneself (R-4.1).
    """
    _require_hr(actor)
    errors: dict[str, str] = {}
    if case.kind not in WORK_REPORT_KINDS:
        errors["outcome"] = _("该类案例不需要述职")
    if not text.strip():
        errors["text"] = _("请填写述职报告内容或摘要")
    if date > timezone.localdate():
        errors["date"] = _("述职日期不能晚于今天")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = ResultCase.objects.select_for_update().get(pk=case.pk)
        if _is_own(case, actor):
            raise PermissionDenied(_("不能处理关于本人的案例"))
        case.report_date, case.report_text, case.report_outcome = date, text.strip(), outcome
        case.report_note = note.strip()
        case.report_recorded_by, case.report_recorded_at = actor, timezone.now()
        _save(case, actor, f"work report: {outcome}")
    return case


def may_record_work_report(user: Any, case: ResultCase) -> bool:
    """HR, on a case of R-7.3 or R-7.4 that is not about themselves."""
    return case.needs_work_report and is_hr(user) and not _is_own(case, user)


# --- helpers --------------------------------------------------------------------------------------


def is_hr(user: Any) -> bool:
    """Results are HR's to evaluate and decide (人力资源部: results use)."""
    return user is not None and has_role(user, roles.HR)


def _require_hr(actor: Any, *, allow_system: bool = False) -> None:
    if actor is None and allow_system:
        return
    if not is_hr(actor):
        raise PermissionDenied(_("只有人力资源可以执行此操作"))


def _is_own(case: ResultCase, actor: Any) -> bool:
    me = employee_of(actor)
    return me is not None and me.pk == case.employee_id


def may_decide(user: Any, case: ResultCase) -> bool:
    """HR, on an open case that is not about themselves."""
    return case.is_open and is_hr(user) and not _is_own(case, user)


def _save(instance: models.Model, actor: Any, reason: str) -> None:
    instance._history_user = actor  # type: ignore[attr-defined]  # simple_history: who did it
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()


def _notify_hr(raised: list[ResultCase], as_of: Month) -> None:
    """One mail to HR per run that raised cases, after the commit."""
    if not raised:
        return
    hr = get_user_model().objects.filter(groups__name=roles.HR).values_list("email", "employee__email")
    recipients = sorted({login or employee for login, employee in hr if login or employee})
    counts = Counter(str(case.get_kind_display()) for case in raised)
    subject = _("绩效结果运用: %(month)s 评估新立案 %(count)s 件") % {"month": as_of, "count": len(raised)}
    body = "\n".join(f"{kind}: {count}" for kind, count in sorted(counts.items()))
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=True))
