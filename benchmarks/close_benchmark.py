"""Benchmark of the monthly close (issue 4, part 6).

Builds a synthetic company in a fresh database — by default 20,000 employees in 200 departments with a
year of archived appraisals (bulk inserts) — closes one month, and compares the close's time with one
bare SQL query that aggregates the same month's scores per department, in the same run. It also
checks that the close's number of queries does not grow with the employees: a second month appraises
a tenth of them, and both closes must issue the same number of queries.

    python benchmarks/run.py                      # SQLite (a temporary file), 20,000 employees
    python benchmarks/run.py --employees 2000     # smaller and faster
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python benchmarks/run.py

The database is a throw-away test database (Django's ``test_…``), never the configured one. The
figures are written to docs/performance.md (``--report``; ``--report -`` prints them only).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "performance.md"
MARKERS = "<!-- close-benchmark:{vendor}:start -->", "<!-- close-benchmark:{vendor}:end -->"
VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
YEAR, MONTH = 2025, 12  # the month closed; January … December hold the year of history
SMALL_YEAR, SMALL_MONTH = 2026, 1  # a month where only a tenth of the employees are appraised
CATEGORIES = [
    ("field_service", 40),
    ("tech_support", 20),
    ("repair", 20),
    ("tech_improvement", 10),
    ("regional_supervisor", 10),
]

BARE_QUERY = """
SELECT p.department_id, COUNT(*), SUM(a.form_total), AVG(a.form_total), SUM(e.standard_salary)
FROM appraisal_appraisal a
JOIN appraisal_period p ON p.id = a.period_id
JOIN organisation_employee e ON e.id = a.employee_id
WHERE a.is_current AND p.year = %s AND p.month = %s
GROUP BY p.department_id
"""


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=20_000, help="employees in the company (20000)")
    parser.add_argument("--departments", type=int, default=200, help="departments (200)")
    parser.add_argument("--months", type=int, default=12, help="months of appraisal history (12)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each measurement (3)")
    parser.add_argument("--report", default=str(REPORT), help="markdown file to update, or - to print only")
    parser.add_argument("--seed", type=int, default=4)
    return parser.parse_args(argv)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
    os.environ.setdefault("AFTERSALES_VAR_DIR", tempfile.mkdtemp(prefix="aftersales-bench-"))
    import django

    django.setup()


def create_database() -> tuple[str, Callable[[], None]]:
    """A fresh, migrated test database (SQLite: a temporary file, not memory). With
    ``AFTERSALES_BENCH_SCHEMA`` naming an already migrated SQLite file (the test suite's cached schema,
    tests/schema.py), SQLite starts from a copy of it instead of applying every migration."""
    from django.core.management import call_command
    from django.db import connection

    schema = os.environ.get("AFTERSALES_BENCH_SCHEMA", "")
    if connection.vendor == "sqlite" and schema:
        import shutil

        folder = tempfile.mkdtemp(prefix="aftersales-bench-")
        path = str(Path(folder) / "bench.sqlite3")
        shutil.copyfile(schema, path)
        connection.close()
        old_name = connection.settings_dict["NAME"]
        connection.settings_dict["NAME"] = path
        call_command("migrate", verbosity=0, interactive=False)  # nothing left to apply

        def destroy() -> None:
            connection.close()
            shutil.rmtree(folder, ignore_errors=True)

        return old_name, destroy
    if connection.vendor == "sqlite":
        folder = tempfile.mkdtemp(prefix="aftersales-bench-")
        connection.settings_dict["TEST"]["NAME"] = str(Path(folder) / "bench.sqlite3")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return old_name, lambda: connection.creation.destroy_test_db(old_name, verbosity=0)


# ---------------------------------------------------------------------------------------------
# The synthetic company


@dataclass
class Company:
    departments: list[Any]
    employees: list[Any]
    hr: Any


def build_company(employees: int, departments: int, months: int, seed: int) -> Company:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from aftersales.organisation import roles
    from aftersales.organisation.models import Department, Employee, Position
    from aftersales.payroll.models import PaySettings

    rng = random.Random(seed)
    with transaction.atomic():
        hr = get_user_model().objects.create(username="bench-hr")
        hr.groups.add(Group.objects.get_or_create(name=roles.HR)[0])
        positions = {
            code: Position.objects.create(code=code, name=code, category=code, standard_salary=5000)
            for code, _weight in CATEGORIES
        }
        depts = Department.objects.bulk_create(
            Department(code=f"d{i:03d}", name=f"部门{i:03d}", head_in_pool=i % 2 == 0)
            for i in range(departments)
        )
        codes = [code for code, weight in CATEGORIES for _ in range(weight)]
        staff = Employee.objects.bulk_create(
            Employee(
                number=f"B{i:06d}",
                name=f"员工{i}",
                department=depts[i % departments],
                position=positions[category],
                category=category,
                standard_salary=Decimal(rng.randrange(3000, 12001, 100)),
                active_from=date(2020, 1, 1),
            )
            for i, category in ((i, rng.choice(codes)) for i in range(employees))
        )
        for dept, head in zip(depts, staff, strict=False):  # the first employee of each is its head
            dept.head = head
        Department.objects.bulk_update(depts, ["head"])
        _history(depts, staff, hr, months, rng)
        _discipline(staff, hr, rng)
        _coefficients(depts, hr)
        PaySettings.stored()  # an installation has its settings row (the demo and HR's first save store it)
    return Company(depts, staff, hr)


def _history(depts: list[Any], staff: list[Any], hr: Any, months: int, rng: random.Random) -> None:
    """A year of periods and archived appraisals; the closed month has a few appealed and a few
    missing an interview; the small month appraises one employee in ten."""
    from aftersales.appraisal.models import Appraisal, Period, State

    month_list = [(YEAR, m) for m in range(MONTH - months + 1, MONTH + 1)] + [(SMALL_YEAR, SMALL_MONTH)]
    periods = Period.objects.bulk_create(
        Period(department=dept, year=year, month=month, status=Period.Status.CLOSED, opened_by=hr)
        for year, month in month_list
        for dept in depts
    )
    by_key = {(p.year, p.month, p.department_id): p for p in periods}
    for year, month in month_list:
        small = (year, month) == (SMALL_YEAR, SMALL_MONTH)
        rows = []
        for index, employee in enumerate(staff):
            if small and (index // len(depts)) % 10:  # a tenth of every department
                continue
            score = Decimal(rng.randrange(4000, 10001)) / 100
            closing = (year, month) == (YEAR, MONTH)
            rows.append(
                Appraisal(
                    period=by_key[(year, month, employee.department_id)],
                    employee=employee,
                    template_code=employee.category,
                    template_version=1,
                    state=State.APPEALED if closing and index % 97 == 5 else State.ARCHIVED,
                    form_total=score,
                    final_score=score,
                    grade="",
                    interview_missing=closing and index % 89 == 7,
                )
            )
        Appraisal.objects.bulk_create(rows, batch_size=5000)


def _discipline(staff: list[Any], hr: Any, rng: random.Random) -> None:
    from aftersales.discipline.models import DisciplineRecord, Kind, Status

    kinds = [Kind.COMMENDATION, Kind.MERIT, Kind.WARNING, Kind.DEMERIT]
    DisciplineRecord.objects.bulk_create(
        DisciplineRecord(
            employee=employee,
            kind=rng.choice(kinds),
            reason_text="基准测试",
            effective_date=date(YEAR, MONTH, 1 + index % 28),
            issuer=hr,
            status=Status.APPROVED,
        )
        for index, employee in enumerate(rng.sample(staff, max(1, len(staff) // 40)))
    )


def _coefficients(depts: list[Any], hr: Any) -> None:
    from aftersales.payroll.models import DepartmentCoefficient

    DepartmentCoefficient.objects.bulk_create(
        DepartmentCoefficient(
            department=dept, year=YEAR, month=MONTH, value=Decimal("0.9"), reason="基准测试", set_by=hr
        )
        for dept in depts[::5]
    )


# ---------------------------------------------------------------------------------------------
# Measurements


def timed(action: Callable[[], Any], repeat: int) -> tuple[float, list[float]]:
    """Median seconds of ``repeat`` runs (and all runs)."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), runs


