from tests.access.cases import EVERYONE, Case

CASES = [
    Case("web:home", EVERYONE),
    Case("api:me", EVERYONE),
    Case("web:password-change", EVERYONE),
    Case("web:setup-step", frozenset({"hr"}), kwargs=lambda w: {"step": "company"}),
    Case("web:setup", frozenset({"hr"}), label="redirect"),
]
