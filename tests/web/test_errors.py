"""The product's own error pages (Chinese first, English catalogue, the site's navigation) instead of
Django's technical pages, and the Content-Security-Policy every page carries."""

import re
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

import aftersales
from aftersales.web import errors

PACKAGE = Path(aftersales.__file__).resolve().parent


@pytest.mark.django_db
def test_404_is_the_products_page_not_the_url_list(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and 'id="error-home"' in page
    assert "URLconf" not in page and "api/schema" not in page


def test_403_keeps_the_navigation_of_the_signed_in_user(client, personas):
    client.post(reverse("web:login"), {"username": "outsider", "password": "demo1234"})
    response = client.get(reverse("payroll:overview"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in page and 'id="mainnav"' in page and 'id="logout"' in page


def test_404_in_english(client, personas):
    client.post(reverse("web:login"), {"username": "hr", "password": "demo1234"})
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/no-such-page/").content.decode()
    assert "Page not found" in page and "页面不存在" not in page


def test_500_renders_without_the_database_or_the_request_context():
    """No django_db mark: any database access while rendering would raise here."""
    response = errors.server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "服务器内部错误" in page and "Traceback" not in page


def test_500_falls_back_to_plain_html_when_the_template_breaks(monkeypatch):
    monkeypatch.setattr(errors.loader, "get_template", lambda name: 1 / 0)
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and "Server error" in response.content.decode()


@pytest.mark.django_db
def test_a_stale_form_gets_the_csrf_page():
    response = Client(enforce_csrf_checks=True).post(reverse("web:login"), {"username": "hr"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


@pytest.mark.django_db
def test_a_bad_host_gets_the_400_page():
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(client):
    policy = client.get(reverse("web:login"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>")
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_has_inline_script_or_event_handler_attributes():
    """The policy refuses them: page behaviour lives in static/aftersales/app.js."""
    found = [
        f"{path.relative_to(PACKAGE)}: {match.group(0)}"
        for path in PACKAGE.glob("**/templates/**/*.html")
        for pattern in (INLINE_SCRIPT, HANDLER)
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found
