"""The pages (SPEC §11): the supervisor's list of proposals, accept and reject (htmx), and the panel
on the appraisal form — the evidence of every accepted entry, visible to the employee too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales.evidence import services
from aftersales.evidence.models import Source, Status
from tests.evidence.conftest import complaint, form_of, phone_offs

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals(people, june):
    verified = complaint(people)
    phone_offs(people, "engineer", [2])
    services.evidence_propose(period=june, actor=people.u["hr"])
    found = {p.source: p for p in form_of(june, "engineer").evidence_proposals.all()}
    return verified, found[Source.COMPLAINT], found[Source.PHONE_OFF]


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_supervisor_sees_the_proposals_waiting_for_him(client, people, proposals):
    html = page(client, people.u["regional"], reverse("evidence:index"))
    assert f'id="proposal-{proposals[1].pk}"' in html and f'id="proposal-{proposals[2].pk}"' in html
    assert "因服务人员工作态度" in html and "采纳" in html
    # the head decides only for his direct reports (the demo's 陈刚): not 赵磊's and 孙涛's
    head_page = page(client, people.u["head"], reverse("evidence:index"))
    assert f'id="proposal-{proposals[1].pk}"' not in head_page
    assert f'id="proposal-{proposals[1].pk}"' in page(
        client, people.u["head"], reverse("evidence:index") + "?show=all"
    )


def test_accept_by_htmx_returns_the_row(client, people, proposals):
    client.force_login(people.u["regional"])
    response = client.post(reverse("evidence:accept", args=[proposals[1].pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith("<tr") and 'data-status="accepted"' in html and "hx-post" not in html


def test_reject_by_htmx_takes_the_prompted_reason(client, people, proposals):
    client.force_login(people.u["regional"])
    url = reverse("evidence:reject", args=[proposals[2].pk])
    refused = client.post(url, HTTP_HX_REQUEST="true")
    assert "驳回须填写理由" in refused.content.decode()
    client.post(url, HTTP_HX_REQUEST="true", HTTP_HX_PROMPT="当天在隧道内作业")
    proposals[2].refresh_from_db()
    assert (proposals[2].status, proposals[2].reason) == (Status.REJECTED, "当天在隧道内作业")


def test_reject_decodes_the_uri_encoded_prompt(client, people, proposals):
    client.force_login(people.u["regional"])
    url = reverse("evidence:reject", args=[proposals[2].pk])
    encoded = "%E5%BD%93%E5%A4%A9%E5%9C%A8%E9%9A%A7%E9%81%93%E5%86%85%E4%BD%9C%E4%B8%9A"
    client.post(url, HTTP_HX_REQUEST="true", HTTP_HX_PROMPT=encoded, HTTP_HX_PROMPT_URI_AUTOENCODED="true")
    proposals[2].refresh_from_db()
    assert proposals[2].reason == "当天在隧道内作业"


def test_the_panel_form_goes_back_to_the_appraisal(client, people, june, proposals):
    detail = reverse("appraisal:detail", args=[form_of(june, "engineer").pk])
    client.force_login(people.u["regional"])
    response = client.post(reverse("evidence:accept", args=[proposals[1].pk]), {"next": detail})
    assert response.status_code == 302 and response.url == detail
    response = client.post(
        reverse("evidence:reject", args=[proposals[2].pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("evidence:index")  # an outside address is not followed
    assert "驳回须填写理由" in client.get(response.url).content.decode()


def test_s11_the_employee_sees_the_evidence_of_his_accepted_entries(client, people, june, proposals):
    verified, accepted, rejected = proposals
    services.proposal_accept(proposal=accepted, actor=people.u["regional"])
    services.proposal_reject(proposal=rejected, actor=people.u["regional"], reason="已请假")
    form = form_of(june, "engineer")
    html = page(client, people.u["engineer"], reverse("appraisal:detail", args=[form.pk]))
    assert 'id="evidence-panel"' in html
    assert f'id="evidence-{accepted.pk}" data-section="customer_communication" data-status="accepted"' in html
    assert "已填入考核表" in html and "刘工：服务态度差" in html
    assert reverse("service:complaint-detail", args=[verified.pk]) in html
    assert "已请假" in html  # the reason of the rejection
    assert "evidence-accept" not in html and "evidence-propose" not in html  # he decides nothing
    # the form itself shows the accepted behaviour ticked
    assert 'value="verified_complaint" id="customer_communication-verified_complaint" checked' in html


def test_the_supervisor_decides_on_the_panel(client, people, june, proposals):
    form = form_of(june, "engineer")
    html = page(client, people.u["regional"], reverse("appraisal:detail", args=[form.pk]))
    assert html.count("evidence-accept") == 2 and 'id="evidence-propose"' in html


def test_the_panel_is_absent_without_proposals_for_those_who_cannot_propose(client, people, june):
    form = form_of(june, "engineer2")
    assert 'id="evidence-panel"' not in page(
        client, people.u["engineer2"], reverse("appraisal:detail", args=[form.pk])
    )


def test_propose_from_the_page(client, people, june):
    complaint(people)
    client.force_login(people.u["regional"])
    response = client.post(reverse("evidence:propose"), {"period": june.pk}, follow=True)
    assert "新增1条" in response.content.decode()
    assert form_of(june, "engineer").evidence_proposals.count() == 1


def test_the_panel_adds_one_query_whatever_the_number_of_proposals(client, people, june, proposals):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.evidence.test_api import _more_proposals

    url = reverse("appraisal:detail", args=[form_of(june, "engineer").pk])
    client.force_login(people.u["regional"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    _more_proposals(form_of(june, "engineer"), 30)
    assert count() == few
