"""The field records behind the form items (issue 13 item 2): who records and acts (R-1.1, R-4.1), the
due dates, the pages (filters, export, kept input) and the API, with a constant number of queries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftersales.service import record_services as acts
from aftersales.service.models import (
    AttendanceException,
    Escalation,
    ExpenseClaim,
    PaidService,
    RoutineReport,
)
from aftersales.service.record_kinds import KINDS
from tests.list_exports import sheet_rows

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_an_employee_records_their_own_and_the_due_date_follows_the_kind(people):
    report = acts.routine_report_submit(
        actor=people.u["engineer"], kind="service_monthly", year=2025, month=12, content="月报"
    )
    assert report.employee == people.e["engineer"] and report.due_on == date(2026, 1, 5)
    annual = acts.routine_report_submit(
        actor=people.u["regional"], kind="region_annual", year=2025, month=3, content="年度总结"
    )
    assert (annual.month, annual.due_on) == (12, date(2026, 1, 15))
    with pytest.raises(ValidationError):
        acts.routine_report_submit(
            actor=people.u["engineer"], kind="service_monthly", year=2025, month=12, content="again"
        )


@pytest.mark.parametrize("day", [lambda: TODAY() + timedelta(days=1)])
def test_a_record_cannot_be_dated_in_the_future(people, day):
    with pytest.raises(ValidationError):
        acts.customer_visit_record(actor=people.u["regional"], date=day(), customer="A", content="B")


def test_attendance_is_recorded_by_the_leader_only_never_for_oneself(people):
    """R-1.1, R-4.1: 陈刚 records for 赵磊; 赵磊 for nobody; 陈刚 not for himself; the head for 陈刚."""
    acts.attendance_record(
        actor=people.u["regional"], employee=people.e["engineer"], date=TODAY(), kind="late"
    )
    for actor, employee in [("engineer", "engineer2"), ("regional", "regional"), ("outsider", "engineer")]:
        with pytest.raises(PermissionDenied):
            acts.attendance_record(
                actor=people.u[actor], employee=people.e[employee], date=TODAY(), kind="late"
            )
    acts.attendance_record(actor=people.u["head"], employee=people.e["regional"], date=TODAY(), kind="late")
    assert AttendanceException.objects.filter(date=TODAY()).count() == 2


def test_review_approve_and_decide_are_the_leaders_and_audited(people):
    report = acts.routine_report_submit(
        actor=people.u["engineer"], kind="quality_notice", year=2025, month=1, content="通报"
    )
    with pytest.raises(PermissionDenied):
        acts.routine_report_review(report=report, actor=people.u["engineer"], verdict="qualified")
    with pytest.raises(ValidationError):
        acts.routine_report_review(report=report, actor=people.u["regional"], verdict="unqualified", note="")
    acts.routine_report_review(
        report=report, actor=people.u["regional"], verdict="unqualified", note="格式不符"
    )
    last = report.history.latest()
    assert (last.history_user, last.verdict) == (people.u["regional"], "unqualified")


def test_paid_service_approval_and_hand_in_s3_3_4(people):
    record = acts.paid_service_record(
        actor=people.u["engineer"], customer="A", content="清洗", amount=Decimal("300"), charged_on=TODAY()
    )
    with pytest.raises(PermissionDenied):
        acts.paid_service_approve(record=record, actor=people.u["engineer"])
    acts.paid_service_approve(record=record, actor=people.u["regional"])
    with pytest.raises(ValidationError):
        acts.paid_service_hand_in(
            record=record, actor=people.u["regional"], amount=Decimal("301"), day=TODAY()
        )
    acts.paid_service_hand_in(record=record, actor=people.u["head"], amount=Decimal("300"), day=TODAY())
    record.refresh_from_db()
    assert (record.handed_in, record.received_by) == (Decimal("300.00"), people.u["head"])


def test_an_expense_claim_takes_the_orders_advance_and_the_leader_approves_it(people, flow):
    order = flow.dispatched("engineer")
    order.travel_advance = Decimal("500")
    order.save()
    claim = acts.expense_claim_submit(
        actor=people.u["engineer"], order=order, amount=Decimal("420"), returned_on=TODAY()
    )
    assert (claim.advance, claim.balance) == (Decimal("500"), Decimal("80"))
    with pytest.raises(ValidationError):  # not one of 孙涛's orders
        acts.expense_claim_submit(
            actor=people.u["engineer2"], order=order, amount=Decimal(1), returned_on=TODAY()
        )
    acts.expense_claim_approve(record=claim, actor=people.u["regional"])
    assert ExpenseClaim.objects.get(pk=claim.pk).approved_by == people.u["regional"]


def test_an_escalation_is_reported_now_and_decided_by_the_leader(people):
    found = timezone.now() - timedelta(hours=3)
    record = acts.escalation_report(actor=people.u["engineer"], found_at=found, problem="P", proposal="Q")
    assert timezone.now() - record.reported_at < timedelta(minutes=1)
    with pytest.raises(ValidationError):
        acts.escalation_decide(record=record, actor=people.u["regional"], decision=" ")
    acts.escalation_decide(record=record, actor=people.u["regional"], decision="派人支援")
    assert Escalation.objects.get(pk=record.pk).decided_by == people.u["regional"]


# --- pages ------------------------------------------------------------------------------------------


def _list(client, kind, **query):
    return client.get(reverse("service:record-list", kwargs={"kind": kind}), query)


def test_the_list_shows_each_persona_their_scope_and_filters_by_month_and_employee(client, people):
    for who in ("engineer", "engineer2"):
        acts.market_info_record(actor=people.u[who], date=TODAY(), kind="market", subject=who, content="c")
    client.force_login(people.u["engineer"])
    assert [r.employee for r in _list(client, "market-info").context["page"].object_list] == [
        people.e["engineer"]
    ]
    client.force_login(people.u["regional"])
    assert len(_list(client, "market-info", month=str(TODAY())[:7]).context["page"].object_list) >= 2
    by_number = _list(client, "market-info", q=people.e["engineer2"].number)  # 孙涛's number
    assert [r.employee.name for r in by_number.context["page"].object_list] == ["孙涛"]
    assert not _list(client, "market-info", month="2001-01").context["page"].object_list


def test_the_leader_sees_the_acts_on_the_list_and_takes_one(client, people):
    record = acts.paid_service_record(
        actor=people.u["engineer"], customer="A", content="清洗", amount=Decimal("300"), charged_on=TODAY()
    )
    client.force_login(people.u["engineer"])
    assert not [r for r in _list(client, "paid-services").context["rows"] if r["actions"]]
    client.force_login(people.u["regional"])
    rows = {r["record"].pk: r for r in _list(client, "paid-services").context["rows"]}
    assert [a.name for a in rows[record.pk]["actions"]] == ["approve", "hand-in"]
    url = reverse(
        "service:record-action", kwargs={"kind": "paid-services", "pk": record.pk, "action": "approve"}
    )
    assert client.post(url, {"day": TODAY().isoformat()}).status_code == 302
    assert PaidService.objects.get(pk=record.pk).approved_by == people.u["regional"]


def test_a_refused_record_keeps_what_was_typed(client, people):
    client.force_login(people.u["engineer"])
    response = client.post(
        reverse("service:record-list", kwargs={"kind": "customer-visits"}),
        {"date": "2026-02-30", "customer": "天津公交集团", "content": "回访车门"},
    )
    assert response.status_code == 200
    assert "天津公交集团" in response.content.decode() and "回访车门" in response.content.decode()
    assert response.context["form"].errors.keys() == {"date"}


def test_an_unknown_kind_is_404(client, people):
    client.force_login(people.u["engineer"])
    assert _list(client, "payslips").status_code == 404


@pytest.mark.parametrize("kind", list(KINDS))
def test_list_page_export_and_api_run_the_same_queries_for_few_rows_and_many(client, people, kind):
    """One query count for 1 and 6 records (page, export, API): the rows come in one query."""
    client.force_login(people.u["head"])
    urls = [
        reverse("service:record-list", kwargs={"kind": kind}),
        reverse("service:record-list", kwargs={"kind": kind}) + "?format=xlsx",
        reverse(f"api-service:{kind}-list"),
    ]
    counts = []
    for rows in (1, 5):
        _make(people, kind, rows)
        counted = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counted.append(len(queries))
        counts.append(counted)
    assert counts[0] == counts[1]


def _make(people, kind, n):
    for i in range(n):
        who = people.u[["engineer", "engineer2", "engineer3"][i % 3]]
        if kind == "attendance":
            acts.attendance_record(
                actor=people.u["regional"], employee=who.employee, date=TODAY(), kind="late"
            )
        elif kind == "routine-reports":
            acts.routine_report_submit(
                actor=who,
                kind="service_monthly",
                year=2000 + len(RoutineReport.objects.all()),
                month=1,
                content="c",
            )
        else:
            data = {
                "customer-visits": {"date": TODAY(), "customer": "A", "content": "B"},
                "market-info": {"date": TODAY(), "kind": "market", "subject": "S", "content": "C"},
                "paid-services": {
                    "customer": "A",
                    "content": "B",
                    "amount": Decimal(1),
                    "charged_on": TODAY(),
                },
                "escalations": {"found_at": timezone.now(), "problem": "P", "proposal": "Q"},
                "expense-claims": {"amount": Decimal(1), "returned_on": TODAY()},
            }[kind]
            KINDS[kind].create(who, data)


def test_the_export_has_the_rows_of_the_list_and_runs_no_formula(client, people):
    acts.customer_visit_record(actor=people.u["regional"], date=TODAY(), customer="=HYPERLINK()", content="B")
    client.force_login(people.u["head"])
    this_month = str(TODAY())[:7]
    rows = sheet_rows(_list(client, "customer-visits", format="xlsx", month=this_month).content)
    assert [row[:2] + row[3:4] for row in rows] == [[people.e["regional"].number, "陈刚", "'=HYPERLINK()"]]


# --- API ----------------------------------------------------------------------------------------------


def test_the_api_records_and_acts_like_the_pages(client, people):
    client.force_login(people.u["engineer"])
    created = client.post(
        reverse("api-service:paid-services-list"),
        {"customer": "A", "content": "清洗", "amount": "300.00", "charged_on": TODAY().isoformat()},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["employee"]["number"] == people.e["engineer"].number and body["amount"] == "300.00"
    approve = reverse("api-service:paid-services-approve", kwargs={"pk": body["id"]})
    assert client.post(approve, {}, content_type="application/json").status_code == 403
    client.force_login(people.u["regional"])
    answer = client.post(approve, {"day": TODAY().isoformat()}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["approved_on"] == TODAY().isoformat()
    again = client.post(approve, {}, content_type="application/json")
    assert again.status_code == 400


def test_the_api_refuses_a_bad_record_with_400(client, people):
    client.force_login(people.u["engineer"])
    answer = client.post(
        reverse("api-service:customer-visits-list"),
        {"date": (TODAY() + timedelta(days=2)).isoformat(), "customer": "A", "content": "B"},
        content_type="application/json",
    )
    assert answer.status_code == 400 and answer.json()["field"] == "date"  # the one refusal shape


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("routine-reports", {"kind": "service_monthly", "year": 0, "month": 1, "content": "x"}, "year"),
        ("customer-visits", {"date": "1350-09-03", "customer": "A", "content": "B"}, "date"),
    ],
)
def test_dates_and_years_outside_2000_to_2100_are_refused_on_the_field(client, people, kind, body, field):
    """schemathesis found year 0 (no due date: a 500) and a time in 1350 (an offset of +08:05:43 that is
    no date-time); both are refused with 400 naming the field."""
    client.force_login(people.u["engineer"])
    answer = client.post(reverse(f"api-service:{kind}-list"), body, content_type="application/json")
    assert answer.status_code == 400 and field in answer.json()  # the input's shape: {field: [message]}
