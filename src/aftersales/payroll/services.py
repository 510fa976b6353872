"""Acts on pay: the monthly close, grade overrides, releasing held pay, fund payouts, settings.

Each checks the actor first (``PermissionDenied``), then the input (``ActionError``), and changes
state inside one transaction. Audit: close versions and lines, overrides and payouts are rows
that are never edited (a release fills in who released a held line and why); settings and
coefficients keep every change with its reason in their history tables.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.db.backends.utils import CursorDebugWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales import punctuation
from aftersales.appraisal.models import Appraisal, State
from aftersales.core.errors import ActionError, RuleError
from aftersales.core.grading import GRADES, check_quotas
from aftersales.core.pay import fund_quarter
from aftersales.organisation.access import AnyUser, is_company_wide
from aftersales.organisation.models import Department, Employee
from aftersales.payroll import selectors
from aftersales.payroll.calculation import CloseRules, LineResult, PoolResult, close_pool
from aftersales.payroll.models import (
    CategorySetting,
    CloseLine,
    CloseVersion,
    DepartmentCoefficient,
    FundPayout,
    GradeOverride,
    PaySettings,
)
from aftersales.payroll.notices import notify_result_changed


def _require_hr(actor: AnyUser) -> None:
    if not is_company_wide(actor):
        raise PermissionDenied("only HR does this")


def _required(text: str, field: str) -> str:
    value = (text or "").strip()
    if not value:
        raise ActionError(_("必须填写。"), field)
    return value


def _check_month(year: int, month: int) -> None:
    if not 1 <= month <= 12:
        raise ActionError(_("月份必须在1到12之间。"), "month")
    if not 2000 <= year <= 2100:
        raise ActionError(_("年份不正确。"), "year")


# ---------------------------------------------------------------------------------------------
# The monthly close (SPEC §3, §5)


@dataclass(frozen=True)
class CloseOutcome:
    created: list[CloseVersion]  # new versions (first closes and re-closes that changed something)
    unchanged: list[int]  # period ids whose current version already held this result


# The columns a close writes per line, in order; each row is a tuple of plain Python values (int,
# str, bool, Decimal, None) that both SQLite and PostgreSQL take as they are.
LINE_COLUMNS = (
    "employee_id",
    "appraisal_id",
    "unit_id",
    "category",
    "position",
    "employee_name",
    "standard_salary",
    "form_total",
    "discipline_points",
    "final_score",
    "forced",
    "computed_grade",
    "grade_rank",
    "grade_group_size",
    "grade_target",
    "grade_quota",
    "override_grade",
    "override_reason",
    "override_lapsed",
    "standard_pay",
    "factor",
    "pay",
    "is_head",
    "in_pool",
    "held",
    "held_reason",
    "release_note",
)


@dataclass(frozen=True)
class _Computed:
    pool: selectors.Pool
    rules: CloseRules
    result: PoolResult
    rows: list[tuple[Any, ...]]  # the lines, in LINE_COLUMNS order
    fingerprint: str


def close_run(
    *, department: Department | None, year: int, month: int, actor: AnyUser, reason: str = ""
) -> CloseOutcome:
    """Close month ``year-month`` of a department (``None``: every department): final scores,
    grades, pay, held pay (SPEC §3, §5). One transaction; idempotent — a department whose result
    equals its current version gets nothing new; any other gets a new version (the old one kept),
    and a re-close needs a reason. The number of queries does not grow with the employees."""
    _require_hr(actor)
    _check_month(year, month)
    if department is not None and department.parent_id is not None:
        raise ActionError(_("请选择部门(而非下属单位)。"), "department")
    with transaction.atomic(), _cyclic_gc_paused():
        # one close of a month at a time: a second waits, then finds the first's result (unchanged)
        list(selectors.periods_of(year, month, department).select_for_update().values_list("pk"))
        inputs = selectors.close_inputs(year=year, month=month, department=department)
        _check_ready(inputs.pools)
        computed = [_compute(pool, inputs.rules_for(pool)) for pool in inputs.pools]
        current = selectors.current_versions(year=year, month=month, department=department)
        changed = [c for c in computed if _changed(c, current)]
        if any(c.pool.period_id in current for c in changed):
            reason = _required(reason, "reason")  # a re-close is a correction: say why
        created = _store(changed, current, actor, reason.strip(), year)
        unchanged = [c.pool.period_id for c in computed if not _changed(c, current)]
        # the same result again: whatever changed since is accounted for (R-3.1 "out of date")
        CloseVersion.objects.filter(pk__in=[current[p].pk for p in unchanged]).update(
            checked_at=timezone.now()
        )
        _tell_employees(changed, current)
    return CloseOutcome(created, unchanged)


def _tell_employees(changed: Sequence[_Computed], current: Mapping[int, CloseVersion]) -> None:
    """A re-close that changed an employee's final score or grade tells them (R-3.1)."""
    retired = [current[c.pool.period_id].pk for c in changed if c.pool.period_id in current]
    if not retired:
        return
    before = {
        (period_id, employee_id): (final, override or grade)
        for period_id, employee_id, final, grade, override in CloseLine.objects.filter(
            version_id__in=retired
        ).values_list("version__period_id", "employee_id", "final_score", "computed_grade", "override_grade")
    }
    moved: list[tuple[int, int, Any, str]] = []
    for computed in changed:
        if computed.pool.period_id not in current:
            continue
        for line in computed.result.lines:
            grade = line.grade.value if line.grade else ""
            key = (computed.pool.period_id, line.member.employee_id)
            if key in before and before[key] != (line.final_score, grade):
                moved.append((*key, line.final_score, grade))
    if moved:
        notify_result_changed(moved)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """The close builds a few objects per line (rows, members, results) that hold no reference
    cycles; with 20,000 lines the cyclic collector would run full collections over all of them,
    and find nothing — up to a fifth of the close's time. Reference counting still frees
    everything; the collector resumes (if it was on) when the close ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_ready(pools: Sequence[selectors.Pool]) -> None:
    if not pools:
        raise ActionError(_("该月没有可结算的考核表。"), "month")
    waiting = [f"{pool.department_name} {pool.not_ready}" for pool in pools if pool.not_ready]
    if waiting:
        raise ActionError(
            _("以下部门还有未归档的考核表(份)，不能结算：%(list)s")
            % {"list": punctuation.comma().join(waiting)},
            "month",
        )


def _compute(pool: selectors.Pool, rules: CloseRules) -> _Computed:
    result = close_pool(pool.members, rules)
    rows = [_line_row(pool, line) for line in result.lines]
    return _Computed(pool, rules, result, rows, _fingerprint(rules, rows))


def _changed(computed: _Computed, current: Mapping[int, CloseVersion]) -> bool:
    version = current.get(computed.pool.period_id)
    return version is None or version.fingerprint != computed.fingerprint


def _fingerprint(rules: CloseRules, rows: Sequence[tuple[Any, ...]]) -> str:
    """What a version holds — its rules and its lines as written — hashed: two closes with the same
    fingerprint are the same result. The inputs are read from the same columns every time, so the
    text of each value (``repr``) is the same for the same result."""
    settings = (
        rules.pay_ratio,
        rules.rounding_unit,
        rules.score_cap,
        rules.coefficient,
        rules.head_in_pool,
        sorted((grade.value, quota) for grade, quota in rules.quotas.items()),
        sorted(rules.grade_factor_categories),
    )
    return hashlib.sha256(repr((settings, rows)).encode()).hexdigest()


def _line_row(pool: selectors.Pool, line: LineResult) -> tuple[Any, ...]:
    member = line.member
    employee = member.employee_id
    held = pool.held.get(employee, "")
    override = line.override_grade.value if line.override_grade else ""
    forced = line.forced_grade
    return (
        employee,
        pool.appraisal_ids[employee],
        pool.units[employee],
        member.category,
        pool.positions[employee],
        pool.names[employee],
        member.standard_salary,
        member.form_total,
        member.discipline_points,
        line.final_score,
        member.forced,
        line.computed_grade.value if line.computed_grade else "",
        forced.rank if forced else None,
        forced.group_size if forced else None,
        forced.target if forced else None,
        forced.quota if forced else None,
        override,
        pool.override_reasons.get(employee, "") if override else "",
        line.override_lapsed,
        line.standard_pay,
        line.factor,
        line.pay,
        member.head,
        line.in_pool,
        bool(held),
        held,
        "",
    )


def _store(
    changed: Sequence[_Computed],
    current: Mapping[int, CloseVersion],
    actor: AnyUser,
    reason: str,
    year: int,
) -> list[CloseVersion]:
    """Retire the changed departments' current versions and write the new ones with their lines."""
    if not changed:
        return []
    retired = [current[c.pool.period_id].pk for c in changed if c.pool.period_id in current]
    CloseVersion.objects.filter(pk__in=retired).update(is_current=False)
    now = timezone.now()
    versions = CloseVersion.objects.bulk_create(
        _new_version(c, current.get(c.pool.period_id), actor, reason, now, year) for c in changed
    )
    _insert_lines([(v.pk, *row) for v, c in zip(versions, changed, strict=True) for row in c.rows])
    return versions


