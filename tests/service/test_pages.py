"""Pages and API of the service area: the dispatcher's flow, refusals shown to the user, scoped lists,
and query counts that do not grow with the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftersales.service.models import OrderStatus, WorkOrder
from tests.service.conftest import HOUR

pytestmark = pytest.mark.django_db


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_dispatcher_receives_and_dispatches_on_the_pages(client, people):
    client.force_login(people.u["dispatcher"])
    received = timezone.localtime() - HOUR
    response = client.post(
        reverse("service:order-create"),
        {
            "received_at": received.strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
            "customer": "天津公交集团(页面测试)",
            "contact_name": "王师傅",
            "unit_model": "XMQ6127",
            "unit_number": "车-2001",
            "site": "天津西站",
            "distance_km": "30",
            "fault": "body",
            "description": "雨刮失灵",
        },
    )
    order = WorkOrder.objects.get(customer="天津公交集团(页面测试)")
    assert response.status_code == 302 and response["Location"] == reverse(
        "service:order-detail", args=[order.pk]
    )
    page = _get(client, reverse("service:order-detail", args=[order.pk]))
    assert (
        "到达现场" in page
        and order.deadline.astimezone(timezone.get_current_timezone()).strftime("%H:%M") in page
    )
    response = client.post(
        reverse("service:order-dispatch", args=[order.pk]),
        {"engineers": [people.e["engineer"].pk, people.e["engineer2"].pk], "travel_advance": "800"},
    )
    assert response.status_code == 200  # two engineers and no one in charge: the form says so
    assert "临时负责" in response.content.decode()
    client.post(
        reverse("service:order-dispatch", args=[order.pk]),
        {
            "engineers": [people.e["engineer"].pk, people.e["engineer2"].pk],
            "in_charge": people.e["engineer2"].pk,
            "travel_advance": "800",
        },
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.DISPATCHED and order.lead() == people.e["engineer2"]


def test_the_milestone_form_answers_htmx_with_the_status_panel(client, flow, people):
    order = flow.dispatched()
    client.force_login(people.u["engineer"])
    response = client.post(
        reverse("service:order-milestone", args=[order.pk]), {"milestone": "on_site"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="order-status">')
    assert 'data-state="met"' in body


def test_the_sign_page_refuses_an_unfinished_report_with_a_reason(client, flow, people):
    report = flow.report(flow.resolved(), complete=False)
    client.force_login(people.u["engineer"])
    url = reverse("service:report-sign", args=[report.pk])
    assert "报告未填写完整" in _get(client, url)
    response = client.post(url, {"signed_by": "刘工", "stamped": "on"})
    assert response.status_code == 200 and "不能请用户签字" in response.content.decode()
    report.refresh_from_db()
    assert not report.is_signed


def test_a_signed_report_cannot_be_edited_on_the_page(client, flow, people):
    report = flow.signed()
    client.force_login(people.u["engineer"])
    response = client.get(reverse("service:report-edit", args=[report.pk]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "service:report-detail", args=[report.pk]
    )


def test_the_report_form_saves_fields_and_part_lines(client, flow, people):
    report = flow.report(flow.resolved(), complete=False)
    client.force_login(people.u["engineer"])
    data = {
        "running_time": "3000",
        "mileage": "120000",
        "fault_reported": "空调不制冷",
        "warranty_eligible": "true",
        "dismantled_before": "false",
        "cause_found": "压缩机离合器损坏",
        "handling": "更换离合器",
        "responsibility": "product",
        "old_parts_to_return": "旧离合器",
        "parts-TOTAL_FORMS": "2",
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "0",
        "parts-MAX_NUM_FORMS": "1000",
        "parts-0-part": "LH-01 离合器",
        "parts-0-quantity": "1",
        "parts-0-reason": "烧蚀",
        "parts-0-warranty": "on",
        "parts-1-quantity": "1",  # the empty extra row as the browser sends it: its initial values
        "parts-1-warranty": "on",
    }
    response = client.post(reverse("service:report-edit", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.missing_fields() == [] and report.warranty_eligible is True
    assert [(p.part, p.quantity, p.warranty) for p in report.part_lines.all()] == [("LH-01 离合器", 1, True)]


def test_the_printable_report(client, flow, people):
    report = flow.approved()
    client.force_login(people.u["regional"])
    page = _get(client, reverse("service:report-print", args=[report.pk]))
    assert "服务报告" in page and "刘工" in page and "已审批归档" in page and 'href="/service/' not in page


def test_overdue_and_due_soon_lists(client, flow, people):
    overdue = flow.dispatched(received_at=timezone.now() - 25 * HOUR)  # on site was due an hour ago
    soon = flow.dispatched(fault="other", distance_km=None, received_at=timezone.now() - 10 * HOUR)
    open_ = flow.dispatched(fault="other", distance_km=None)
    client.force_login(people.u["dispatcher"])
    page = _get(client, reverse("service:overdue"))
    head, tail = page.split("即将到期(4小时内)")
    assert overdue.number in head and soon.number not in head
    assert soon.number in tail and open_.number not in page


def test_lists_are_scoped(client, flow, people):
    mine = flow.dispatched("engineer")
    colleague = flow.dispatched("engineer3")
    client.force_login(people.u["engineer"])
    page = _get(client, reverse("service:order-list"))
    assert mine.number in page and colleague.number not in page
    client.force_login(people.u["outsider"])
    assert mine.number not in _get(client, reverse("service:order-list"))
    client.force_login(people.u["regional"])
    page = _get(client, reverse("service:order-list"))
    assert mine.number in page and colleague.number in page


def test_the_dispatcher_sees_and_runs_the_department(client, flow, people):
    order = flow.dispatched("engineer3")
    client.force_login(people.u["dispatcher"])
    assert order.number in _get(client, reverse("service:order-list"))
    assert client.get(reverse("service:order-dispatch", args=[order.pk])).status_code == 200
    assert client.get(reverse("service:call-create")).status_code == 200
    assert client.get(reverse("service:complaint-create")).status_code == 200
    report = flow.signed()
    assert client.post(reverse("service:report-approve", args=[report.pk])).status_code == 403


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "service:index",
        "service:order-list",
        "service:overdue",
        "service:report-list",
        "service:kpis",
        "service:complaint-list",
        "service:call-list",
        "service:incident-list",
        "service:quality-list",
        "service:phoneoff-list",
        "api-service:order-list",
        "api-service:report-list",
        "api-service:complaint-list",
        "api-service:kpis",
    ],
)
def test_list_queries_do_not_grow_with_rows(client, flow, people, url, more_rows):
    """Session, user, roles and the user's reach, then one query per list (plus one per prefetched
    relation); adding orders, reports, complaints … does not add queries."""
    client.force_login(people.u["head"])
    more_rows()
    before = _count(client, reverse(url))
    more_rows()
    more_rows()
    assert _count(client, reverse(url)) == before


@pytest.fixture
def more_rows(flow, people):
    """Adds one of every kind of row the lists show."""
    from aftersales.service import services
    from aftersales.service.models import Channel

    def add() -> None:
        report = flow.approved()
        flow.dispatched("engineer", "engineer2", received_at=timezone.now() - 30 * HOUR)
        dispatcher = people.u["dispatcher"]
        services.survey_record(order=report.order, actor=dispatcher, respondent="刘工", score=4)
        complaint = services.complaint_record(
            actor=dispatcher,
            employee=people.e["engineer"],
            received_at=timezone.now(),
            channel=Channel.PHONE,
            complainant="刘工",
            content="慢",
            order=report.order,
        )
        services.complaint_verify(complaint=complaint, actor=people.u["regional"], founded=True, note="属实")
        services.call_log_record(
            actor=dispatcher,
            received_at=timezone.now(),
            channel=Channel.PHONE,
            caller="x",
            content="y",
            handler=people.e["engineer"],
        )
        services.incident_record(
            actor=people.u["engineer"],
            employee=people.e["engineer"],
            occurred_at=timezone.now(),
            unit="车",
            site="站",
            description="事故",
        )
        services.quality_report_record(
            actor=people.u["engineer"], product="p", unit_number="u", fault="f", site="s"
        )
        services.phone_off_record(
            actor=people.u["regional"], employee=people.e["engineer"], day=timezone.localdate()
        )

    return add
