"""The pay pages and API: pay sheet exports, the simulator, the fund, scoping, query counts."""

from __future__ import annotations

import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from aftersales.organisation.models import Category, Employee
from aftersales.payroll import selectors
from aftersales.payroll.models import (
    CloseLine,
    CloseVersion,
    DepartmentCoefficient,
    FundPayout,
    PaySettings,
)
from aftersales.payroll.services import ActionError, close_run, fund_payout
from tests.payroll.helpers import Person, demo_close, pool

D = Decimal
WRITES = ("INSERT", "UPDATE", "DELETE")


def _close(code, people, hr, **kwargs):
    dept, staff, _period = pool(code, people, **kwargs)
    (version,) = close_run(department=dept, year=2025, month=3, actor=hr).created
    return dept, staff, version


# ---------------------------------------------------------------------------------------------
# Query counts: list pages and API lists do not grow with the rows


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("payroll:index"),
        reverse("payroll:overview") + "?year=2025",
        reverse("api-payroll:close-list"),
        reverse("api-payroll:line-list"),
    ],
)
def test_lists_take_the_same_number_of_queries_for_few_and_many_rows(client, hr, url):
    client.force_login(hr)
    _close("few", [Person("3000", "90")], hr)
    few = _count(client, url)
    for index in range(4):
        _close(f"many{index}", [Person("3000", "90"), Person("2000", "80"), Person("2000", "70")], hr)
    # session · user · roles · the page of rows (with its totals in one GROUP BY) · its count; the
    # index also reads the settings changes once for the "out of date" flag and the newest
    # and the oldest year that have pay sheets (its year select: two index seeks)
    assert _count(client, url) == few <= 10


def test_the_pay_sheet_page_takes_the_same_number_of_queries_for_few_and_many_lines(client, hr):
    client.force_login(hr)
    _d, _s, small = _close("s", [Person("3000", "90")], hr)
    _d, _s, large = _close("l", [Person("3000", str(60 + i)) for i in range(20)], hr)
    small_url, large_url = (reverse("payroll:close-detail", args=[v.pk]) for v in (small, large))
    # session · user · roles · the version · its line ids in order · the page's lines · the sheet's
    # sums · its grade counts · pending overrides · the history with held counts
    # + what changed since the close (R-3.1 out of date): one query per kind of change (6)
    assert _count(client, small_url) == _count(client, large_url) <= 16


def test_trend_takes_the_same_number_of_queries_for_one_or_three_months(client, hr):
    client.force_login(hr)
    dept, staff, _v = _close("t", [Person("3000", "90")], hr)
    url = reverse("payroll:trend", args=[dept.pk]) + "?year=2025"
    one = _count(client, url)
    from tests.payroll.helpers import archived_month

    for month in (4, 5):
        archived_month(dept, 2025, month, staff, [Person("3000", "80")], hr)
        close_run(department=dept, year=2025, month=month, actor=hr)
    assert _count(client, url) == one


# ---------------------------------------------------------------------------------------------
# The pay sheet as .xlsx and PDF (part 4)


