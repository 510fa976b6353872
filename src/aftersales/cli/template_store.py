"""Where ``aftersales templates`` and ``aftersales calc score`` find the forms (CONTRACTS.md).

They need no set-up step: without a database (no ``DATABASE_URL`` and no SQLite file yet) they
use the built-in forms of SPEC §2 and create nothing; with one, the versions HR published there,
falling back to the built-ins when the database cannot answer (not migrated yet, unreachable).
"""

from __future__ import annotations

import os
from pathlib import Path

from aftersales.core.builtin_forms import BUILTIN_TEMPLATES, builtin_template
from aftersales.core.forms import Template


def published_templates() -> list[Template]:
    """The latest version of every form."""
    if not _use_database():
        return list(BUILTIN_TEMPLATES)
    from django.db import DatabaseError

    from aftersales.formdefs import selectors

    try:
        return selectors.published_templates()
    except DatabaseError:
        return list(BUILTIN_TEMPLATES)


def find_template(code: str, version: int | None = None) -> Template | None:
    """Version ``version`` (default: the latest) of form ``code``, or None."""
    builtin = builtin_template(code) if version in (None, 1) else None
    if not _use_database():
        return builtin
    from django.db import DatabaseError

    from aftersales.formdefs import selectors

    try:
        return selectors.template_get(code=code, version=version)
    except DatabaseError:
        return builtin


def _use_database() -> bool:
    """Whether to ask a database; sets Django up when so. Never creates the SQLite file."""
    import django
    from django.apps import apps
    from django.conf import settings

    if apps.ready:  # already inside a Django process (the web application, the tests)
        return True
    if not os.environ.get("DATABASE_URL"):
        name = settings.DATABASES["default"]["NAME"]
        if not Path(str(name)).exists():
            return False
    django.setup()
    return True
