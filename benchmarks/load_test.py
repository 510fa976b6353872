"""A bounded load test of the production server (issue 11): ``clients`` threads for ``seconds``, each
asking for the pages of a mix (HR's or an employee's) in random order, as a signed-in user behind a
TLS proxy. Reports requests/s and the 50th/95th/99th percentile latency of each mix, and every answer
that is not 200 as an error.

Each request comes on a connection of its own, as the documented nginx set-up sends them (HTTP/1.0 to
the app, no upstream keep-alive: docs/operations.md). With one keep-alive connection per client, each
client stayed on the server process that accepted it for the whole run, so the figures depended on how
the 8 connections happened to fall on the processes (the same code measured HR p95 269 and 411 ms in
two runs: HR's clients together on one process, or not).

Used by ``benchmarks/pages_benchmark.py --load 60`` on the company it built (the real ``aftersales
serve`` — waitress, ``AFTERSALES_ENV=production`` — in a process of its own on the same database).
"""

from __future__ import annotations

import http.client
import random
import statistics
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Mix:
    name: str
    cookie: str  # the session cookie of the user the mix signs in as
    urls: list[str]


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_url: dict[str, list[float]] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    def row(self) -> str:
        return (
            f"| {self.name} | {self.requests / self.seconds:.1f} | {self.percentile(50) * 1000:.0f} ms | "
            f"{self.percentile(95) * 1000:.0f} ms | {self.percentile(99) * 1000:.0f} ms | "
            f"{len(self.errors)} |"
        )


def run(port: int, mixes: list[Mix], clients: int, seconds: float, seed: int = 7) -> list[Result]:
    """Run every mix at the same time, ``clients`` threads shared out between them (at least one
    each), for ``seconds``."""
    results = {mix.name: Result(mix.name, seconds) for mix in mixes}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    shares = [mixes[i % len(mixes)] for i in range(max(clients, len(mixes)))]

    def client(index: int, mix: Mix) -> None:
        rng = random.Random(seed + index)
        headers = {"Cookie": mix.cookie, "X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        latencies, errors = [], []
        by_url: dict[str, list[float]] = {}
        while time.monotonic() < deadline:
            url = rng.choice(mix.urls)
            start = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                connection.request("GET", url, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                errors.append(f"{url}: {error}")
                continue
            finally:
                connection.close()
            if status == 200:
                latencies.append(time.perf_counter() - start)
                by_url.setdefault(url, []).append(latencies[-1])
            else:
                errors.append(f"{url}: {status}")
        with lock:
            results[mix.name].latencies += latencies
            results[mix.name].errors += errors
            for url, times in by_url.items():
                results[mix.name].by_url.setdefault(url, []).extend(times)

    threads = [threading.Thread(target=client, args=(i, mix)) for i, mix in enumerate(shares)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return list(results.values())


def report(results: list[Result], clients: int, seconds: float, processes: int) -> list[str]:
    lines = [
        "",
        f"Load test: the production server (`aftersales serve --processes {processes}`, waitress, "
        f"8 threads a process), {clients} clients "
        f"on loopback for {seconds:.0f} s (a connection per request, as from nginx), the HR mix and the "
        "employee mix at the same time.",
        "",
        "| mix | requests/s | p50 | p95 | p99 | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [result.row() for result in results]
    for result in results:
        slowest = sorted(result.by_url.items(), key=lambda item: -statistics.median(item[1]))[:3]
        shown = ", ".join(
            f"`{url.split('?')[0]}` {statistics.median(times) * 1000:.0f} ms" for url, times in slowest
        )
        lines.append(f"- slowest pages of the {result.name} (median): {shown}")
    for result in results:
        if result.errors:
            shown = ", ".join(sorted(set(result.errors))[:5])
            lines.append(f"- errors of the {result.name}: {shown}")
    total = sum(r.requests for r in results)
    lines.append(
        f"- {total} requests in all; median of all: "
        f"{statistics.median([x for r in results for x in r.latencies]) * 1000:.0f} ms."
    )
    return lines
