"""The stack answers: health check, login, home page in Chinese, OpenAPI schema, login throttling."""

import pytest
from django.db import DatabaseError
from django.urls import reverse


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_unreachable(client, db, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise DatabaseError("down")

    monkeypatch.setattr("aftersales.web.views.connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] != "ok"


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_login_page_is_chinese_by_default(client, db):
    page = client.get(reverse("web:login")).content.decode()
    assert "登录" in page
    assert 'lang="zh-hans"' in page


def test_login_then_home_shows_roles(client, personas):
    response = client.post(reverse("web:login"), {"username": "hr", "password": "demo1234"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "马丽" in page
    assert "hr" in page


def test_english_switch(client, personas):
    client.post(reverse("web:login"), {"username": "hr", "password": "demo1234"})
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page


def test_openapi_schema(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/me/" in schema["paths"]


def test_api_requires_authentication(client, db):
    assert client.get("/api/me/").status_code in (401, 403)


@pytest.mark.parametrize("attempts", [5])
def test_failed_logins_are_throttled(client, personas, attempts):
    for _ in range(attempts):
        client.post(reverse("web:login"), {"username": "hr", "password": "wrong"})
    response = client.post(reverse("web:login"), {"username": "hr", "password": "demo1234"})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_static_assets_are_local(client, db):
    page = client.get(reverse("web:login")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    assert "cdn" not in page.lower()
