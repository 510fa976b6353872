"""The one final score and grade of each employee-month (R-3.1), for every page that shows one.

Until the month is closed for pay: the form's total plus the discipline points approved for that
month so far (whenever approved), clamped to [0, cap]; the absolute grade (R-3.2), or — for a form
graded by forced distribution (R-3.3) — no grade yet, "decided at the close", with the absolute
grade as a labelled reference. Once closed: the line of the close version in force (its final score,
grade, override and explanation), flagged when the close is out of date (``payroll.changes``).

Registered with the appraisal area in ``PayrollConfig.ready`` (``appraisal.outcome.register``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from aftersales.appraisal.models import Appraisal, Period
from aftersales.appraisal.outcome import MonthResult, stored_result
from aftersales.core.grading import absolute_grade
from aftersales.core.periods import Month
from aftersales.discipline.selectors import discipline_points_by_month
from aftersales.payroll.calculation import clamp_final
from aftersales.payroll.changes import with_out_of_date
from aftersales.payroll.models import CloseLine, CloseVersion, PaySettings
from aftersales.payroll.selectors import forced_templates

ZERO = Decimal(0)


def month_results(appraisals: Sequence[Appraisal]) -> dict[int, MonthResult]:
    """Appraisal id → MonthResult, in at most seven queries whatever the number of appraisals.

    A superseded version (an upheld appeal replaced it) shows its own stored figures: it is history.
    """
    current = [a for a in appraisals if a.is_current]
    results = {a.pk: stored_result(a) for a in appraisals if not a.is_current}
    if not current:
        return results
    months = _months({a.period_id for a in current})
    lines = _lines_in_force(current)
    open_ = [a for a in current if (a.period_id, a.employee_id) not in lines]
    points = discipline_points_by_month((a.employee_id, months[a.period_id]) for a in open_)
    forced = forced_templates() if open_ else set()
    cap = PaySettings.load().score_cap if open_ else ZERO
    for appraisal in current:
        line = lines.get((appraisal.period_id, appraisal.employee_id))
        if line is not None:
            results[appraisal.pk] = _closed(appraisal, line)
            continue
        discipline = points.get((appraisal.employee_id, months[appraisal.period_id]), ZERO)
        is_forced = (appraisal.template_code, appraisal.template_version) in forced
        results[appraisal.pk] = _open(appraisal, discipline, cap, is_forced)
    return results


def _months(period_ids: set[int]) -> dict[int, Month]:
    rows = Period.objects.filter(pk__in=period_ids).values_list("pk", "year", "month")
    return {pk: Month(year, month) for pk, year, month in rows}


def _lines_in_force(appraisals: Sequence[Appraisal]) -> dict[tuple[int, int], CloseLine]:
    """(period id, employee id) → the line of the current close version, with ``out_of_date``."""
    periods = {a.period_id for a in appraisals}
    employees = {a.employee_id for a in appraisals}
    rows = CloseLine.objects.filter(
        version__is_current=True, version__period_id__in=periods, employee_id__in=employees
    ).select_related("version")
    lines = {(line.version.period_id, line.employee_id): line for line in rows}
    if lines:
        versions = {line.version_id for line in lines.values()}
        stale = set(
            with_out_of_date(CloseVersion.objects.filter(pk__in=versions))  # type: ignore[misc]
            .filter(out_of_date=True)
            .values_list("pk", flat=True)
        )
        for line in lines.values():
            line.version.out_of_date = line.version_id in stale  # type: ignore[attr-defined]
    return lines


def _closed(appraisal: Appraisal, line: CloseLine) -> MonthResult:
    return MonthResult(
        form_total=line.form_total,
        discipline_points=line.discipline_points,
        final_score=line.final_score,
        grade=line.grade,
        closed=True,
        explanation=line.grade_explanation,
        out_of_date=bool(getattr(line.version, "out_of_date", False)),
        line_id=line.pk,
    )


def _open(appraisal: Appraisal, discipline: Decimal, cap: Decimal, forced: bool) -> MonthResult:
    if appraisal.form_total is None:
        return MonthResult(None, discipline, None, "", pending=forced)
    final = clamp_final(appraisal.form_total, discipline, cap)
    grade = absolute_grade(final).value
    if forced:
        return MonthResult(appraisal.form_total, discipline, final, "", pending=True, reference_grade=grade)
    return MonthResult(appraisal.form_total, discipline, final, grade)
