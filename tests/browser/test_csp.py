"""The Content-Security-Policy refuses nothing the pages need: no violation is reported on the main pages
(the browser logs each refused script, style or connection to the console), and the behaviour moved out
of inline script into static/aftersales/app.js still works."""

import pytest
from django.urls import reverse

from aftersales.appraisal.models import Appraisal
from aftersales.discipline.models import RewardReason
from aftersales.payroll.models import CloseVersion
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def _watch(page) -> list[str]:
    """Console errors and page errors: a CSP violation shows as 'Refused to … Content Security Policy'."""
    reported: list[str] = []
    page.on(
        "console", lambda message: message.type == "error" and reported.append(f"{page.url}: {message.text}")
    )
    page.on("pageerror", lambda error: reported.append(str(error)))
    return reported


def test_no_csp_violation_on_the_main_pages(page, live_server, demo):
    reported = _watch(page)
    login(page, live_server, "hr")
    version = CloseVersion.objects.filter(is_current=True).select_related("period").first()
    form = Appraisal.objects.filter(is_current=True, employee__user__username="engineer").first()
    urls = [
        reverse("web:home"),
        reverse("appraisal:index"),
        reverse("appraisal:detail", args=[form.pk]),
        reverse("payroll:index"),
        reverse("payroll:overview") + f"?year={version.period.year}",
        reverse("payroll:close-detail", args=[version.pk]),
        reverse("payroll:trend", args=[version.period.department_id]) + f"?year={version.period.year}",
        reverse("service:index"),
        reverse("parts:index"),
        reverse("repair:index"),
        reverse("discipline:index"),
        reverse("discipline:propose"),
        reverse("organisation:index"),
        reverse("evidence:index"),
        reverse("results:index"),
        "/api/docs/",
        "/no-such-page/",
    ]
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
    refused = [text for text in reported if "Content Security Policy" in text]
    assert refused == [], refused
    assert [text for text in reported if "404" not in text] == []


def test_choosing_a_discipline_reason_still_proposes_its_kind(page, live_server, demo):
    """R-6.4: the suggestion moved from an inline script to app.js."""
    reported = _watch(page)
    reason = RewardReason.objects.create(article=99, text="浏览器测试事由", suggested_kind="merit")
    login(page, live_server, "hr")
    page.goto(f"{live_server.url}{reverse('discipline:propose')}")
    page.select_option("#id_reason", str(reason.pk))
    assert page.locator("#id_kind").input_value() == reason.suggested_kind
    assert reported == []