def _new_version(
    computed: _Computed, previous: CloseVersion | None, actor: AnyUser, reason: str, now: Any, year: int
) -> CloseVersion:
    rules, result = computed.rules, computed.result
    return CloseVersion(
        period_id=computed.pool.period_id,
        year=year,
        number=previous.number + 1 if previous else 1,
        is_current=True,
        closed_by=cast(User, actor),
        closed_at=now,
        reason=reason,
        pay_ratio=rules.pay_ratio,
        rounding_unit=rules.rounding_unit,
        score_cap=rules.score_cap,
        quotas={grade.value: format(rules.quotas[grade].normalize(), "f") for grade in GRADES},
        grade_factor_categories=sorted(rules.grade_factor_categories),
        coefficient=rules.coefficient,
        head_in_pool=rules.head_in_pool,
        pool_base=result.pool_base,
        distributable=result.distributable,
        fund_inflow=result.fund_inflow,
        fingerprint=computed.fingerprint,
        **version_totals(computed.rows),
    )


_PAY, _SCORE = LINE_COLUMNS.index("pay"), LINE_COLUMNS.index("final_score")


def version_totals(rows: Sequence[tuple[Any, ...]]) -> dict[str, Any]:
    """Head count, pay total and mean final score of a version's lines (rows in LINE_COLUMNS
    order), stored on the version when it is written."""
    scores = [row[_SCORE] for row in rows if row[_SCORE] is not None]
    mean = (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01")) if scores else None
    return {
        "line_count": len(rows),
        "pay_total": sum((row[_PAY] for row in rows), Decimal(0)),
        "mean_score": mean,
    }


def _insert_lines(rows: Sequence[tuple[Any, ...]]) -> None:
    """All lines in one statement, rows of (version id, *LINE_COLUMNS): ``COPY … FROM STDIN`` on
    PostgreSQL, one INSERT executed for every row (``executemany``) elsewhere.

    ``bulk_create`` would build a model instance per line and split the INSERT into batches of 999
    parameters on SQLite, so both the time and the number of queries would grow with the employees.
    On PostgreSQL ``executemany`` still sends one INSERT per row (pipelined); COPY streams the rows
    and is parsed once."""
    if not rows:
        return
    meta, quote = CloseLine._meta, connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(
        quote(cast(models.Field, meta.get_field(name)).column) for name in ("version_id", *LINE_COLUMNS)
    )
    if connection.vendor == "postgresql":
        _copy_rows(f"COPY {table} ({columns}) FROM STDIN", rows)
        return
    placeholders = ", ".join(["%s"] * (len(LINE_COLUMNS) + 1))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def _copy_rows(sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """PostgreSQL COPY through psycopg 3, with Django's error wrapping and query log (so COPY counts
    as one query, like any other, in ``connection.queries`` and the tests that count them)."""
    connection.validate_no_broken_transaction()
    with connection.cursor() as cursor:
        logged = cursor.debug_sql(sql) if isinstance(cursor, CursorDebugWrapper) else nullcontext()
        with logged, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            write = copy.write_row
            for row in rows:
                write(row)


# ---------------------------------------------------------------------------------------------
# Grade overrides and held pay


def is_own(actor: AnyUser, employee: Employee) -> bool:
    """Whether ``employee`` is the actor's own employee record. Separation of duties (R-4.1): nobody
    overrides, releases or pays from the fund what concerns themself; another holder of the role does."""
    return employee.user_id is not None and employee.user_id == actor.pk


def may_act_on_line(actor: AnyUser, line: CloseLine) -> bool:
    """HR overrides the grade of a line and releases its held pay — of someone else's line (R-4.1)."""
    return is_company_wide(actor) and not is_own(actor, line.employee)


def grade_override(*, line: CloseLine, grade: str, reason: str, actor: AnyUser) -> GradeOverride:
    """HR overrides the grade of a line with a written reason; ``grade=""`` withdraws an override.

    It takes effect at the next close of the month (the pay sheet says so) and holds while the
    employee's final score stays the one it was made against. Never one's own line (R-4.1)."""
    _require_hr(actor)
    if not may_act_on_line(actor, line):
        raise PermissionDenied(_("不能改判本人的等级，须由其他人力资源办理。"))
    if not line.version.is_current:
        raise ActionError(_("只能改判当前版本的结算结果。"))
    if line.final_score is None:
        raise ActionError(_("没有考核得分，不能改判。"), "grade")
    if grade and grade not in {g.value for g in GRADES}:
        raise ActionError(_("等级不正确。"), "grade")
    period = line.version.period
    override = GradeOverride(
        employee=line.employee,
        year=period.year,
        month=period.month,
        grade=grade,
        reason=_required(reason, "reason"),
        final_score=line.final_score,
        actor=cast(User, actor),
    )
    with transaction.atomic():
        _save_with_reason(override, actor, override.reason)
    return override


def pay_release(*, line: CloseLine, actor: AnyUser, note: str = "") -> CloseLine:
    """HR releases held pay once the hold is cleared: the appeal decided and the form archived
    (R-4.3), the interview recorded (R-4.4). The amount is the one the close kept on the line;
    nobody else's pay changes. An upheld appeal changed the score: re-close the month instead.
    Never one's own held pay (R-4.1)."""
    _require_hr(actor)
    if not may_act_on_line(actor, line):
        raise PermissionDenied(_("不能解除本人的暂缓发放，须由其他人力资源办理。"))
    with transaction.atomic():
        # lock the version (a re-close retires it) and the line (another HR user may be releasing
        # it this moment), then read both again before checking
        CloseVersion.objects.select_for_update().filter(pk=line.version_id).values_list("pk").get()
        CloseLine.objects.select_for_update().filter(pk=line.pk).values_list("pk").get()
        line.refresh_from_db()
        line.version.refresh_from_db()
        if not line.withheld:
            raise ActionError(_("该绩效薪资未被暂缓发放。"))
        if not line.version.is_current:
            raise ActionError(_("只能解除当前版本的暂缓发放。"))
        _check_cleared(line)
        line.released_at, line.released_by, line.release_note = (
            timezone.now(),
            cast(User, actor),
            note.strip(),
        )
        line.save(update_fields=["released_at", "released_by", "release_note"])
    return line


def _check_cleared(line: CloseLine) -> None:
    period = line.version.period
    appraisal = Appraisal.objects.filter(period=period, employee=line.employee, is_current=True).first()
    if appraisal is None or appraisal.pk != line.appraisal_id:
        raise ActionError(_("考核表已更正(申诉成立)，得分可能变化，请重新结算本月。"))
    if appraisal.state != State.ARCHIVED:
        raise ActionError(_("考核表尚未归档(申诉尚未处理完毕)，不能发放。"))
    if appraisal.interview_missing:
        raise ActionError(_("尚未补录绩效面谈，不能发放。"))


# ---------------------------------------------------------------------------------------------
# The quarterly adjustment fund


def may_pay_from_fund(actor: AnyUser, department: Department) -> bool:
    """HR, or the head of the department (the 主管 who pays adjustment rewards) — to others (R-4.1:
    ``fund_payout`` refuses a reward to the actor themself)."""
    if is_company_wide(actor):
        return True
    return department.pk in selectors.headed_by(actor)


def fund_payout(
    *,
    department: Department,
    year: int,
    quarter: int,
    employee: Employee,
    amount: Decimal,
    reason: str,
    actor: AnyUser,
) -> FundPayout:
    """An adjustment reward (调节奖励) from the department's fund of a quarter, with a reason. The
    quarter's payouts may not exceed its opening balance plus its inflows (core.pay.fund_quarter)."""
    if not may_pay_from_fund(actor, department):
        raise PermissionDenied("only HR or the department head pays adjustment rewards")
    if is_own(actor, employee):
        raise PermissionDenied(_("不能向本人发放调节奖励，须由其他有权发放的人办理。"))
    if not 1 <= quarter <= 4:
        raise ActionError(_("季度必须在1到4之间。"), "quarter")
    if amount <= 0:
        raise ActionError(_("金额必须大于0。"), "amount")
    if employee.department.root.pk != department.pk:
        raise ActionError(_("只能奖励本部门员工。"), "employee")
    text = _required(reason, "reason")
    payout = FundPayout(
        department=department,
        year=year,
        quarter=quarter,
        employee=employee,
        amount=amount,
        reason=text,
        paid_by=cast(User, actor),
    )
    with transaction.atomic():
        _check_fund(department, year, quarter, amount)
        _save_with_reason(payout, actor, text)
    return payout


def _check_fund(department: Department, year: int, quarter: int, amount: Decimal) -> None:
    """The quarter's payouts with this one may not exceed its opening balance and inflows (R-5.4)."""
    rows = selectors.fund_ledger(department, until=(year, quarter))
    row = next(r for r in rows if (r.year, r.quarter) == (year, quarter))
    inflows = [amount for _month, amount in row.inflows]
    payouts = [*(payout.amount for payout in row.payouts), amount]
    try:
        fund_quarter(max(row.ledger.opening, Decimal(0)), inflows, payouts)
    except RuleError:
        raise ActionError(
            _("超出本季度调节基金余额(%(left)s元)。") % {"left": f"{max(row.available, Decimal(0)):.2f}"},
            "amount",
        ) from None


# ---------------------------------------------------------------------------------------------
# Settings (HR)


def pay_settings_update(
    *, actor: AnyUser, reason: str, fields: Mapping[str, Any], pay_factors: Mapping[str, str]
) -> PaySettings:
    """HR changes the company pay settings and the categories' pay-factor modes; the history
    tables keep each change with who and why."""
    _require_hr(actor)
    text = _required(reason, "reason")
    settings = PaySettings.load()
    for name, value in fields.items():
        setattr(settings, name, value)
    try:
        check_quotas(settings.custom_quotas())
    except RuleError:
        raise ActionError(_("五个等级的比例之和须为100%。"), "quota_a") from None
    with transaction.atomic():
        PaySettings.stored()  # the defaults stored first: HR's save is recorded as a change of them
        _save_with_reason(settings, actor, text)
        for category, mode in pay_factors.items():
            row = CategorySetting.objects.filter(category=category).first() or CategorySetting(
                category=category
            )
            if row.pk is None or row.pay_factor != mode:
                row.pay_factor = mode
                _save_with_reason(row, actor, text)
    return settings


def _save_with_reason(instance: Any, actor: AnyUser, reason: str) -> None:
    instance._change_reason = reason  # simple_history stores it on the history row
    instance._history_user = actor
    instance.save()


def coefficient_set(
    *, department: Department, year: int, month: int, value: Decimal, reason: str, actor: AnyUser
) -> DepartmentCoefficient:
    """HR sets a department's monthly coefficient d (R-5.3) with a reason; it applies from the next
    close of that month."""
    _require_hr(actor)
    _check_month(year, month)
    if department.parent_id is not None:
        raise ActionError(_("请选择部门(而非下属单位)。"), "department")
    if not Decimal(0) <= value <= Decimal(5):
        raise ActionError(_("系数须在0到5之间。"), "value")
    text = _required(reason, "reason")
    row = DepartmentCoefficient.objects.filter(department=department, year=year, month=month).first()
    row = row or DepartmentCoefficient(department=department, year=year, month=month)
    row.value, row.reason, row.set_by, row.set_at = value, text, cast(User, actor), timezone.now()
    with transaction.atomic():
        _save_with_reason(row, actor, text)
    return row
