"""No link leads to a refusal: every <a href> a person is shown, followed from the home page, opens
for that person (R-1.1 — what one may not open is not offered). The menus hide areas a person has no
business in (parts, repair), sub-pages only some may open, and links to objects outside their scope.

The crawl runs on the product's demo (the ``demo`` fixture): a world with a record of every kind, as a
user of `serve --demo` would click through it; the persona organisation alone would offer few links."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import Resolver404, resolve

PERSONAS = [
    "head",
    "supervisor",
    "regional",
    "engineer",
    "hr",
    "keeper",
    "technician",
    "repairlead",
    "dispatcher",
    "outsider",
]
SKIP = re.compile(r"^/(admin|api|i18n|static|media)/|/logout/|/(pdf|xlsx|export|file)/$|/files/\d+/$|healthz")
PER_PAGE_KIND = 2  # pages of the same URL name visited per person


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def _refusals(client: Client) -> list[tuple[int, str, str]]:
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    queue, refused = [("/", "-")], []
    while queue:
        url, came_from = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        kinds[match.view_name] += 1
        if kinds[match.view_name] > PER_PAGE_KIND:
            continue
        response = client.get(url)
        if response.status_code in (403, 404):
            refused.append((response.status_code, url, came_from))
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            queue.append((parts.path + (f"?{parts.query}" if parts.query else ""), url))
    return refused


@pytest.mark.django_db
@pytest.mark.parametrize("username", PERSONAS)
def test_r_1_1_every_link_shown_opens_for_whoever_sees_it(demo, username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    assert _refusals(client) == []
