"""The one final score and grade of an employee-month (R-3.1 "one truth"), as every page reads it.

The form's own scored content (``form_total``) is the appraisal's; the discipline component beside
it, and — once the month is closed for pay — the final score and grade, belong to later areas
(discipline, payroll). This area does not import them: pay registers the one function that knows
(``register``, called from ``PayrollConfig.ready``), and every page, PDF, export and API of the
appraisal reads ``results_for``. Without a registered provider (the rules-only tests) the stored
figures are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from aftersales.appraisal.models import Appraisal


@dataclass(frozen=True)
class MonthResult:
    """An employee-month's result as every place shows it (R-3.1)."""

    form_total: Decimal | None  # the form's own scored content (never changes once settled)
    discipline_points: Decimal  # approved for the month so far, or the close's
    final_score: Decimal | None  # None: not scored yet
    grade: str  # "" while not scored, or decided at the close (``pending``)
    pending: bool = False  # forced distribution, month not closed: "grade decided at the close"
    # (set also before the form is scored, so a preview of the scoring knows)
    reference_grade: str = ""  # the absolute grade while pending, shown only as a labelled reference
    closed: bool = False  # from the close version in force
    explanation: str = ""  # why the grade, in the reader's language (closed months)
    out_of_date: bool = False  # something changed the close's inputs after it: HR re-closes
    line_id: int | None = None  # the pay line in force


Provider = Callable[[list[Appraisal]], Mapping[int, MonthResult]]
_provider: Provider | None = None


def register(provider: Provider) -> None:
    """Pay tells the appraisal area how to read the one truth (done once, at start-up)."""
    global _provider
    _provider = provider


def stored_result(appraisal: Appraisal) -> MonthResult:
    """The figures stored on the form itself (used only when no provider is registered)."""
    return MonthResult(
        appraisal.form_total, appraisal.discipline_points, appraisal.final_score, appraisal.grade
    )


def results_for(appraisals: Iterable[Appraisal]) -> dict[int, MonthResult]:
    """Appraisal id → its month's result, in a number of queries that does not grow with the rows."""
    rows = list(appraisals)
    if _provider is None:
        return {a.pk: stored_result(a) for a in rows}
    return dict(_provider(rows))


def result_of(appraisal: Appraisal) -> MonthResult:
    return results_for([appraisal])[appraisal.pk]
