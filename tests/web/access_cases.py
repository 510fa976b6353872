from tests.access.cases import EVERYONE, Case

CASES = [
    Case("web:home", EVERYONE),
    Case("api:me", EVERYONE),
]
