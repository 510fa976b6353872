"""What changed a closed month's inputs after its close: the close is "out of date" (R-3.1).

A close version is out of date when, after it was made (or last re-closed with the same result,
``checked_at``), one of these happened:
- a discipline record carrying points (R-6.2) for that month was approved for one of its employees;
- an appeal of that month was upheld (a new version of the form, R-4.3);
- HR overrode a grade of that month (R-3.3);
- HR set the department's coefficient d of that month (R-5.3);
- HR changed the pay settings or a category's pay factor while the month's pay was still being made
  (before the end of month M+1; a change later applies to later months only — docs/rules-payroll.md).

The facts are read from the records themselves, so nothing can forget to mark a close. Re-closing
clears the mark: a new version, or ``checked_at`` when the result came out the same. ``changes_after``
lists the changes of one version (pay sheet); ``with_out_of_date`` flags a list in one query
(payroll index, HR's home page) — both state the same rules (tests/payroll/test_out_of_date.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.appraisal.models import Appeal
from aftersales.core.discipline import POINT_KINDS
from aftersales.core.periods import Month
from aftersales.discipline.models import DisciplineRecord, Status
from aftersales.payroll.models import (
    CategorySetting,
    CloseLine,
    CloseVersion,
    DepartmentCoefficient,
    GradeOverride,
    PaySettings,
)

DISCIPLINE, APPEAL, OVERRIDE, COEFFICIENT, SETTINGS = (
    "discipline",
    "appeal",
    "override",
    "coefficient",
    "settings",
)


@dataclass(frozen=True)
class Change:
    """One change after a close, as HR reads it on the pay sheet."""

    at: datetime
    kind: str
    text: str
    by: str

    @property
    def label(self) -> str:
        return {
            DISCIPLINE: _("奖惩"),
            APPEAL: _("申诉成立"),
            OVERRIDE: _("等级改判"),
            COEFFICIENT: _("部门系数"),
            SETTINGS: _("薪资设置"),
        }[self.kind]


def since(version: CloseVersion) -> datetime:
    """Changes after this moment are not in the version's result."""
    return version.checked_at or version.closed_at


def _name(user: object) -> str:
    if user is None:
        return ""
    return str(getattr(user, "get_full_name", lambda: "")() or getattr(user, "username", ""))


def _settings_until(month: Month) -> datetime:
    """Settings changed before the end of month M+1 concern month M's close."""
    return month.shift(2).start


def settings_changes() -> list[tuple[datetime, str, str]]:
    """Every change of the pay settings and category pay factors: (when, who, why)."""
    rows = [
        *PaySettings.history.filter(history_type="~").select_related("history_user"),
        *CategorySetting.history.select_related("history_user"),
    ]
    return [(row.history_date, _name(row.history_user), row.history_change_reason or "") for row in rows]


def changes_after(version: CloseVersion) -> list[Change]:
    """What changed the inputs of ``version``'s month after it, oldest first."""
    period = version.period
    month, after = period.as_month, since(version)
    employees = CloseLine.objects.filter(version=version).values("employee_id")
    changes = []
    records = DisciplineRecord.objects.filter(
        status=Status.APPROVED,
        kind__in=POINT_KINDS,
        approved_at__gt=after,
        effective_date__gte=month.start.date(),
        effective_date__lt=month.end.date(),
        employee_id__in=employees,
    ).select_related("employee", "approved_by")
    for record in records:
        text = _("%(name)s：%(kind)s(%(day)s生效)于结算后批准") % {
            "name": record.employee.name,
            "kind": record.get_kind_display(),
            "day": record.effective_date.isoformat(),
        }
        changes.append(Change(record.approved_at, DISCIPLINE, text, _name(record.approved_by)))  # type: ignore[arg-type]
    appeals = Appeal.objects.filter(
        status=Appeal.Status.UPHELD, decided_at__gt=after, appraisal__period_id=period.pk
    ).select_related("appraisal__employee", "decided_by")
    for appeal in appeals:
        text = _("%(name)s：申诉成立，考核表已更正") % {"name": appeal.appraisal.employee.name}
        changes.append(Change(appeal.decided_at, APPEAL, text, _name(appeal.decided_by)))  # type: ignore[arg-type]
    overrides = GradeOverride.objects.filter(
        year=period.year, month=period.month, at__gt=after, employee_id__in=employees
    ).select_related("employee", "actor")
    for override in overrides:
        text = _("%(name)s：等级改判为%(grade)s") % {
            "name": override.employee.name,
            "grade": override.grade or _("(撤销改判)"),
        }
        changes.append(Change(override.at, OVERRIDE, text, _name(override.actor)))
    coefficients = DepartmentCoefficient.objects.filter(
        department_id=period.department_id, year=period.year, month=period.month, set_at__gt=after
    ).select_related("set_by")
    for row in coefficients:
        text = _("部门月度绩效系数设为%(value)s") % {"value": format(row.value.normalize(), "f")}
        changes.append(Change(row.set_at, COEFFICIENT, text, _name(row.set_by)))
    until = _settings_until(month)
    for at, by, why in settings_changes():
        if after < at < until:
            changes.append(Change(at, SETTINGS, why or _("薪资设置已变更"), by))
    return sorted(changes, key=lambda change: change.at)


