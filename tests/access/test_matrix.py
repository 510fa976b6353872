"""R-1.1: the permission matrix over personas × every URL and API endpoint × objects.

A URL added without a case in some ``tests/<area>/access_cases.py`` fails ``test_every_url_has_a_case``.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.access.cases import PERSONAS, PUBLIC, Case, World
from tests.personas import logged_in
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


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_access(case: Case, personas):
    """Each case builds its objects once; every persona then asks inside a savepoint that is rolled back,
    so each persona meets the same objects in the same state (a POST by one is not seen by the next).
    The failures of all personas are reported together, each naming the case, persona and status."""
    world = World()
    url = reverse(case.url, kwargs=case.kwargs(world)) + (f"?{case.query}" if case.query else "")
    failures = [
        failure
        for persona in sorted(PERSONAS)
        if (failure := _check(case, persona, _as(world, persona, case, url)))
    ]
    assert failures == [], "\n".join(failures)


def _as(world: World, persona: str, case: Case, url: str) -> HttpResponse:
    """``persona``'s answer to the case's request; whatever the request wrote is rolled back."""
    client = Client()
    savepoint = transaction.savepoint()
    try:
        logged_in(client, world.users[persona])  # the session made once for the test process
        world.persona = persona  # a body may be about the sender (one's own incident); what making
        body = case.data(world) if case.data else {}  # it writes is rolled back with the request
        return _request(client, case, url, body)
    except Exception as exc:
        exc.add_note(f"asked by persona {persona!r} in case {case.id}")
        raise
    finally:
        transaction.savepoint_rollback(savepoint)


def _request(client: Client, case: Case, url: str, body: dict[str, Any]) -> HttpResponse:
    if case.method == "get":
        return client.get(url)
    if case.json:
        data = json.dumps(body)
        return client.generic(case.method.upper(), url, data=data, content_type="application/json")
    return getattr(client, case.method)(url, body)  # type: ignore[no-any-return]


def _check(case: Case, persona: str, response: HttpResponse) -> str:
    """What is wrong with ``persona``'s answer to ``case`` ("" when it is what the case expects)."""
    status = response.status_code
    if persona in case.allowed:
        if status >= 400:
            return f"{case.id}: {persona} refused (expected success, got {status})"
        if notation := developer_notation(response):
            return f"{case.id}: shows developer notation to {persona}: {notation}"
        return ""
    if status not in (401, 403, 404):
        return f"{case.id}: {persona} reached it (expected 401/403/404, got {status})"
    return ""


def test_a_failure_names_the_case_the_persona_and_both_statuses():
    case = Case("web:home", frozenset({"hr"}))
    assert _check(case, "outsider", HttpResponse(status=200)) == (
        "web:home:get: outsider reached it (expected 401/403/404, got 200)"
    )
    assert _check(case, "hr", HttpResponse(status=403)) == (
        "web:home:get: hr refused (expected success, got 403)"
    )
    assert _check(case, "outsider", HttpResponse(status=404)) == ""