def rolled_back(action: Callable[[], Any]) -> Callable[[], Any]:
    """The action inside a transaction that is rolled back: every run closes from scratch."""
    from django.db import transaction

    def run() -> Any:
        with transaction.atomic():
            result = action()
            transaction.set_rollback(True)
        return result

    return run


def bare_query(year: int, month: int) -> list[Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(BARE_QUERY, [year, month])
        return cursor.fetchall()


def raw_fetch(year: int, month: int) -> list[Any]:
    """For reference: the close's own query of the month's appraisals, fetched with a bare cursor
    (no Django rows, no converters) — the least any close has to read."""
    from django.db import connection

    from aftersales.appraisal.models import Appraisal, Period
    from aftersales.payroll.selectors import APPRAISAL_FIELDS

    periods = Period.objects.filter(year=year, month=month)
    rows = Appraisal.objects.filter(is_current=True, period__in=periods).order_by()
    sql, params = rows.values_list(*APPRAISAL_FIELDS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def write_floor(hr: Any, year: int, month: int) -> float:
    """The least any close has to do, timed: write one line per appraisal of the month — one
    INSERT … SELECT of constants and copied columns into the same table, with no rules at all
    (rolled back). The close can be no faster than this."""
    from django.db import connection, transaction

    from aftersales.appraisal.models import Period
    from aftersales.payroll.models import CloseLine, CloseVersion
    from aftersales.payroll.services import LINE_COLUMNS

    copied = {
        "employee_id": "a.employee_id",
        "appraisal_id": "a.id",
        "unit_id": "e.department_id",
        "category": "e.category",
        "standard_salary": "e.standard_salary",
        "form_total": "a.form_total",
        "final_score": "a.form_total",
    }
    meta, quote = CloseLine._meta, connection.ops.quote_name

    def value(name: str) -> str:
        field = meta.get_field(name)
        if name in copied:
            return copied[name]
        if field.get_internal_type() == "BooleanField":
            return "a.is_current"
        if field.null:
            return "NULL"
        return "0" if field.get_internal_type() == "DecimalField" else "''"

    columns = ", ".join(quote(meta.get_field(name).column) for name in ("version_id", *LINE_COLUMNS))
    values = ", ".join(value(name) for name in LINE_COLUMNS)
    sql = f"""
        INSERT INTO {quote(meta.db_table)} ({columns})
        SELECT v.id, {values}
        FROM appraisal_appraisal a
        JOIN appraisal_period p ON p.id = a.period_id
        JOIN payroll_closeversion v ON v.period_id = p.id AND v.is_current
        JOIN organisation_employee e ON e.id = a.employee_id
        WHERE a.is_current AND p.year = %s AND p.month = %s"""
    with transaction.atomic():
        periods = Period.objects.filter(year=year, month=month)
        CloseVersion.objects.bulk_create(
            CloseVersion(
                period=period,
                year=period.year,
                number=1,
                closed_by=hr,
                pay_ratio=0,
                rounding_unit=1,
                score_cap=100,
                quotas={},
                coefficient=1,
                head_in_pool=True,
                pool_base=0,
                distributable=0,
                fund_inflow=0,
            )
            for period in periods
        )
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, [year, month])
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def close(hr: Any, year: int, month: int) -> Any:
    from aftersales.payroll.services import close_run

    return close_run(department=None, year=year, month=month, actor=hr, reason="基准测试")


def count_queries(action: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def phases(hr: Any, repeat: int) -> dict[str, float]:
    """Where the close's time goes: reading its inputs, computing the pools (rules core)."""
    from aftersales.payroll import selectors
    from aftersales.payroll.calculation import close_pool

    read, _runs = timed(lambda: selectors.close_inputs(year=YEAR, month=MONTH), repeat)
    inputs = selectors.close_inputs(year=YEAR, month=MONTH)
    compute, _runs = timed(lambda: [close_pool(p.members, inputs.rules_for(p)) for p in inputs.pools], repeat)
    return {"read": read, "compute": compute}


def measure(company: Company, repeat: int) -> dict[str, Any]:
    from django.db import connection

    from aftersales.payroll.models import CloseLine

    hr = company.hr
    figures: dict[str, Any] = {}
    rows = bare_query(YEAR, MONTH)
    figures["departments_closed"] = len(rows)
    figures["lines"] = sum(row[1] for row in rows)
    figures["bare_query"], figures["bare_query_runs"] = timed(lambda: bare_query(YEAR, MONTH), max(repeat, 5))
    figures["raw_fetch"], _runs = timed(lambda: raw_fetch(YEAR, MONTH), max(repeat, 5))
    figures["floor"] = statistics.median(write_floor(hr, YEAR, MONTH) for _ in range(max(repeat, 5)))
    figures["close"], figures["close_runs"] = timed(rolled_back(lambda: close(hr, YEAR, MONTH)), repeat)
    figures.update(phases(hr, repeat))
    figures["queries_small"] = count_queries(rolled_back(lambda: close(hr, SMALL_YEAR, SMALL_MONTH)))
    figures["queries_large"] = count_queries(rolled_back(lambda: close(hr, YEAR, MONTH)))
    figures["employees_small"] = sum(row[1] for row in bare_query(SMALL_YEAR, SMALL_MONTH))
    figures["close_committed"], _runs = timed(lambda: close(hr, YEAR, MONTH), 1)
    figures["lines_written"] = CloseLine.objects.count()
    figures["rerun"], _runs = timed(lambda: close(hr, YEAR, MONTH), repeat)  # idempotent: nothing new
    figures["ratio"] = figures["close"] / figures["bare_query"]
    figures["floor_ratio"] = figures["floor"] / figures["bare_query"]
    figures["vendor"] = VENDORS.get(connection.vendor, connection.vendor)
    return figures


# ---------------------------------------------------------------------------------------------
# The report


def machine() -> str:
    from django import get_version
    from django.db import connection

    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        lines = cpuinfo.read_text().splitlines()
        names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
        cpu = names[0] if names else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split()[1])
        memory = f", {total_kb / 1024 / 1024:.0f} GB RAM"
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        db_version = cursor.fetchone()[0]
    return (
        f"{cpu}, {os.cpu_count()} CPUs{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {get_version()}, {connection.vendor} {db_version}"
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _command() -> str:
    prefix = "DATABASE_URL=… " if os.environ.get("DATABASE_URL") else ""
    return prefix + (" ".join(["python benchmarks/run.py", *sys.argv[1:]]) if sys.argv[1:] else "make bench")


def report(args: argparse.Namespace, figures: dict[str, Any], built: float, where: str) -> str:
    lines, departments = figures["lines"], figures["departments_closed"]
    rest = figures["close"] - figures["read"] - figures["compute"]
    rows = [
        (f"one bare SQL query: the month's scores by department ({departments} rows)", figures["bare_query"]),
        (f"close of the month, whole company ({lines:,} lines; rolled back each run)", figures["close"]),
        ("— reading its inputs (about ten queries)", figures["read"]),
        ("— computing grades and pay in memory (the rules core)", figures["compute"]),
        (f"— the rest: fingerprints, writing {departments} versions and {lines:,} lines", rest),
        ("the same close, committed", figures["close_committed"]),
        (f"for reference: the close's query of the {lines:,} appraisals, bare cursor", figures["raw_fetch"]),
        (
            f"for reference: writing {lines:,} lines and nothing else (one INSERT … SELECT, no rules)",
            figures["floor"],
        ),
        ("closing the month again (idempotent: nothing is written)", figures["rerun"]),
    ]
    table = "\n".join(f"| {name} | {_ms(seconds)} |" for name, seconds in rows)
    verdict = "met" if figures["ratio"] <= 3 else "not met"
    same = figures["queries_small"] == figures["queries_large"]
    database = "DATABASE_URL" if os.environ.get("DATABASE_URL") else "SQLite, a temporary file"
    start, end = markers()
    return f"""{start}
### {figures["vendor"]}

- Date: {time.strftime("%Y-%m-%d %H:%M %Z")}
- Machine: {where}
- Command: `{_command()}` (database: {database})
- Company: {args.employees:,} employees in {args.departments} departments, {args.months} months of
  archived appraisals ({args.employees * args.months:,} rows) and one more month where a tenth of the
  employees are appraised; built with bulk inserts in {built:.0f} s.

| measurement | median |
|---|---|
{table}

- **close / bare query = {figures["ratio"]:.1f}×** (target ≤ 3×: {verdict}).
- Writing the lines alone, with no rules = {figures["floor_ratio"]:.1f}× the bare query: no close that stores
  a line per employee can be faster than that.
- Queries of a close: {figures["queries_small"]} with {figures["employees_small"]:,} employees, \
{figures["queries_large"]} with {lines:,} — {"the same: the count does not grow" if same else "DIFFERENT"}.
{end}"""


def markers() -> tuple[str, str]:
    """The report's section of this database kind (SQLite and PostgreSQL figures stand side by side)."""
    from django.db import connection

    return tuple(marker.format(vendor=connection.vendor) for marker in MARKERS)  # type: ignore[return-value]


def write(text: str, path: str) -> None:
    if path == "-":
        print(text)
        return
    target = Path(path)
    old = target.read_text(encoding="utf-8") if target.exists() else "# Performance\n"
    start, end = markers()
    if start in old and end in old:
        new = old[: old.index(start)] + text + old[old.index(end) + len(end) :]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    target.write_text(new, encoding="utf-8")
    print(text)
    print(f"\nwritten to {target}")


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    setup_django()
    _old, destroy = create_database()
    try:
        where = machine()
        started = time.perf_counter()
        company = build_company(args.employees, args.departments, args.months, args.seed)
        built = time.perf_counter() - started
        figures = measure(company, args.repeat)
    finally:
        destroy()
    write(report(args, figures, built, where), args.report)
    return 0 if figures["queries_small"] == figures["queries_large"] else 1


if __name__ == "__main__":
    sys.exit(main())
