"""Benchmark of HR's pages with years of history (issue 11: lists that do not grow with history).

Builds a synthetic company in a fresh database — by default 20,000 employees in 200 departments, one
of them of 2,000 people — closes every month of one year (archived appraisals, a company close per
month), copies the database, then adds four more years of closed history *before* that year, and measures
HR's pages on the copy (1 year) and on the grown database (5 years) in turns, page by page, so
that the machine's load touches both alike. Each figure is the median of ``--repeat`` warm
requests through Django's test client (no network). Query counts are asserted by the tests
(tests/*/test_queries.py, tests/payroll/test_pages.py), not here.

    python benchmarks/pages_benchmark.py                          # SQLite (a temporary file)
    python benchmarks/pages_benchmark.py --employees 2000 --big 200 --departments 20
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python benchmarks/pages_benchmark.py

The database is a throw-away test database, never the configured one. The figures go to
docs/performance.md (``--report``; ``--report -`` prints them only). Targets (issue 11): each page
with five years ≤ 1.2 × its time with one year; each page ≤ 300 ms; query counts equal.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sqlite3
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import close_benchmark as shared

REPORT = shared.REPORT
LATEST = 2025  # the year measured first; the history added later lies before it
CATEGORIES = shared.CATEGORIES


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=20_000, help="employees (20000)")
    parser.add_argument("--departments", type=int, default=200, help="departments (200)")
    parser.add_argument("--big", type=int, default=2_000, help="people of the largest department (2000)")
    parser.add_argument("--years", type=int, default=5, help="years of history of the second round (5)")
    parser.add_argument("--repeat", type=int, default=9, help="timed requests per page (9)")
    parser.add_argument("--report", default=str(REPORT), help="markdown file to update, or - to print only")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep both databases afterwards and print their URLs (to profile a page on them: "
        "benchmarks/profile_page.py)",
    )
    parser.add_argument("--load", type=float, default=60, help="seconds of the load test after (60; 0: none)")
    parser.add_argument("--clients", type=int, default=8, help="clients of the load test (8)")
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="server processes of the load test (`serve --processes`; default: one per core)",
    )
    return parser.parse_args(argv)


@dataclass
class Company:
    departments: list[Any]
    employees: list[Any]
    hr: Any
    big: Any
    big_size: int


def build_company(employees: int, departments: int, big: int, seed: int) -> Company:
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

        def department_of(index: int) -> Any:  # the first ``big`` people in d000, the rest spread
            return depts[0] if index < big else depts[1 + index % (departments - 1)]

        staff = Employee.objects.bulk_create(
            Employee(
                number=f"B{i:06d}",
                name=f"员工{i}",
                department=department_of(i),
                position=positions[category],
                category=category,
                standard_salary=Decimal(rng.randrange(3000, 12001, 100)),
                active_from=date(2015, 1, 1),
            )
            for i, category in ((i, rng.choice(codes)) for i in range(employees))
        )
        heads: dict[int, Any] = {}
        for employee in staff:
            heads.setdefault(employee.department_id, employee)
        for dept in depts:
            dept.head = heads.get(dept.pk)
        Department.objects.bulk_update(depts, ["head"])
        PaySettings.stored()
    return Company(depts, staff, hr, depts[0], big)


def add_closed_year(company: Company, year: int, rng: random.Random) -> None:
    """Twelve months of periods and archived appraisals, each month closed for the whole company."""
    from django.db import transaction

    from aftersales.appraisal.models import Appraisal, Period, State
    from aftersales.discipline.models import DisciplineRecord, Kind, Status
    from aftersales.payroll.services import close_run

    for month in range(1, 13):
        with transaction.atomic():
            periods = Period.objects.bulk_create(
                Period(
                    department=d, year=year, month=month, status=Period.Status.CLOSED, opened_by=company.hr
                )
                for d in company.departments
            )
            by_department = {p.department_id: p for p in periods}
            rows = []
            for employee in company.employees:
                if company.departments[0].head_id == employee.pk:
                    continue
                score = Decimal(rng.randrange(6000, 10001)) / 100
                rows.append(
                    Appraisal(
                        period=by_department[employee.department_id],
                        employee=employee,
                        template_code=employee.category,
                        template_version=1,
                        state=State.ARCHIVED,
                        form_total=score,
                        final_score=score,
                        grade="",
                    )
                )
            Appraisal.objects.bulk_create(rows, batch_size=5000)
            DisciplineRecord.objects.bulk_create(
                DisciplineRecord(
                    employee=employee,
                    kind=rng.choice([Kind.COMMENDATION, Kind.WARNING]),
                    reason_text="基准测试",
                    effective_date=date(year, month, 1 + index % 28),
                    issuer=company.hr,
                    status=Status.APPROVED,
                )
                for index, employee in enumerate(
                    rng.sample(company.employees, max(1, len(company.employees) // 100))
                )
            )
        close_run(department=None, year=year, month=month, actor=company.hr)


def pages(company: Company) -> dict[str, str]:
    """HR's pages and API lists, by name → URL (the pay sheet: the big department's latest month)."""
    from django.urls import reverse

    from aftersales.payroll.models import CloseVersion

    sheet = CloseVersion.objects.get(
        period__department=company.big, period__year=LATEST, period__month=12, is_current=True
    )
    return {
        "appraisal list": reverse("appraisal:index"),
        "periods": reverse("appraisal:period-list"),
        "payroll index": reverse("payroll:index"),
        "payroll overview": reverse("payroll:overview") + f"?year={LATEST}",
        f"pay sheet ({company.big_size:,} people)": reverse("payroll:close-detail", args=[sheet.pk]),
        # above JOBS_THRESHOLD lines the request only queues a job (302 to its page); the job's work
        # (reading the lines and writing the workbook) is measured inline, as if under the threshold
        "pay sheet .xlsx, request (queued)": reverse("payroll:close-xlsx", args=[sheet.pk]),
        "pay sheet .xlsx, the job's work": "inline:" + reverse("payroll:close-xlsx", args=[sheet.pk]),
        "discipline list": reverse("discipline:index"),
        "to-do list": reverse("todo:index"),
        "API appraisals, deep": "deep:api-appraisal:appraisal-list",
        "API pay lines, deep": "deep:api-payroll:line-list",
        "API closes": reverse("api-payroll:close-list"),
    }


def deep_url(client: Any, name: str) -> str:
    """An API list 200 pages in (cursor pagination: followed link by link, once)."""
    from django.urls import reverse

    url = reverse(name)
    for _ in range(200):
        body = client.get(url).json()
        if not body.get("next"):
            break
        url = body["next"]
    return url


def measure(company: Company, client: Any, repeat: int, databases: Databases) -> tuple[dict, dict]:
    """Each page on the 1-year and on the 5-year database *in turns* (A, B, A, B …), so a change of
    the machine's load during the run touches both alike: per round, the database is switched, the
    page asked once to warm that connection, then timed. Medians of ``repeat`` rounds; query counts
    from a captured request on each."""
    import gc

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    # what building the history left in this process's memory is not the server's: keep it out of
    # the garbage collector's full passes, as a fresh server process would not have it
    gc.collect()
    gc.freeze()
    figures: dict[str, dict[str, tuple[float, int]]] = {"one": {}, "five": {}}
    for name, page in pages(company).items():
        inline = page.startswith("inline:")
        page = page.removeprefix("inline:")
        urls = {}
        for which in ("one", "five"):
            databases.use(which)
            urls[which] = deep_url(client, page.removeprefix("deep:")) if page.startswith("deep:") else page
        times: dict[str, list[float]] = {"one": [], "five": []}
        counts: dict[str, int] = {}
        with override_settings(JOBS_THRESHOLD=10**9) if inline else contextlib.nullcontext():
            for _ in range(repeat):
                for which in ("one", "five"):
                    databases.use(which)
                    response = client.get(urls[which])  # warm this connection
                    queued = "(queued)" in name and company.big_size > settings.JOBS_THRESHOLD
                    expected = 302 if queued else 200  # queued: to the job's page
                    assert response.status_code == expected, (name, which, response.status_code)
                    if which not in counts:
                        with CaptureQueriesContext(connection) as queries:
                            client.get(urls[which])
                        counts[which] = len(queries)
                    start = time.perf_counter()
                    client.get(urls[which])
                    times[which].append(time.perf_counter() - start)
        for which in ("one", "five"):
            figures[which][name] = (statistics.median(times[which]), counts[which])
    databases.use("five")
    _purge_queued_jobs()
    return figures["one"], figures["five"]


def _purge_queued_jobs() -> None:
    """The queued pay-sheet requests above left jobs in the queue: drop them, so that the load test's
    server does not spend its time working them off."""
    from django_tasks_db.models import DBTaskResult

    from aftersales.jobs.models import Job

    DBTaskResult.objects.all().delete()
    Job.objects.all().delete()


class Databases:
    """The benchmark's database ("five", where the history grows) and a copy taken after the first
    year ("one"); ``use`` points Django's connection at either."""

    def __init__(self) -> None:
        from django.db import connection

        self.names = {"five": connection.settings_dict["NAME"]}

    def clone_one(self) -> None:
        """Copy the database as it is now (one year) to "one"."""
        import shutil

        from django.db import connection

        source = self.names["five"]
        connection.close()
        if connection.vendor == "sqlite":
            with sqlite3.connect(source) as raw:
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.names["one"] = source + ".one"
            shutil.copyfile(source, self.names["one"])
        else:
            self.names["one"] = source + "_one"
            self._admin(f'DROP DATABASE IF EXISTS "{self.names["one"]}"')
            self._admin(f'CREATE DATABASE "{self.names["one"]}" TEMPLATE "{source}"')
        self.use("five")

    def use(self, which: str) -> None:
        from django.db import connection

        if connection.settings_dict["NAME"] != self.names[which]:
            connection.close()
            connection.settings_dict["NAME"] = self.names[which]
        connection.ensure_connection()

    def drop_one(self) -> None:

        from django.db import connection

        self.use("five")
        if "one" not in self.names:
            return
        if connection.vendor == "sqlite":
            os.remove(self.names["one"])
        else:
            self._admin(f'DROP DATABASE IF EXISTS "{self.names["one"]}"')

    @staticmethod
    def _admin(sql: str) -> None:
        from django.db import connection

        with connection._nodb_cursor() as cursor:  # the server's maintenance database
            cursor.execute(sql)


