import pytest


@pytest.fixture
def demo(db):
    """The demo organisation of `serve --demo`."""
    from aftersales.demo import load_demo

    load_demo()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Demo users are created in many tests; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
