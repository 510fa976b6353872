"""The head's to-do list in the browser: the menu's count (htmx), the list, a bulk review with one
confirmation and a per-row result; the items are gone afterwards (issue 11)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from aftersales.appraisal.models import Appraisal, State
from aftersales.todo.tasks import count_for
from tests.appraisal.helpers import advance
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_head_reviews_three_forms_at_once_from_the_to_do_list(page, phone_page, live_server, demo):
    waiting = list(Appraisal.objects.filter(is_current=True, state=State.SELF_REPORTED)[:3])
    for appraisal in waiting:
        advance(appraisal, State.SCORED)
    scored = Appraisal.objects.filter(is_current=True, state=State.SCORED).count()
    head = get_user_model().objects.get(username="head")
    before = count_for(head)
    assert before >= scored >= 3
    login(page, live_server, "head")
    expect(page.locator("#todo-count")).to_have_attribute("data-count", str(before))  # loaded by htmx
    page.click("#todo-menu")
    expect(page.locator("#todo-review .todo-item")).to_have_count(scored)
    screenshot(page, "todo-zh-desktop")
    login(phone_page, live_server, "head")
    phone_page.goto(f"{live_server.url}/todo/")
    screenshot(phone_page, "todo-zh-phone")

    page.click("#bulk-review")
    expect(page.locator("#bulk-rows li")).to_have_count(scored)
    page.click("#bulk-confirm")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#bulk-result tr[data-done='1']")).to_have_count(scored)
    screenshot(page, "todo-bulk-result-zh-desktop")
    assert not Appraisal.objects.filter(is_current=True, state=State.SCORED).exists()
    page.click("#back-to-todo")
    expect(page.locator("#todo-review .todo-count")).to_have_text("0")
    expect(page.locator("#todo-count")).to_have_attribute("data-count", str(before - scored))