def analyse() -> None:
    """PostgreSQL's autovacuum would have analysed tables this size long ago; SQLite is left as the
    product leaves it (no ANALYZE: its planner's defaults suit the skewed state columns)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def database_url() -> str:
    """The URL of the benchmark's database, for the server process of the load test."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def load(company: Company, args: argparse.Namespace) -> list[str]:
    """Run the load test against the production server on this database (benchmarks/load_test.py):
    the HR mix (the pages measured above, without the .xlsx download) and the employee mix (an
    employee's home page, to-do count, appraisals and pay)."""
    import secrets
    import subprocess

    import load_test
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    # the server must sign and check sessions with the key the sessions below are made with
    settings.SECRET_KEY = secrets.token_urlsafe(60)
    employee = company.employees[len(company.employees) // 2]
    user = get_user_model().objects.create(username="bench-employee")
    employee.user = user
    employee.save(update_fields=["user"])

    def cookie(who: Any) -> str:
        client = Client()
        client.force_login(who)
        return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    hr_client = Client()
    hr_client.force_login(company.hr)
    hr_urls = [
        deep_url(hr_client, url.removeprefix("deep:")) if url.startswith("deep:") else url
        for name, url in pages(company).items()
        if ".xlsx" not in name
    ]
    mine = [reverse("web:home"), reverse("todo:count"), reverse("appraisal:index"), reverse("payroll:index")]
    mixes = [
        load_test.Mix("HR mix", cookie(company.hr), hr_urls),
        load_test.Mix("employee mix", cookie(user), mine),
    ]
    port = shared_free_port()
    env = {
        **os.environ,
        "AFTERSALES_ENV": "production",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "AFTERSALES_TRUSTED_PROXY": "127.0.0.1",
        "DATABASE_URL": database_url(),
    }
    env.pop("DEBUG", None)
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "aftersales", "serve", "--port", str(port), "--no-scheduler"),
            *("--processes", str(args.processes)),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(port, server)
        load_test.run(port, mixes, args.clients, 5)  # warm the server's caches and connections
        results = load_test.run(port, mixes, args.clients, args.load)
    finally:
        server.terminate()
        server.communicate(timeout=60)
    return load_test.report(results, args.clients, args.load, args.processes)


