"""`aftersales serve [--demo] [--host 127.0.0.1] [--port 8000]` (CONTRACTS.md).

Applies migrations, optionally loads the demo organisation (idempotent), prints the demo logins
and serves the web application and the API with waitress (static files by whitenoise). Behind a TLS
proxy, ``--trusted-proxy`` (or ``AFTERSALES_TRUSTED_PROXY``) lets waitress believe the proxy's
X-Forwarded-Proto, so Django sees HTTPS (no redirect loop, HSTS sent). Unless ``--no-scheduler``, a
thread runs the periodic jobs (aftersales.web.scheduler); unless ``--no-worker``, another works off the
background jobs' database queue (aftersales.jobs.worker). ``--processes N`` (or
``AFTERSALES_PROCESSES``; POSIX) serves from N processes on one socket (aftersales.cli.prefork), the
periodic jobs and the queue's worker in the first of them only.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys

DEMO_WARNING = (
    "演示/开发模式 DEMO MODE: AFTERSALES_ENV is not 'production' — published secret key, local hosts only,\n"
    "  not for real data. Production: docs/operations.md."
)


def main(args: list[str]) -> int:
    import django
    from django.conf import settings

    from aftersales.settings import VAR_DIR

    parser = argparse.ArgumentParser(prog="aftersales serve", description="Serve the web application.")
    parser.add_argument("--demo", action="store_true", help="load the demo organisation (idempotent)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--processes",
        type=int,
        default=int(os.environ.get("AFTERSALES_PROCESSES", "1") or 1),
        help="server processes on the one port, about one per core (POSIX; env AFTERSALES_PROCESSES)",
    )
    parser.add_argument(
        "--trusted-proxy",
        default=settings.TRUSTED_PROXY,
        help="address of the TLS proxy whose X-Forwarded-* headers are believed "
        "(env AFTERSALES_TRUSTED_PROXY)",
    )
    parser.add_argument(
        "--no-scheduler", action="store_true", help="do not run the periodic jobs in this process"
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="leave the background jobs' database queue to aftersales jobs_worker",
    )
    options = parser.parse_args(args)
    if options.processes < 1 or (options.processes > 1 and not hasattr(os, "fork")):
        sys.stderr.write(
            "error: --processes: one or more; more than one needs a POSIX system (on Windows run "
            "several services on different ports behind the proxy)\n"
        )
        return 2
    if options.demo and settings.PRODUCTION:
        sys.stderr.write(
            "error: --demo: refused in production (it creates logins with a published password)\n"
        )
        return 2

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if not settings.PRODUCTION:
        print(DEMO_WARNING)
    if options.demo:
        from aftersales.demo import DEMO_PASSWORD, demo_logins, load_demo

        load_demo()
        print(f"演示账号 / demo logins (password: {DEMO_PASSWORD}):")
        for username, role in demo_logins():
            print(f"  {username:<14} {role}")
    from waitress import serve

    from aftersales.wsgi import application

    listening: dict[str, object] = (
        {"host": options.host, "port": options.port}
        if options.processes == 1
        else {"sockets": [_listen(options.host, options.port)]}  # opened once, shared by the processes
    )

    def run_process(index: int) -> None:
        """One server process; the first also runs the periodic jobs and the queue's worker."""
        if index == 0 and not options.no_scheduler:
            from aftersales.web.scheduler import start_scheduler

            start_scheduler()
        if index == 0 and not options.no_worker:
            from aftersales.jobs.worker import start_worker

            start_worker()  # with the database queue only: Redis's jobs go to `aftersales jobs_worker`
        serve(
            application,
            threads=options.threads,
            ident="aftersales",
            **listening,
            **_proxy(options.trusted_proxy, settings.TRUSTED_PROXY_HEADERS),
        )

    shown = f" ({options.processes} processes)" if options.processes > 1 else ""
    print(f"Aftersales: http://{options.host}:{options.port}/{shown}  (Ctrl+C to stop)", flush=True)
    sys.stdout.flush()
    if options.processes == 1:
        run_process(0)
        return 0
    import gc

    from django.db import connections

    from aftersales.cli.prefork import supervise

    connections.close_all()  # no connection may be shared by the processes
    gc.freeze()  # what is loaded now stays shared with the processes (no copy on the collector's write)
    return supervise(options.processes, run_process)


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket the processes share (as waitress would open it)."""
    family, kind, proto, _name, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(1024)
    return sock


def _proxy(address: str, headers: str) -> dict[str, object]:
    """waitress' trusted-proxy options: without a proxy it drops every X-Forwarded-* header."""
    if not address:
        return {}
    return {"trusted_proxy": address, "trusted_proxy_count": 1, "trusted_proxy_headers": headers}
