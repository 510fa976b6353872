"""Access matrix of the pay pages and API (R-1.1).

A close of 售后服务部 (the personas' department) is a pay sheet: HR and the department head 王建国 see it;
赵磊 (employee) sees his own line, 陈刚 (supervisor) his and his team's, the outsider nothing.
HR alone closes, overrides, releases, simulates and edits the settings; HR and the head pay from
the department's adjustment fund.
"""

from __future__ import annotations

from tests.access.cases import EVERYONE, STAFF_OF_DEPARTMENT, Case
from tests.payroll.helpers import Person, archived_month, demo_close

ONLY_HR = frozenset({"hr"})
HR_AND_HEAD = frozenset({"hr", "head"})


def _close(world):
    return {"pk": demo_close().pk}


def _line_of(username):
    def kwargs(world):
        return {"pk": demo_close().lines.get(employee__user__username=username).pk}

    return kwargs


def _held_line(world):
    version = demo_close(held=("engineer",))
    return {"pk": version.lines.get(employee__user__username="engineer").pk}


def _department(code):
    def kwargs(world):
        from aftersales.organisation.models import Department

        demo_close()  # a close with a balance: the fund has something to pay from
        return {"pk": Department.objects.get(code=code).pk}

    return kwargs


def _run_data(world):
    from aftersales.organisation.models import Department

    dept = Department.objects.get(code="hrd")
    staff = [world.employees["hr"]]
    archived_month(dept, 2025, 2, staff, [Person("6000", "90")], world.users["hr"])
    return {"department": str(dept.pk), "year": "2025", "month": "2", "reason": ""}


def _api_run_data(world):
    data = _run_data(world)
    return {**data, "department": int(data["department"]), "year": 2025, "month": 2}


def _payout_data(world):
    return {
        "year": "2025",
        "quarter": "1",
        "employee": str(world.employees["employee"].pk),
        "amount": "10",
        "reason": "季度调节奖励：用户表扬",
    }


def _settings_data(world):
    data = {"pay_ratio": "0.3", "rounding_unit": "1", "score_cap": "100", "quota_scheme": "s2_4"}
    data |= {"quota_a": "4", "quota_b": "6", "quota_c": "60", "quota_d": "20", "quota_e": "10"}
    categories = ["tech_support", "tech_improvement", "repair", "field_service", "regional_supervisor"]
    return data | {f"factor_{code}": "score" for code in categories} | {"reason": "年度复核"}


def _coefficient_data(world):
    from aftersales.organisation.models import Department

    dept = Department.objects.get(code="as")
    return {"department": str(dept.pk), "year": "2025", "month": "6", "value": "0.9", "reason": "部门考核"}


CASES = [
    Case("payroll:index", EVERYONE),
    Case("payroll:close-run", ONLY_HR),
    Case("payroll:close-run", ONLY_HR, method="post", data=_run_data),
    Case("payroll:close-detail", HR_AND_HEAD, kwargs=_close),
    Case("payroll:close-xlsx", HR_AND_HEAD, kwargs=_close),
    Case("payroll:close-pdf", HR_AND_HEAD, kwargs=_close),
    Case("payroll:simulator", ONLY_HR, kwargs=_close),
    Case("payroll:simulator", ONLY_HR, kwargs=_close, query="quota_c=20&quota_d=60", label="changed"),
    Case("payroll:line-detail", STAFF_OF_DEPARTMENT, kwargs=_line_of("engineer")),
    Case(
        "payroll:line-detail",
        frozenset({"supervisor", "head", "hr"}),
        kwargs=_line_of("engineer2"),
        label="team",
    ),
    Case("payroll:line-detail", HR_AND_HEAD, kwargs=_line_of("support"), label="other-team"),
    Case("payroll:line-override", ONLY_HR, kwargs=_line_of("engineer")),
    Case(
        "payroll:line-override",
        ONLY_HR,
        kwargs=_line_of("engineer"),
        method="post",
        data=lambda w: {"grade": "B", "reason": "用户书面表扬"},
    ),
    Case(
        "payroll:line-release",
        ONLY_HR,
        kwargs=_held_line,
        method="post",
        data=lambda w: {"note": "已补录面谈"},
    ),
    Case("payroll:fund", HR_AND_HEAD, kwargs=_department("as")),
    Case("payroll:fund", ONLY_HR, kwargs=_department("sales"), label="other-department"),
    Case("payroll:fund-payout", HR_AND_HEAD, kwargs=_department("as"), method="post", data=_payout_data),
    Case("payroll:trend", HR_AND_HEAD, kwargs=_department("as")),
    Case("payroll:overview", ONLY_HR),
    Case("payroll:settings", ONLY_HR),
    Case("payroll:settings", ONLY_HR, method="post", data=_settings_data),
    Case("payroll:coefficients", ONLY_HR),
    Case("payroll:coefficients", ONLY_HR, method="post", data=_coefficient_data),
    Case("api-payroll:close-list", EVERYONE),
    Case("api-payroll:close-list", ONLY_HR, method="post", data=_api_run_data, json=True),
    Case("api-payroll:close-detail", HR_AND_HEAD, kwargs=_close),
    Case("api-payroll:line-list", EVERYONE),
    Case("api-payroll:line-list", EVERYONE, kwargs=lambda w: {}, query="year=2025&month=1", label="month"),
    # API twins of the page acts (tests/api/test_twins.py)
    Case(
        "api-payroll:line-override",
        ONLY_HR,
        kwargs=_line_of("engineer"),
        method="post",
        data=lambda w: {"grade": "B", "reason": "用户书面表扬"},
        json=True,
    ),
    Case(
        "api-payroll:line-release",
        ONLY_HR,
        kwargs=_held_line,
        method="post",
        data=lambda w: {"note": "已补录面谈"},
        json=True,
    ),
    Case(
        "api-payroll:fund-payout",
        HR_AND_HEAD,
        kwargs=_department("as"),
        method="post",
        data=_payout_data,
        json=True,
    ),
    Case("api-payroll:settings", ONLY_HR, method="post", data=_settings_data, json=True),
    Case("api-payroll:coefficients", ONLY_HR, method="post", data=_coefficient_data, json=True),
]
