"""The rules core stays plain Python: no Django (or any web framework) import may appear in it."""

import ast
from pathlib import Path

import aftersales.core

CORE = Path(aftersales.core.__file__).parent
FORBIDDEN = ("django", "rest_framework", "aftersales.organisation", "aftersales.appraisal", "aftersales.web")


def imported_modules(source: str) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_core_modules_exist():
    assert len(list(CORE.glob("*.py"))) > 1


def test_core_imports_no_framework():
    offenders = [
        f"{path.name}: {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in imported_modules(path.read_text(encoding="utf-8"))
        if name.split(".")[0] in {"django", "rest_framework"} or name.startswith(FORBIDDEN)
    ]
    assert offenders == []


def test_checker_catches_a_django_import():
    assert imported_modules("from django.db import models\nimport os") == ["django.db", "os"]