def test_the_xlsx_pay_sheet_has_the_source_columns_totals_and_a_header(client, hr):
    dept, staff, _period = pool("x", [Person("3000", "100"), Person("2000", "98")])
    Employee.objects.filter(pk=staff[1].pk).update(name='=HYPERLINK("http://x")')
    (version,) = close_run(department=dept, year=2025, month=3, actor=hr).created
    client.force_login(hr)
    response = client.get(reverse("payroll:close-xlsx", args=[version.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "绩效薪资表"
    assert rows[1][:3] == [f"部门：{dept.name}", "月份：2025年3月", "部门月度绩效系数 d：1"]
    assert rows[3][:7] == ["姓名", "职位", "职位标准薪资", "标准绩效薪资", "考核得分", "绩效系数", "绩效薪资"]
    assert rows[5][0] == '\'=HYPERLINK("http://x")'  # formula injection neutralised
    assert rows[-1][0] == "合计" and Decimal(str(rows[-1][6])) == version.distributable


def test_the_pdf_pay_sheet_renders_chinese(client, hr):
    _d, _s, version = _close("pdf", [Person("3000", "100")], hr)
    client.force_login(hr)
    response = client.get(reverse("payroll:close-pdf", args=[version.pk]))
    assert response.content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True).stdout
    assert "绩效薪资表" in text.decode()


def _words(pdf: bytes) -> list[tuple[str, float]]:
    """Each word of the PDF with the x of its right edge (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    pattern = r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
    return [(word, float(x_max)) for x_max, word in re.findall(pattern, html.decode())]


def test_the_pdf_pay_sheet_is_the_paper_sheet(client, hr):
    """Every line and figure of the page, amounts right-aligned with two decimals (R-5.1: whole fen),
    and the 制表/审核/批准 lines — 制表 filled in with who closed the month."""
    _d, _staff, version = _close(
        "pdfs", [Person("3000", "100"), Person("25000", "90"), Person("900", "80")], hr
    )
    client.force_login(hr)
    page = client.get(reverse("payroll:close-detail", args=[version.pk])).content.decode()
    pdf = client.get(reverse("payroll:close-pdf", args=[version.pk])).content
    words = _words(pdf)
    text = "".join(word for word, _x in words)
    lines = list(selectors.lines_of(version))
    for line in lines:
        assert line.employee.name in page and line.employee.name in text
        for amount in (line.standard_salary, line.standard_pay, line.pay):
            assert f"{amount:,.2f}" in text, amount
    assert f"{version.distributable:,.2f}" in text  # the totals row: Σ pay = P
    pay_edges = {x for word, x in words if word in {f"{line.pay:,.2f}" for line in lines}}
    assert len({f"{line.pay:,.2f}" for line in lines}) == 3 and max(pay_edges) - min(pay_edges) < 0.5
    assert "制表：" in text and "审核：" in text and "批准：" in text
    closed_on = timezone.localdate(version.closed_at)
    assert f"{hr.get_username()}日期：{closed_on.year}年{closed_on.month}月{closed_on.day}日" in text


# ---------------------------------------------------------------------------------------------
# The what-if simulator (part 5): side by side, in memory


def test_the_simulator_with_the_versions_own_rules_reproduces_the_close(hr):
    people = [Person("5000", s, Category.FIELD_SERVICE) for s in ["95", "88", "80", "74", "60"]]
    _d, _s, version = _close("sim", people, hr, head=0, head_in_pool=False)
    lines = list(selectors.lines_of(version))
    simulation = selectors.simulate(version, lines)
    assert [row.after.pay for row in simulation.rows] == [line.pay for line in lines]
    assert not any(row.changed for row in simulation.rows)


def test_the_simulator_shows_the_effect_and_writes_nothing(client, hr):
    people = [Person("5000", s, Category.FIELD_SERVICE) for s in ["95", "88", "80", "74", "60"]]
    _d, _s, version = _close("sim2", people, hr)
    before = (list(CloseLine.objects.values()), list(CloseVersion.objects.values()))
    client.force_login(hr)
    url = reverse("payroll:simulator", args=[version.pk])
    query = (
        "quota_a=4&quota_b=6&quota_c=20&quota_d=60&quota_e=10&pay_ratio=0.5&rounding_unit=10&coefficient=0.9"
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    simulation = response.context["simulation"]
    # §5.1 quotas, n = 5: A 0 · B 0 · C 1 · D 3 · E 1 (was C 3 · D 1 · E 1)
    assert [row.grade_after for row in simulation.rows] == ["C", "D", "D", "D", "E"]
    assert [row.line.grade for row in simulation.rows] == ["C", "C", "C", "D", "E"]
    assert simulation.after.distributable == D(11250)  # 0.9 × 0.5 × 25000
    assert all(pay % 10 == 0 for pay in (r.after.pay for r in simulation.rows))
    assert not [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert (list(CloseLine.objects.values()), list(CloseVersion.objects.values())) == before


def test_the_simulator_refuses_quotas_that_do_not_sum_to_100(client, hr):
    _d, _s, version = _close("sim3", [Person("5000", "90")], hr)
    client.force_login(hr)
    response = client.get(reverse("payroll:simulator", args=[version.pk]) + "?quota_a=50")
    assert response.context["simulation"] is None and response.context["form"].errors


# ---------------------------------------------------------------------------------------------
# The quarterly adjustment fund


def test_r_5_4_the_fund_takes_the_balance_pays_out_with_reasons_and_carries_over(hr):
    dept, staff, _v = pool("fund", [Person("3000", "100"), Person("2000", "90")])
    DepartmentCoefficient.objects.create(
        department=dept, year=2025, month=3, value=D("0.9"), reason="x", set_by=hr
    )
    close_run(department=dept, year=2025, month=3, actor=hr)  # B = 1500, P = 1350: 150 to the fund
    fund_payout(
        department=dept, year=2025, quarter=1, employee=staff[0], amount=D(100), reason="调节奖励", actor=hr
    )
    with pytest.raises(ActionError, match="超出"):
        fund_payout(
            department=dept, year=2025, quarter=1, employee=staff[1], amount=D(51), reason="x", actor=hr
        )
    fund_payout(
        department=dept, year=2025, quarter=2, employee=staff[1], amount=D(50), reason="结转后发放", actor=hr
    )
    first, second = selectors.fund_ledger(dept)
    assert (first.ledger.opening, first.ledger.inflows, first.ledger.payouts, first.ledger.closing) == (
        0,
        150,
        100,
        50,
    )
    assert (second.ledger.opening, second.ledger.payouts, second.ledger.closing) == (50, 50, 0)
    assert FundPayout.objects.get(amount=100).history.get().history_user == hr  # audited


def test_a_payout_needs_a_reason_and_an_employee_of_the_department(hr):
    dept, staff, _v = _close("fund2", [Person("3000", "100")], hr, head_in_pool=True)
    _other, outsiders, _v2 = _close("fund3", [Person("3000", "100")], hr)
    with pytest.raises(ActionError):
        fund_payout(
            department=dept, year=2025, quarter=1, employee=staff[0], amount=D(1), reason=" ", actor=hr
        )
    with pytest.raises(ActionError):
        fund_payout(
            department=dept, year=2025, quarter=1, employee=outsiders[0], amount=D(1), reason="x", actor=hr
        )


# ---------------------------------------------------------------------------------------------
# Pages as the people use them (the persona organisation)


def test_hr_closes_from_the_page_and_a_re_close_without_reason_is_refused(client, personas):
    hr = get_user_model().objects.get(username="hr")
    version = demo_close()
    client.force_login(hr)
    DepartmentCoefficient.objects.filter(year=2025, month=1).update(value=D(1))
    data = {"department": version.period.department_id, "year": 2025, "month": 1, "reason": ""}
    response = client.post(reverse("payroll:close-run"), data)
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(reverse("payroll:close-run"), {**data, "reason": "部门系数更正为1"})
    new = CloseVersion.objects.get(period=version.period, is_current=True)
    assert response.status_code == 302 and response["Location"] == reverse(
        "payroll:close-detail", args=[new.pk]
    )
    assert new.number == 2 and new.distributable == new.pool_base.to_integral_value(rounding="ROUND_FLOOR")


def test_an_employee_sees_only_their_own_lines(client, personas):
    demo_close()
    engineer = get_user_model().objects.get(username="engineer")
    client.force_login(engineer)
    body = client.get(reverse("api-payroll:line-list"), {"year": 2025, "month": 1}).json()
    assert [line["employee_name"] for line in body["results"]] == ["赵磊"]
    demo_close(2025, 2)
    every_month = client.get(reverse("api-payroll:line-list")).json()["results"]
    assert [line["employee_name"] for line in every_month] == ["赵磊", "赵磊"]  # his line of each month
    assert client.get(reverse("api-payroll:close-list")).json()["results"] == []
    page = client.get(reverse("payroll:index"))
    assert {line.employee.name for line in page.context["mine"]} == {"赵磊"}


def test_the_supervisor_sees_the_team_and_the_head_the_sheet(client, personas):
    version = demo_close()
    client.force_login(get_user_model().objects.get(username="regional"))
    names = {line["employee_name"] for line in client.get(reverse("api-payroll:line-list")).json()["results"]}
    assert names == {"陈刚", "赵磊", "孙涛", "周鹏"}
    client.force_login(get_user_model().objects.get(username="head"))
    response = client.get(reverse("payroll:close-detail", args=[version.pk]))
    assert response.status_code == 200 and len(response.context["lines"]) == version.lines.count()


def test_the_api_runs_a_close_for_hr(client, hr):
    dept, _staff, _period = pool("api", [Person("3000", "100"), Person("2000", "98")])
    client.force_login(hr)
    url = reverse("api-payroll:close-list")
    body = {"department": dept.pk, "year": 2025, "month": 3}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201
    (created,) = response.json()["created"]
    assert created["line_count"] == 2 and created["distributable"] == "1500.00"
    again = client.post(url, body, content_type="application/json").json()
    assert again["created"] == [] and len(again["unchanged"]) == 1
    refused = client.post(
        url, {"department": dept.pk, "year": 2025, "month": 4}, content_type="application/json"
    )
    assert refused.status_code == 400


def test_settings_changes_are_kept_with_who_and_why(client, hr):
    client.force_login(hr)
    data = {"pay_ratio": "0.5", "rounding_unit": "1", "score_cap": "100", "quota_scheme": "custom"}
    data |= {"quota_a": "5", "quota_b": "5", "quota_c": "60", "quota_d": "20", "quota_e": "10"}
    data |= {f"factor_{code}": "score" for code, _label in Category.choices} | {"factor_repair": "grade"}
    response = client.post(reverse("payroll:settings"), {**data, "reason": "按原文举例 50%"})
    assert response.status_code == 302
    settings = PaySettings.load()
    assert settings.pay_ratio == D("0.5") and settings.quotas()["A"] == D(5)
    latest = settings.history.first()
    assert (latest.history_user, latest.history_change_reason) == (hr, "按原文举例 50%")
    assert selectors.grade_factor_categories() == {"repair"}
    bad = client.post(reverse("payroll:settings"), {**data, "quota_a": "50", "reason": "x"})
    assert bad.status_code == 200 and bad.context["form"].errors


# ---------------------------------------------------------------------------------------------
# Totals stored on the version when it is written (issue 11: lists do not aggregate the lines)


def test_a_version_carries_its_totals_as_its_lines_sum_them(hr):
    from django.db.models import Avg, Count, Sum

    _close("tot", [Person("3000", "90"), Person("2000", "80"), Person("2000", "75")], hr)
    for version in CloseVersion.objects.all():
        figures = version.lines.aggregate(n=Count("pk"), pay=Sum("pay"), mean=Avg("final_score"))
        assert version.line_count == figures["n"]
        assert version.pay_total == (figures["pay"] or 0)
        if figures["mean"] is None:
            assert version.mean_score is None
        else:
            assert abs(version.mean_score - Decimal(str(figures["mean"]))) < Decimal("0.01")


def test_a_large_pay_sheet_is_shown_a_page_at_a_time_with_the_whole_sheets_totals(client, hr):
    from aftersales.payroll.views import PAY_SHEET_PAGE

    people = [Person("3000", str(60 + i % 40)) for i in range(PAY_SHEET_PAGE + 5)]
    _d, _s, version = _close("big", people, hr)
    client.force_login(hr)
    url = reverse("payroll:close-detail", args=[version.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert first.count('id="line-') == PAY_SHEET_PAGE and second.count('id="line-') == 5
    total = f"{version.pay_total:,.2f}"  # grouped by thousands (千分位)
    assert total in first.split('id="pay-total"')[1][:40] and total in second.split('id="pay-total"')[1][:40]
    assert _count(client, url) == _count(client, url + "?page=2")


def test_the_lines_api_pages_by_key_and_a_deep_page_costs_what_the_first_does(client, hr):
    for index in range(3):
        _close(f"k{index}", [Person("3000", str(60 + i)) for i in range(9)], hr)
    client.force_login(hr)
    url = reverse("api-payroll:line-list") + "?page_size=4"
    seen, queries = [], []
    while url:
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).json()
        queries.append(len(captured))
        assert "count" not in body  # no count of every row of history
        seen += [line["id"] for line in body["results"]]
        url = body["next"]
    assert (
        sorted(seen, reverse=True)
        == seen
        == list(CloseLine.objects.order_by("-pk").values_list("pk", flat=True))
    )
    assert len(set(queries)) == 1, queries


def test_the_payroll_index_lists_one_year_of_pay_sheets_at_a_time(client, hr):
    """Issue 11: HR's list of pay sheets shows the latest year by default (a year select for the
    others), so the page does not grow with the years of history."""
    dept, _staff, _period = pool("y-old", [Person("3000", "90")], year=2023, month=5, actor=hr)
    (old,) = close_run(department=dept, year=2023, month=5, actor=hr).created
    _dept, _staff, new = _close("y-new", [Person("3000", "90")], hr)  # 2025-03
    client.force_login(hr)
    link = 'href="{}"'
    page = client.get(reverse("payroll:index"), {"year": "2025"}).content.decode()
    assert link.format(reverse("payroll:close-detail", args=[new.pk])) in page
    assert link.format(reverse("payroll:close-detail", args=[old.pk])) not in page
    assert '<option value="2023">' in page and '<option value="2025" selected>' in page
    page = client.get(reverse("payroll:index"), {"year": "2023"}).content.decode()
    assert link.format(reverse("payroll:close-detail", args=[old.pk])) in page
    assert link.format(reverse("payroll:close-detail", args=[new.pk])) not in page
    # without a year (or a year without pay sheets) the latest year with pay sheets is shown
    latest = CloseVersion.objects.order_by("-period__year").values_list("period__year", flat=True)[0]
    for query in ({}, {"year": "1999"}, {"year": "x"}):
        page = client.get(reverse("payroll:index"), query).content.decode()
        assert f'<option value="{latest}" selected>' in page


def test_the_overview_cell_links_the_pay_sheet_with_its_pool_head_count_and_mean(client, hr):
    """The overview's cells are made in Python (2,400 for 200 departments): the same link, P rounded
    half up and grouped by thousands, head count and mean score as the template made them."""
    _dept, _staff, version = _close("ov", [Person("3000", "90"), Person("2000", "81")], hr)
    CloseVersion.objects.filter(pk=version.pk).update(distributable=D("12345.50"), mean_score=D("85.55"))
    client.force_login(hr)
    html = client.get(reverse("payroll:overview"), {"year": 2025}).content.decode()
    href = reverse("payroll:close-detail", args=[version.pk])
    assert f'<a href="{href}" title="人数 2 · 平均得分 85.6">12,346</a>' in html
