"""Profile one page on a database kept by the pages benchmark (``pages_benchmark.py --keep`` prints
its URLs): the median time of warm requests, the queries with their times (the slowest first, with
the database's plan on request) and where the Python time goes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test_test \\
        python benchmarks/profile_page.py /payroll/ --explain 3 --profile 25

It only reads (GET requests through Django's test client, as the benchmark measures them).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import close_benchmark as shared


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="the page, e.g. /payroll/ or /api/payroll/closes/")
    parser.add_argument("--user", default="bench-hr", help="who asks (bench-hr)")
    parser.add_argument("--repeat", type=int, default=7, help="timed requests (7)")
    parser.add_argument("--explain", type=int, default=0, help="show the plan of the N slowest queries")
    parser.add_argument("--profile", type=int, default=0, help="show the N functions of most own time")
    parser.add_argument("--deep", type=int, default=0, help="an API list: follow its next link N times first")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    shared.setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(get_user_model().objects.get(username=args.user))
    for _ in range(args.deep):
        following = client.get(args.path).json().get("next")
        if not following:
            break
        args.path = following
    answer = client.get(args.path)
    print(f"{args.path}: {answer.status_code}, {len(answer.content):,} bytes")
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        client.get(args.path)
        times.append(time.perf_counter() - start)
    print(f"median of {args.repeat}: {statistics.median(times) * 1000:.1f} ms")
    with CaptureQueriesContext(connection) as queries:
        client.get(args.path)
    ranked = sorted(queries.captured_queries, key=lambda query: -float(query["time"]))
    total = sum(float(query["time"]) for query in ranked)
    print(f"{len(ranked)} queries, {total * 1000:.1f} ms in all; the slowest:")
    for query in ranked[:10]:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
    for query in ranked[: args.explain]:
        plan = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(plan + query["sql"])
            print("\n" + query["sql"][:400] + "\n" + "\n".join(str(row) for row in cursor.fetchall()))
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(client.get, args.path)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.profile)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
