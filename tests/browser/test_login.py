"""A person opens the app, signs in, sees the home page in Chinese, switches to English."""

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_home_and_language_switch(page, live_server, demo):
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    assert page.locator("h1").inner_text() == "登录"
    screenshot(page, "login-zh-desktop")

    login(page, live_server, "supervisor")
    assert page.locator("h1").inner_text().startswith("您好")
    assert "李明" in page.locator("h1").inner_text()
    # The stylesheet is served by the app itself: Bootstrap's navbar is styled (not a plain list).
    assert page.locator("nav.navbar").evaluate("e => getComputedStyle(e).display") == "flex"
    screenshot(page, "home-zh-desktop")

    page.click("#lang-switch")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"


def test_wrong_password_is_refused(page, live_server, demo):
    login(page, live_server, "supervisor", password="wrong")
    assert "/login/" in page.url
    assert "不正确" in page.locator(".alert-danger").inner_text()


def test_phone_width_login(phone_page, live_server, demo):
    login(phone_page, live_server, "engineer")
    assert "赵磊" in phone_page.locator("h1").inner_text()
    screenshot(phone_page, "home-zh-phone")
