"""The `aftersales` command (CONTRACTS.md).

``calc`` and ``templates`` answer JSON on stdin with JSON on stdout; ``roster`` exports and imports
the organisation workbook; ``serve`` runs the web application; every other sub-command is one of
Django's management commands.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
    command = args[0] if args else ""
    if command == "calc":
        from aftersales.cli.calc import main as calc_main

        return calc_main(args[1:])
    if command == "templates":
        from aftersales.cli.templates import main as templates_main

        return templates_main(args[1:])
    if command == "roster":
        from aftersales.cli.roster import main as roster_main

        return roster_main(args[1:])
    if command == "serve":
        from aftersales.cli.serve import main as serve_main

        return serve_main(args[1:])
    from django.core.management import execute_from_command_line

    from aftersales.settings import VAR_DIR

    VAR_DIR.mkdir(parents=True, exist_ok=True)

    execute_from_command_line(["aftersales", *args])
    return 0