def shared_free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, server: Any) -> None:
    import socket

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited: {server.communicate()[1]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start listening")


def report(
    args: argparse.Namespace,
    one: dict,
    five: dict,
    built: list[float],
    where: str,
    vendor: str,
    loaded: list[str] | None = None,
) -> str:
    start, end = _markers(vendor)
    lines = [
        start,
        f"### {shared.VENDORS.get(vendor, vendor)}",
        "",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Machine: {where}",
        f"- Command: `{_command(args)}`",
        f"- Company: {args.employees:,} employees in {args.departments} departments (the largest "
        f"{args.big:,}); the first year built and closed in {built[0]:.0f} s, the other "
        f"{args.years - 1} years in {built[1]:.0f} s.",
        "",
        f"| page (HR) | 1 year | {args.years} years | ratio |",
        "|---|---:|---:|---:|",
    ]
    for name, (first, _queries) in one.items():
        later, _queries = five[name]
        lines.append(f"| {name} | {first * 1000:.0f} ms | {later * 1000:.0f} ms | {later / first:.2f} |")
    lines += loaded or []
    lines.append(end)
    return "\n".join(lines)


def _markers(vendor: str) -> tuple[str, str]:
    return f"<!-- pages-benchmark:{vendor}:start -->", f"<!-- pages-benchmark:{vendor}:end -->"


def write_section(text: str, path: str, vendor: str) -> None:
    """Replace this database kind's section of the report (or add it under the pages heading)."""
    target = Path(path)
    old = target.read_text(encoding="utf-8")
    start, end = _markers(vendor)
    if start in old and end in old:
        new = old[: old.index(start)] + text + old[old.index(end) + len(end) :]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    target.write_text(new, encoding="utf-8")


def _command(args: argparse.Namespace) -> str:
    prefix = "DATABASE_URL=… " if os.environ.get("DATABASE_URL") else ""
    return (
        prefix
        + "python benchmarks/pages_benchmark.py "
        + " ".join(
            f"--{key} {value}" for key, value in vars(args).items() if key not in ("report", "seed", "keep")
        )
    )


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    shared.setup_django()
    from django.conf import settings
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection, reset_queries

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    # one connection for the whole run, and a query log that a request does not reset (as in tests)
    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    _old, destroy = shared.create_database()
    vendor = connection.vendor
    databases = company = None
    try:
        where = shared.machine()
        rng = random.Random(args.seed)
        start = time.perf_counter()
        company = build_company(args.employees, args.departments, args.big, args.seed)
        add_closed_year(company, LATEST, rng)
        built = [time.perf_counter() - start]
        analyse()
        databases = Databases()
        from django.test import Client

        client = Client()
        client.force_login(company.hr)  # HR's session, in the copy too
        databases.clone_one()
        start = time.perf_counter()
        for year in range(LATEST - 1, LATEST - args.years, -1):
            add_closed_year(company, year, rng)
        built.append(time.perf_counter() - start)
        analyse()
        one, five = measure(company, client, args.repeat, databases)
        if not args.keep:
            databases.drop_one()
        loaded = load(company, args) if args.load > 0 else None
    finally:
        if args.keep and databases is not None and company is not None:
            for which in ("one", "five"):
                databases.use(which)
                print(f"kept ({which}): DATABASE_URL={database_url()}  HR: {company.hr.username}")
            databases.use("five")
        else:
            destroy()
    text = report(args, one, five, built, where, vendor, loaded)
    print(text)
    if args.report != "-":
        write_section(text, args.report, vendor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
