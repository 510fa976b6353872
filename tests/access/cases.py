"""The access matrix (R-1.1): every URL and API endpoint × every persona.

Each area lists its cases in ``tests/<area>/access_cases.py`` as ``CASES: list[Case]``; the matrix test
(tests/access/test_matrix.py) collects them, fails when a URL has no case, and checks each case as
every persona: the case's objects are built once, and each persona's request is rolled back before the
next one's.

Personas are users of the persona organisation (tests/personas.py, built for every test database):
- ``employee``   赵磊 (engineer), field service, reports to ``supervisor``
- ``supervisor`` 陈刚 (regional), direct supervisor of 赵磊, 孙涛, 周鹏
- ``head``       王建国 (head), heads 售后服务部 and all its units
- ``hr``         马丽 (hr), company-wide
- ``outsider``   钱进 (outsider), employee of 营销管理部: reaches nothing of 售后服务部
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = {
    "employee": "engineer",
    "supervisor": "regional",
    "head": "head",
    "hr": "hr",
    "outsider": "outsider",
}
EVERYONE = frozenset(PERSONAS)
STAFF_OF_DEPARTMENT = frozenset({"employee", "supervisor", "head", "hr"})


class World:
    """What a case may build its objects from: the personas' users and employees."""

    def __init__(self) -> None:
        from django.contrib.auth import get_user_model

        from aftersales.organisation.models import Employee

        users = get_user_model().objects.in_bulk(list(PERSONAS.values()), field_name="username")
        self.users = {persona: users[name] for persona, name in PERSONAS.items()}
        self.employees = {persona: Employee.objects.get(user=user) for persona, user in self.users.items()}
        self.persona = ""  # the persona the case runs as (set by the matrix), for a body about oneself

    def employee(self, username: str) -> Any:
        from aftersales.organisation.models import Employee

        return Employee.objects.get(user__username=username)


@dataclass(frozen=True)
class Case:
    """One URL, how to build its arguments, and which personas may use it.

    ``url``: the URL name ("service:order-detail", "api-service:order-list").
    ``kwargs(world)``: the URL's arguments, creating whatever objects they need (runs once per case;
    each persona then asks inside a savepoint rolled back after its answer). ``allowed``: personas
    that get a success (2xx, or 3xx after a POST); every other persona must get 403 or 404 (for an
    API: 401, 403 or 404).
    ``method``: "get" or "post"; ``data(world)``: the POST body, made per persona inside its savepoint
    (``world.persona`` is the sender); ``json``: send it as JSON (API).
    ``label`` distinguishes several cases of one URL (e.g. own object vs another's).
    """

    url: str
    allowed: frozenset[str]
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | None = None
    json: bool = False
    label: str = ""
    query: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.url}{'[' + self.label + ']' if self.label else ''}:{self.method}"


# URL names that need no case: public pages and framework pages checked elsewhere.
PUBLIC = {
    "web:login",
    "web:logout",
    "web:password-set",  # the one-time link: the token is the credential (test_accounts.py)
    "web:healthz",
    "api:schema",
    "api:docs",
    "set_language",
    "customer:confirm",  # the customer's one-use link: the token is the credential (test_field_evidence.py)
}
