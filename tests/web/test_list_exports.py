"""Every list exports to .xlsx with its filters applied (issue 11, item 5; R-1.1 for who sees what).

The table is ``tests/list_exports.py``; each list is one row of ``LISTS`` below.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftersales.organisation.models import Employee
from aftersales.ui.exporting import cell, xlsx_workbook
from tests.access.cases import PERSONAS, World
from tests.list_exports import ListExport, formula_cells, page_objects, sheet_rows

pytestmark = pytest.mark.django_db


def _period_of_last_month() -> dict[str, str]:
    from aftersales.appraisal.models import Period

    return {"period": str(Period.objects.order_by("-year", "-month").values_list("pk", flat=True)[0])}


def _store() -> dict[str, int]:
    from aftersales.parts.models import Store

    return {"pk": Store.objects.order_by("pk").values_list("pk", flat=True)[0]}


def _first_part_of_store() -> dict[str, str]:
    from aftersales.parts.models import Movement

    store = _store()["pk"]
    return {"part": str(Movement.objects.filter(store_id=store).values_list("part_id", flat=True)[0])}


def _number_of(username: str):
    """The search by an employee number (孙涛's), a filter the records lists offer."""
    return lambda: {"q": Employee.objects.get(user__username=username).number}


def _current_lines(user) -> list:
    """The pay index lists closes; its export is every current pay line the user may see."""
    from aftersales.payroll.selectors import lines_visible_to

    return list(lines_visible_to(user).filter(version__is_current=True))


def _open_items(user) -> list:
    """The open items are one list, not paged: every unsettled issue the user may see."""
    from aftersales.parts.selectors import open_items, requisitions_visible_to

    return open_items(requisitions=requisitions_visible_to(user))


# --- the rows of each list: a few records of the personas (the wide persona sees more than 赵磊) ---------


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _appraisals(world: World) -> None:
    """January 2025 open (every form a draft) and two archived forms of December 2024."""
    from aftersales.appraisal import services
    from aftersales.organisation.models import Department
    from tests.results.factories import archived

    department = Department.objects.get(code="as")
    services.period_open(actor=world.users["hr"], department=department, year=2025, month=1)
    for username in ("engineer", "engineer2"):
        archived(world.employee(username), "2024-12", 85)


def _discipline(world: World) -> None:
    from aftersales.discipline import services

    for username, kind in [("engineer", "merit"), ("engineer2", "demerit"), ("engineer3", "commendation")]:
        services.record_propose(
            employee=world.employee(username),
            kind=kind,
            effective_date=_today(),
            reason_text="测试事由",
            actor=world.users["supervisor"],
        )


def _interviews(world: World) -> None:
    """Interviews of 赵磊 and 孙涛, each with a training request; 孙涛's is planned by HR."""
    from aftersales.interviews.services import training_request_plan
    from tests.interviews.helpers import TRAINING, record

    record("engineer", **TRAINING)
    planned = record("engineer2", **TRAINING).training_request
    training_request_plan(request=planned, planned_on=None, plan="内训", actor=world.users["hr"])


def _result_cases(world: World) -> None:
    from aftersales.results.models import CaseKind, ResultCase

    for username in ("engineer", "engineer2"):
        ResultCase.objects.create(
            employee=world.employee(username), kind=CaseKind.WORK_REPORT, year=2024, facts={"composites": {}}
        )


def _proposals(world: World) -> None:
    """Evidence proposals of January 2025: one proposed on 赵磊's form, one accepted on 孙涛's."""
    from aftersales.evidence.models import Proposal, Status
    from tests.evidence.access_cases import _period, _proposal

    proposed = Proposal.objects.get(**_proposal(world))  # 赵磊's form
    accepted = Proposal.objects.get(pk=proposed.pk)
    accepted.pk, accepted.status = None, Status.ACCEPTED
    accepted.appraisal = _period(world).appraisals.get(employee=world.employee("engineer2"))  # 孙涛's
    accepted.save()


def _orders(world: World) -> None:
    """An order of 赵磊 closed, one of 孙涛 dispatched."""
    from aftersales.service.models import OrderStatus, WorkOrder
    from tests.service.access_cases import _order

    closed = _order(world, "engineer", "resolved")
    WorkOrder.objects.filter(pk=closed.pk).update(status=OrderStatus.CLOSED)
    _order(world, "engineer2")


def _reports(world: World) -> None:
    """A service report of 赵磊 and one of 孙涛."""
    from aftersales.service import services
    from tests.service.access_cases import _order, _report

    _report(world)
    engineer2 = world.employee("engineer2").user
    services.report_start(order=_order(world, "engineer2", "resolved"), actor=engineer2)


def _complaints(world: World) -> None:
    from django.utils import timezone

    from aftersales.service import services

    for username in ("engineer", "engineer2"):
        services.complaint_record(
            actor=world.employee("dispatcher").user,
            employee=world.employee(username),
            received_at=timezone.now(),
            channel="phone",
            complainant="刘工",
            content="服务不及时",
            handler=world.employee("support"),
        )


def _calls(world: World) -> None:
    from tests.service.access_cases import _call

    _call(world, handler="support")
    _call(world, handler="engineer2")


def _stock(world: World) -> None:
    """The central store: 液压泵 and 接触器 received."""
    from aftersales.parts import services
    from tests.factories import PartFactory, stocked

    store, _part, _receipt = stocked(number="YY-100", name="液压泵")
    keeper = world.employee("keeper").user
    services.receipt_create(store=store, lines=[(PartFactory(name="接触器"), 3)], actor=keeper)


def _requisitions(world: World) -> None:
    """Requisitions of 赵磊 (issued by the keeper) and 孙涛 (issued, and one proposed)."""
    from aftersales.parts import services
    from aftersales.parts.models import Part, Requisition, Store

    _stock(world)
    store, part = Store.objects.get(code="central"), Part.objects.get(number="YY-100")
    for username, status in [("engineer", "approved"), ("engineer2", "approved"), ("engineer2", "proposed")]:
        requisition = Requisition.objects.create(
            engineer=world.employee(username),
            store=store,
            part=part,
            quantity=1,
            reason="更换",
            status=status,
        )
        if status == "approved":
            services.requisition_issue(requisition=requisition, actor=world.employee("keeper").user)


def _repair_jobs(world: World) -> None:
    """A job of 郑浩 open, one of 冯军 completed."""
    from django.utils import timezone

    from aftersales.repair.models import RepairJob

    now = timezone.now()
    for username, completed in [("technician", None), ("technician2", now)]:
        RepairJob.objects.create(
            technician=world.employee(username),
            unit_serial="SN-1",
            product="控制器",
            received_at=now - timezone.timedelta(days=2),
            completed_at=completed,
            created_by=world.users["head"],
        )


def _records(kind: str):
    """Records of ``kind`` by 赵磊 and 孙涛 (attendance: about them, recorded by their supervisor)."""

    def build(world: World) -> None:
        from django.utils import timezone

        from aftersales.service.record_kinds import KINDS
        from tests.service.access_cases import _own_record_data

        for username in ("engineer", "engineer2"):
            if kind == "attendance":
                data = {"employee": world.employee(username).pk, "date": _today().isoformat(), "kind": "late"}
                actor = world.users["supervisor"]
            else:
                data = _own_record_data(kind)(world)
                actor = world.employee(username).user
            if "found_at" in data:
                data["found_at"] = timezone.now() - timezone.timedelta(hours=2)
            employees = Employee.objects.all()
            form = KINDS[kind].form(data, orders=None, employees=employees)
            assert form.is_valid(), form.errors
            KINDS[kind].create(actor, form.cleaned_data)

    return build


def _closed_month(world: World) -> None:
    from tests.payroll.helpers import demo_close

    demo_close(2025, 1)


def _incidents(world: World) -> None:
    from tests.service.access_cases import _incident

    _incident(world)


def _quality(world: World) -> None:
    from tests.service.access_cases import _quality

    _quality(world)


def _phone_offs(world: World) -> None:
    from aftersales.service import services

    for username in ("engineer", "engineer2"):
        services.phone_off_record(
            actor=world.users["supervisor"], employee=world.employee(username), day=_today(), note="未接"
        )


def _freight(world: World) -> None:
    from decimal import Decimal

    from aftersales.parts import services
    from aftersales.parts.models import Store

    _stock(world)
    services.freight_record(
        store=Store.objects.get(code="central"),
        handler=world.employee("engineer"),
        description="邮寄液压泵",
        amount=Decimal(20),
        actor=world.employee("keeper").user,
    )


def _claims(world: World) -> None:
    from decimal import Decimal

    from aftersales.parts import services
    from aftersales.parts.models import Part, Store

    _stock(world)
    part = Part.objects.get(number="YY-100")
    services.claim_create(
        store=Store.objects.get(code="central"),
        supplier=part.supplier,
        part=part,
        quantity=1,
        reason="质量问题",
        amount_claimed=Decimal(100),
        actor=world.employee("keeper").user,
    )


def _composites(world: World) -> None:
    """Archived scores of this year for 赵磊 and 孙涛."""
    from tests.results.factories import archived

    for username in ("engineer", "engineer2"):
        archived(world.employee(username), f"{_today().year}-01", 90)


LISTS = [
    ListExport(
        "appraisal:index",
        "head",
        {"state": "archived", "year": "all", "month": "all"},
        lambda a: a.employee.number,
        everything={"year": "all", "month": "all"},  # the list shows the latest month by default
        rows=_appraisals,
    ),
    ListExport(
        "discipline:index",
        "head",
        {"kind": "merit"},
        lambda r: r.employee.number,
        column=1,
        page_key="page",
        rows=_discipline,
    ),
    ListExport(
        "interviews:index", "hr", {}, lambda i: i.employee.number, column=1, page_key="page", rows=_interviews
    ),
    ListExport(
        "interviews:training-list",
        "hr",
        {"status": "requested"},
        lambda t: t.employee.number,
        page_key="page",
        rows=_interviews,
    ),
    ListExport(
        "results:index", "hr", {}, lambda c: c.employee.number, column=1, page_key="page", rows=_result_cases
    ),
    ListExport(
        "evidence:index",
        "hr",
        {"show": "all", "status": "proposed"},
        lambda p: p.appraisal.employee.number,
        column=1,
        employee_sees=False,
        everything={"show": "all"},
        rows=_proposals,
    ),
    ListExport(
        "service:order-list", "head", {"status": "closed"}, lambda o: o.number, page_key="page", rows=_orders
    ),
    ListExport("service:report-list", "head", {}, str, page_key="page", rows=_reports),
    ListExport(
        "service:complaint-list",
        "head",
        {},
        lambda c: c.employee.number,
        column=1,
        page_key="page",
        rows=_complaints,
    ),
    ListExport("service:call-list", "head", {}, lambda e: e.number, page_key="page", rows=_calls),
    ListExport(
        "parts:requisitions",
        "head",
        {"status": "issued"},
        lambda r: r.number,
        page_key="page",
        rows=_requisitions,
    ),
    ListExport(
        "parts:catalogue",
        "head",
        {"q": "液压"},
        lambda p: p.number,
        page_key="page",
        employee_sees=False,
        rows=_stock,
    ),
    ListExport(
        "parts:store-detail",
        "hr",
        _first_part_of_store,
        lambda m: m.part.number,
        column=2,
        page_key="page",
        kwargs=_store,
        employee_sees=False,
        rows=_stock,
    ),
    ListExport(
        "repair:jobs",
        "head",
        {"status": "open"},
        lambda j: j.number,
        page_key="page",
        employee_sees=False,
        rows=_repair_jobs,
    ),
    *(
        ListExport(
            "service:record-list",
            "head",
            query,
            lambda r: r.employee.number,
            page_key="page",
            kwargs=lambda kind=kind: {"kind": kind},
            label=f"service:record-list[{kind}]",
            rows=_records(kind),
        )
        for kind, query in [
            ("routine-reports", _number_of("engineer2")),
            ("attendance", _number_of("engineer2")),
            ("customer-visits", {}),
            ("market-info", {}),
            ("paid-services", {}),
            ("escalations", {}),
            ("expense-claims", {}),
        ]
    ),
    ListExport(
        "payroll:index",
        "hr",
        {},
        lambda line: line.employee.number,
        column=2,
        expected=_current_lines,
        rows=_closed_month,
    ),
    # the incidents, quality reports and freight here are all the employee's own: nothing to narrow
    ListExport(
        "service:incident-list",
        "hr",
        {},
        lambda i: i.employee.number,
        column=1,
        page_key="page",
        employee_sees=False,
        rows=_incidents,
    ),
    ListExport(
        "service:quality-list",
        "hr",
        {},
        lambda r: r.product,
        column=1,
        page_key="page",
        employee_sees=False,
        rows=_quality,
    ),
    ListExport(
        "service:phoneoff-list",
        "hr",
        {},
        lambda p: p.employee.number,
        column=1,
        page_key="page",
        rows=_phone_offs,
    ),
    ListExport(
        "parts:freight",
        "hr",
        {},
        lambda c: c.description,
        column=1,
        page_key="page",
        employee_sees=False,
        rows=_freight,
    ),
    ListExport(
        "parts:claims", "hr", {}, lambda c: c.number, page_key="page", employee_sees=False, rows=_claims
    ),
    ListExport(
        "parts:open-items",
        "hr",
        {},
        lambda i: i.requisition.number,
        column=1,
        expected=_open_items,
        rows=_requisitions,
    ),
    ListExport(
        "results:composites", "hr", {}, lambda row: row.employee.number, page_key="page", rows=_composites
    ),
]


def _login(client, persona: str) -> None:
    client.force_login(get_user_model().objects.get(username=PERSONAS[persona]))


def _get(client, case: ListExport, query: dict[str, str], xlsx: bool = False):
    params = dict(query, format="xlsx") if xlsx else query
    response = client.get(reverse(case.url, kwargs=case.kwargs()), params)
    assert response.status_code == 200
    return response


def _keys(case: ListExport, rows: list[list]) -> list[str]:
    return sorted(str(row[case.column]) for row in rows)


def _selected(client, case: ListExport, query: dict[str, str]) -> list:
    """Every object the list page selects with ``query`` (all pages)."""
    response = _get(client, case, query)
    if case.expected is not None:
        return list(case.expected(response.wsgi_request.user))
    return page_objects(response, case.page_key)


@pytest.mark.parametrize("case", LISTS, ids=lambda case: case.id)
def test_the_export_has_the_filtered_rows_of_every_page_and_no_others(client, personas, case):
    case.rows(World())
    _login(client, case.persona)
    query = case.filters()
    selected = _selected(client, case, query)
    if query:
        everything = _selected(client, case, case.everything)
        assert 0 < len(selected) < len(everything), "the filter must select some rows, not all"
    else:
        assert selected, "the list must have rows (the case's ``rows``)"
    response = _get(client, case, query, xlsx=True)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(response.content)
    assert _keys(case, rows) == sorted(str(case.key(obj)) for obj in selected)


@pytest.mark.parametrize("case", LISTS, ids=lambda case: case.id)
def test_the_export_runs_the_same_queries_for_few_rows_and_many(client, personas, case):
    case.rows(World())
    _login(client, case.persona)
    counts = []
    for query in (case.filters() or {"page": "2"}, case.everything):
        with CaptureQueriesContext(connection) as queries:
            _get(client, case, query, xlsx=True)
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("case", [c for c in LISTS if c.employee_sees], ids=lambda case: case.id)
def test_an_employee_exports_only_what_the_list_shows_them(client, personas, case):
    """R-1.1: an employee's export holds the rows of their own list, fewer than the wide persona's."""
    case.rows(World())
    _login(client, case.persona)
    wide = sheet_rows(_get(client, case, case.everything, xlsx=True).content)
    _login(client, "employee")
    shown = _selected(client, case, case.everything)
    rows = sheet_rows(_get(client, case, case.everything, xlsx=True).content)
    assert _keys(case, rows) == sorted(str(case.key(obj)) for obj in shown)
    assert len(rows) < len(wide)


@pytest.mark.parametrize("case", LISTS, ids=lambda case: case.id)
def test_text_that_would_run_as_a_formula_is_neutralised(client, personas, case):
    """Every employee's name begins with "=" and every part's with "@": the export writes them with a
    leading apostrophe, so a spreadsheet shows the text and runs nothing."""
    case.rows(World())
    from aftersales.parts.models import Part

    Employee.objects.update(name=Concat(Value('=HYPERLINK("x")&'), "name"))
    Part.objects.update(name=Concat(Value("@SUM(A1)"), "name"))
    _login(client, case.persona)
    rows = sheet_rows(_get(client, case, case.filters(), xlsx=True).content)
    assert formula_cells(rows) == []
    neutralised = [v for row in rows for v in row if isinstance(v, str) and v.startswith(("'=", "'@"))]
    assert neutralised


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"])
def test_the_cell_helper_neutralises_each_formula_start(text):
    assert cell(text) == "'" + text
    assert sheet_rows(xlsx_workbook([("h", lambda row: row)], [text]))[0] == ["'" + text]


def test_the_cell_helper_keeps_numbers_and_plain_text():
    from decimal import Decimal

    assert cell(Decimal("-3.5")) == Decimal("-3.5")
    assert cell("王建国") == "王建国"
    assert cell(None) is None


@pytest.mark.parametrize("case", LISTS, ids=lambda case: case.id)
def test_the_list_links_its_export_with_the_current_filters(client, personas, case):
    case.rows(World())
    _login(client, case.persona)
    query = dict(case.filters(), page="1")
    html = _get(client, case, query).content.decode()
    link = re.search(r'class="[^"]*export-link[^"]*" href="\?([^"]*)"', html)
    assert link, "the list has no 导出 Excel link"
    params = dict(parse_qsl(unescape(link.group(1))))
    assert params == {**case.filters(), "format": "xlsx"}  # the filters kept, the page dropped


def test_hr_exports_the_pay_overview_of_the_year_they_look_at(client, personas):
    """薪资总览: one row per department, P (distributable) per month, as the page's table."""
    from aftersales.payroll.selectors import overview

    _closed_month(World())

    _login(client, "hr")
    year = _closed_year()
    response = client.get(reverse("payroll:overview"), {"year": year, "format": "xlsx"})
    rows = sheet_rows(response.content)
    departments, months, cells = overview(year)
    assert [row[0] for row in rows] == [d.name for d in departments]
    for row, department in zip(rows, departments, strict=True):
        expected = [
            cells[(department.pk, m)].distributable if (department.pk, m) in cells else None for m in months
        ]
        assert row[1:] == expected
    assert sheet_rows(client.get(reverse("payroll:overview"), {"year": 2001, "format": "xlsx"}).content) == []
    _login(client, "head")
    assert client.get(reverse("payroll:overview"), {"year": year, "format": "xlsx"}).status_code == 403


def _closed_year() -> int:
    from aftersales.payroll.models import CloseVersion

    return CloseVersion.objects.filter(is_current=True).values_list("period__year", flat=True)[0]