def _settings_condition(latest: dict[int, datetime]) -> Q:
    """Versions a settings change concerns: made before it, of a month M with the change before the
    end of M+1. One term per month of changes (the latest change of each month decides)."""
    condition = Q(pk__in=[])
    for index, at in latest.items():
        condition |= Q(_since__lt=at, _month_index__gte=index - 1)
    return condition


def _settings_by_month() -> dict[int, datetime]:
    """Month index → the latest settings change made in that month."""
    latest: dict[int, datetime] = {}
    for at, _by, _why in settings_changes():
        local = timezone.localtime(at)
        index = local.year * 12 + local.month - 1
        latest[index] = max(latest.get(index, at), at)
    return latest


def with_out_of_date(
    versions: QuerySet[CloseVersion], settings: dict[int, datetime] | None = None
) -> QuerySet[CloseVersion]:
    """The versions annotated with ``out_of_date`` (R-3.1), in the same query; ``settings``: the
    settings changes by month when the caller has read them already."""
    since_field = OuterRef("_since")
    same_month = {"year": OuterRef("period__year"), "month": OuterRef("period__month")}
    discipline = DisciplineRecord.objects.filter(
        status=Status.APPROVED,
        kind__in=POINT_KINDS,
        approved_at__gt=since_field,
        effective_date__year=OuterRef("period__year"),
        effective_date__month=OuterRef("period__month"),
        employee__pay_lines__version=OuterRef("pk"),
    )
    appeals = Appeal.objects.filter(
        status=Appeal.Status.UPHELD, decided_at__gt=since_field, appraisal__period_id=OuterRef("period_id")
    )
    overrides = GradeOverride.objects.filter(
        at__gt=since_field, employee__pay_lines__version=OuterRef("pk"), **same_month
    )
    coefficients = DepartmentCoefficient.objects.filter(
        department_id=OuterRef("period__department_id"), set_at__gt=since_field, **same_month
    )
    condition = (
        Q(Exists(discipline))
        | Q(Exists(appeals))
        | Q(Exists(overrides))
        | Q(Exists(coefficients))
        | _settings_condition(_settings_by_month() if settings is None else settings)
    )
    return versions.annotate(
        _since=Coalesce(F("checked_at"), F("closed_at")),
        _month_index=F("period__year") * 12 + F("period__month") - 1,
    ).annotate(
        out_of_date=Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def out_of_date_closes() -> QuerySet[CloseVersion]:
    """The current close versions that are out of date (HR's to-do list).

    Only versions that some change could concern are checked: a version of month M can be out of
    date only if the latest change of M (of any kind) came after it. The latest change per month is
    read in a few grouped queries, so the check does not visit every close of the past years
    (issue 11); the rule itself stays ``with_out_of_date``'s."""
    current = CloseVersion.objects.filter(is_current=True).select_related("period__department")
    changed, settings = _latest_change_by_month(), _settings_by_month()
    if not changed and not settings:  # nothing ever changed after being made: no close to check
        return current.none()
    candidates = Q(pk__in=[])
    for index, at in changed.items():
        candidates |= Q(_month_index=index, _since__lt=at)
    return (
        with_out_of_date(current, settings)
        .filter(candidates | _settings_condition(settings))
        .filter(out_of_date=True)  # type: ignore[misc]  # annotated by with_out_of_date
        .order_by("-period__year", "-period__month", "period__department__code")
    )


class MonthIndex(Func):
    """year × 12 + month − 1 of a date column, in the database's native date functions."""

    output_field = IntegerField()
    template = (
        "(CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER) * 12"
        " + CAST(EXTRACT(MONTH FROM %(expressions)s) AS INTEGER) - 1)"
    )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = (  # SQLite keeps a date as the text YYYY-MM-DD
            "(CAST(substr(%(expressions)s, 1, 4) AS INTEGER) * 12"
            " + CAST(substr(%(expressions)s, 6, 2) AS INTEGER) - 1)"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


def _latest_change_by_month() -> dict[int, datetime]:
    """Month index (year × 12 + month − 1) → the latest discipline approval, upheld appeal, grade
    override or coefficient of that month (the settings have their own condition)."""
    latest: dict[int, datetime] = {}

    def note(year: int, month: int, at: datetime | None) -> None:
        if at is not None:
            index = year * 12 + month - 1
            latest[index] = max(latest.get(index, at), at)

    # a scan of one covering index (discipline_status_approved), grouped by the effective month
    # computed by the database's own date functions (Django's month extraction is a Python function
    # called per row on SQLite)
    discipline = (
        DisciplineRecord.objects.filter(
            status=Status.APPROVED, kind__in=POINT_KINDS, approved_at__isnull=False
        )
        .order_by()
        .values(index=MonthIndex("effective_date"))
        .annotate(at=Max("approved_at"))
    )
    for row in discipline:
        note(row["index"] // 12, row["index"] % 12 + 1, row["at"])
    appeals = (
        Appeal.objects.filter(status=Appeal.Status.UPHELD)
        .order_by()
        .values(year=F("appraisal__period__year"), month=F("appraisal__period__month"))
        .annotate(at=Max("decided_at"))
    )
    overrides = GradeOverride.objects.order_by().values("year", "month").annotate(at=Max("at"))
    coefficients = DepartmentCoefficient.objects.order_by().values("year", "month").annotate(at=Max("set_at"))
    for rows in (appeals, overrides, coefficients):
        for row in rows:
            note(row["year"], row["month"], row["at"])
    return latest
