"""The close with S to the fen (R-5.1), versions closed before that rule (CloseVersion.s_to_fen), and
natural employee-number order in the close and the pay sheet (R-3.3, R-5.3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from aftersales.organisation.models import Category, Employee
from aftersales.payroll import calculation, paysheet, selectors
from aftersales.payroll.models import CloseVersion, DepartmentCoefficient, PaySettings
from aftersales.payroll.services import close_run
from tests.payroll.helpers import Person, _position, archived_month, department, pool

D = Decimal
FEN = D("0.01")
OLD_RULE_NOTE = "本版本按旧规则计算：标准绩效薪资S未取整到分"


def close(dept, actor, *, reason=""):
    return close_run(department=dept, year=2025, month=3, actor=actor, reason=reason)


def test_r_5_1_a_close_stores_s_to_the_fen_and_the_fund_inflow_in_whole_fen(hr):
    """R-5.1: salary 5796.78 × 0.30 = 1739.034 → S = 1739.03; B, P, pay and B − P are whole fen."""
    assert PaySettings.load().pay_ratio == D("0.30")
    dept, _staff, _period = pool("fen", [Person("5796.78", "100"), Person("5796.78", "90")])
    (version,) = close(dept, hr).created
    version.refresh_from_db()
    lines = list(version.lines.order_by("employee__number"))
    assert [line.standard_pay for line in lines] == [D("1739.03"), D("1739.03")]
    assert all(line.standard_pay != D("1739.034") for line in lines)
    assert version.s_to_fen
    assert version.pool_base == D("3478.06") and version.distributable == D(3478)
    assert version.fund_inflow == D("0.06")  # B − P, whole fen
    assert all(amount % FEN == 0 for amount in (version.pool_base, version.fund_inflow))
    assert sum(line.pay for line in lines) == version.distributable


def test_r_5_1_half_a_fen_rounds_up_in_the_close(hr):
    """R-5.1: 3333.32 × 0.30 = 999.996 → S = 1000.00, so P = 1000 (the unrounded S gave 999)."""
    dept, _staff, _period = pool("up", [Person("3333.32", "90")])
    (version,) = close(dept, hr).created
    version.refresh_from_db()
    assert version.lines.get().standard_pay == D(1000)
    assert (version.pool_base, version.distributable, version.fund_inflow) == (D(1000), D(1000), D(0))


def _old_rule(salary: Decimal, ratio: Decimal) -> Decimal:
    return salary * ratio


def _closed_before_r_5_1(hr, monkeypatch, code: str) -> CloseVersion:
    """A version as the close made it before R-5.1 rounded S (S = 999.996, P = 999), marked as
    payroll 0004 marks such versions."""
    dept, _staff, _period = pool(code, [Person("3333.32", "90")])
    with monkeypatch.context() as patch:
        patch.setattr(calculation, "standard_pay", _old_rule)
        (version,) = close(dept, hr).created
    CloseVersion.objects.filter(pk=version.pk).update(s_to_fen=False)
    version.refresh_from_db()
    assert version.lines.get().standard_pay == D("999.996") and version.distributable == D(999)
    return version


def test_r_5_1_a_version_closed_before_keeps_its_figures_and_the_simulator_reproduces_them(hr, monkeypatch):
    """R-5.1: an old version (s_to_fen False) is recomputed under its own rule by the simulator."""
    version = _closed_before_r_5_1(hr, monkeypatch, "old")
    lines = list(selectors.lines_of(version))
    simulation = selectors.simulate(version, lines)
    assert [row.after.pay for row in simulation.rows] == [line.pay for line in lines] == [D(999)]
    assert [row.after.standard_pay for row in simulation.rows] == [D("999.996")]
    assert simulation.after.distributable == version.distributable
    assert not any(row.changed for row in simulation.rows)


def test_r_5_1_re_closing_an_old_version_makes_a_new_one_under_the_new_rule(client, hr, monkeypatch):
    """R-5.1: the page says an old version used the old rule; a re-close (a correction, with a
    reason) is a new version with S to the fen, and the old one is kept as it was."""
    old = _closed_before_r_5_1(hr, monkeypatch, "reclose")
    client.force_login(hr)
    page = client.get(reverse("payroll:close-detail", args=[old.pk]))
    assert page.status_code == 200 and OLD_RULE_NOTE in page.content.decode()
    (new,) = close(old.period.department, hr, reason="按R-5.1重新结算").created
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.number, new.s_to_fen, new.distributable) == (2, True, D(1000))
    assert new.lines.get().standard_pay == D(1000)
    assert not old.is_current and not old.s_to_fen and old.lines.get().standard_pay == D("999.996")
    page = client.get(reverse("payroll:close-detail", args=[new.pk]))
    assert page.status_code == 200 and OLD_RULE_NOTE not in page.content.decode()
    assert close(old.period.department, hr).created == []  # and closing again changes nothing


# ---------------------------------------------------------------------------------------------
# Natural employee-number order


def test_r_5_3_the_close_gives_the_equal_remainder_to_e9_and_the_sheet_lists_e9_first(hr):
    """R-3.3, R-5.3: E9 and E10 with the same S and f, P = 3 units for two: E9 (the lower number in
    natural order, though "E10" < "E9" as text) gets 2; the pay sheet lists E9 first."""
    dept = department("nat")
    staff = [
        Employee.objects.create(
            number=number,
            name=f"员工{number}",
            department=dept,
            position=_position(Category.TECH_SUPPORT),
            category=Category.TECH_SUPPORT,
            standard_salary=D(10),
            active_from=date(2024, 1, 1),
        )
        for number in ("E10", "E9")
    ]
    archived_month(dept, 2025, 3, staff, [Person("10", "100"), Person("10", "100")], hr)
    DepartmentCoefficient.objects.create(
        department=dept, year=2025, month=3, value=D("0.5"), reason="测试", set_by=hr
    )
    (version,) = close(dept, hr).created  # S = 3, 3; B = 6; P = 3
    pays = {line.employee.number: line.pay for line in version.lines.select_related("employee")}
    assert pays == {"E9": D(2), "E10": D(1)}
    sheet = paysheet.pay_sheet(version, list(selectors.lines_of(version)))
    assert [row[0] for row in sheet.rows] == ["员工E9", "员工E10"]
