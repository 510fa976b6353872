"""R-1.1: the permission matrix over personas × every URL and API endpoint × objects.

A URL added without a case in some ``tests/<area>/access_cases.py`` fails ``test_every_url_has_a_case``.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.access.cases import PERSONAS, PUBLIC, Case, World
from tests.web.visible import developer_notation


def _collect_cases() -> list[Case]:
    cases: list[Case] = []
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            found = importlib.import_module(f"tests.{module.name}.access_cases")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{module.name}.access_cases":
                raise
            continue
        cases.extend(found.CASES)
    return cases


CASES = _collect_cases()


def _url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":  # Django's admin: staff only, its own permission system
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_case():
    covered = {case.url for case in CASES} | PUBLIC
    missing = sorted(_url_names() - covered)
    assert missing == [], f"URLs without an entry in an access_cases.py: {missing}"


def test_cases_name_real_urls():
    unknown = sorted({case.url for case in CASES} - _url_names())
    assert unknown == []


def test_the_matrix_is_not_empty():
    assert "web:home" in {case.url for case in CASES}


@pytest.mark.parametrize("persona", sorted(PERSONAS))
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_access(case: Case, persona: str, client, demo):
    world = World()
    world.persona = persona
    client.force_login(world.users[persona])
    url = reverse(case.url, kwargs=case.kwargs(world)) + (f"?{case.query}" if case.query else "")
    body = case.data(world) if case.data else {}
    if case.method == "get":
        response = client.get(url)
    elif case.json:
        response = client.generic(
            case.method.upper(), url, data=__import__("json").dumps(body), content_type="application/json"
        )
    else:
        response = getattr(client, case.method)(url, body)
    if persona in case.allowed:
        assert response.status_code < 400, f"{persona} refused {case.id}: {response.status_code}"
        assert developer_notation(response) == [], f"{case.id} shows developer notation to {persona}"
    else:
        assert response.status_code in (401, 403, 404), f"{persona} reached {case.id}: {response.status_code}"
