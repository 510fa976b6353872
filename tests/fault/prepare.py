"""Run as a program by test_kill_server.py against the database named by DATABASE_URL: migrate, the demo
organisation (its HR login), one department whose EMPLOYEES forms of 2025-03 are archived (for the company
close) and the organisation workbook of a big import (written to argv[1]). Prints the HR API token."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django

EMPLOYEES = 2000  # lines of the close
EXTRA_ROWS = 500  # roster rows besides the 25 of the company workbook


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from tests.organisation.workbooks import company, organisation_workbook
    from tests.payroll.helpers import Person, pool
    from tests.personas import build_personas

    call_command("migrate", verbosity=0)
    build_personas()  # the persona organisation (tests/personas.py) and its logins
    hr = get_user_model().objects.get(username="hr")
    pool("fault", [Person("3000", str(60 + i % 40)) for i in range(EMPLOYEES)], actor=hr)
    sheets = company()
    sheets["员工"] += [
        {
            "number": f"B{index:04d}",
            "name": f"批量{index}",
            "department": "svc-field",
            "position": "eng",
            "supervisor": "S02",
            "region": "east",
            "active_from": "2026-01-05",
        }
        for index in range(EXTRA_ROWS)
    ]
    Path(sys.argv[1]).write_bytes(organisation_workbook(**sheets))
    print(Token.objects.get_or_create(user=hr)[0].key)


if __name__ == "__main__":
    main()
