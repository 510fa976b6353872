"""`aftersales serve [--demo] [--host 127.0.0.1] [--port 8000]` (CONTRACTS.md).

Applies migrations, optionally loads the demo organisation (idempotent), prints the demo logins
and serves the web application and the API with waitress (static files by whitenoise).
"""

from __future__ import annotations

import argparse
import sys


def main(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="aftersales serve", description="Serve the web application.")
    parser.add_argument("--demo", action="store_true", help="load the demo organisation (idempotent)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--threads", type=int, default=8)
    options = parser.parse_args(args)

    import django

    from aftersales.settings import VAR_DIR

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if options.demo:
        from aftersales.demo import DEMO_PASSWORD, demo_logins, load_demo

        load_demo()
        print(f"演示账号 / demo logins (password: {DEMO_PASSWORD}):")
        for username, role in demo_logins():
            print(f"  {username:<14} {role}")
    from waitress import serve

    from aftersales.wsgi import application

    print(f"Aftersales: http://{options.host}:{options.port}/  (Ctrl+C to stop)", flush=True)
    sys.stdout.flush()
    serve(application, host=options.host, port=options.port, threads=options.threads, ident="aftersales")
    return 0
