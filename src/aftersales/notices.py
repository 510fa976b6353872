"""Text written for other people — e-mails and in-app notices — is in the installation's language.

The person acting may use the English interface, but the recipient's language is not known (it is a
setting of their browser), and the department works in Chinese: so notices and e-mails are written
in ``settings.LANGUAGE_CODE`` (中文), never in the actor's language (docs/i18n.md). Links in e-mails
are absolute, to the configured site address (``site_link``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


@contextmanager
def in_installation_language() -> Iterator[None]:
    """Build a notice's text inside this block."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def site_link(path: str) -> str:
    """An absolute link to a page of the application for an e-mail (settings.AFTERSALES_SITE_URL)."""
    return f"{settings.AFTERSALES_SITE_URL}{path}"
