"""The monthly close (SPEC §3, §5): scores, grades, pay, held pay, versions, atomicity, query counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from aftersales.appraisal import services as appraisal_services
from aftersales.appraisal.demo import sample_entries
from aftersales.appraisal.models import Appraisal, State
from aftersales.appraisal.scoring import agreement_goals, appraisal_template
from aftersales.discipline.models import DisciplineRecord, Kind, Status
from aftersales.organisation.models import Category, Department, Employee, Position
from aftersales.payroll import services
from aftersales.payroll.changes import settings_changes
from aftersales.payroll.explain import explain_hold
from aftersales.payroll.models import (
    CategorySetting,
    CloseLine,
    CloseVersion,
    DepartmentCoefficient,
    GradeOverride,
    PayFactorMode,
    PaySettings,
)
from aftersales.payroll.services import (
    ActionError,
    close_run,
    grade_override,
    pay_release,
    pay_settings_update,
)
from tests.payroll.helpers import Person, employees, pool

D = Decimal


def pays(version: CloseVersion) -> list[Decimal]:
    return [line.pay for line in version.lines.order_by("employee__number")]


def close(dept, actor, *, year=2025, month=3, reason=""):
    return close_run(department=dept, year=year, month=month, actor=actor, reason=reason)


def table_sizes() -> tuple[int, ...]:
    return (CloseVersion.objects.count(), CloseLine.objects.count(), GradeOverride.objects.count())


# ---------------------------------------------------------------------------------------------
# the source's worked example, out of a real close of a real cycle


def _walk_to_archived(appraisal: Appraisal, goal_scores: list[str], users: dict) -> None:
    employee, supervisor = appraisal.employee.user, appraisal.employee.supervisor.user
    appraisal_services.appraisal_self_report(appraisal=appraisal, actor=employee, summary="按计划完成")
    entries = sample_entries(appraisal_template(appraisal), [g.weight for g in agreement_goals(appraisal)], 0)
    entries["monthly_goals"] = goal_scores  # the graded sections score 10 each with seed 0
    appraisal_services.appraisal_score(appraisal=appraisal, actor=supervisor, entries=entries)
    # 甲 heads the department: his own form passes on to an admin (his supervisor scored it, R-4.1)
    reviewer = users["admin"] if appraisal.employee.user == users["jia"] else users["jia"]
    appraisal_services.appraisal_review(appraisal=appraisal, actor=reviewer)
    appraisal_services.appraisal_confirm(appraisal=appraisal, actor=employee)
    appraisal_services.appraisal_archive(appraisal=appraisal, actor=users["hr"])


@pytest.fixture
def worked_example(personas):
    """甲 (主管, the department head, in the pool) 乙 丙 丁: salaries 3000/2000/2500/2000 (source §5.1)."""
    user_model = get_user_model()
    users = {u.username: u for u in user_model.objects.filter(username__in=["hr", "head", "admin"])}
    dept = Department.objects.create(code="example", name="示例部", head_in_pool=True)
    position = Position.objects.get(code="tech_support")
    boss = Employee.objects.get(user=users["head"])
    staff = {}
    for username, number, name, salary, supervisor in [
        ("jia", "X01", "甲", "3000", None),
        ("yi", "X02", "乙", "2000", "jia"),
        ("bing", "X03", "丙", "2500", "jia"),
        ("ding", "X04", "丁", "2000", "jia"),
    ]:
        users[username] = user_model.objects.create(username=username)
        staff[username] = Employee.objects.create(
            number=number,
            name=name,
            user=users[username],
            department=dept,
            position=position,
            category=Category.TECH_SUPPORT,
            supervisor=staff[supervisor] if supervisor else boss,
            standard_salary=D(salary),
            active_from=date(2024, 1, 1),
        )
    dept.head = staff["jia"]
    dept.save(update_fields=["head"])
    settings = PaySettings.load()
    settings.pay_ratio = D("0.5")  # the source example assumes 50 % (R-5.1)
    settings.save()
    period = appraisal_services.period_open(actor=users["hr"], department=dept, year=2025, month=5)
    goals = {
        "jia": ["30", "20", "20"],
        "yi": ["28", "20", "20"],
        "bing": ["26", "20", "20"],
        "ding": ["20", "20", "20"],
    }
    for appraisal in Appraisal.objects.filter(period=period).select_related(
        "employee__user", "employee__supervisor__user"
    ):
        _walk_to_archived(appraisal, goals[appraisal.employee.user.username], users)
    return dept, users


def test_r_5_6_the_worked_example_comes_out_of_a_real_close(worked_example):
    dept, users = worked_example
    outcome = close_run(department=dept, year=2025, month=5, actor=users["hr"], reason="")
    (version,) = outcome.created
    lines = list(version.lines.order_by("employee__number"))
    assert [line.final_score for line in lines] == [D(100), D(98), D(96), D(90)]
    assert [line.standard_pay for line in lines] == [D(1500), D(1000), D(1250), D(1000)]
    assert [line.factor for line in lines] == [D(1), D("0.98"), D("0.96"), D("0.9")]
    assert version.pool_base == D(4750) and version.distributable == D(4750)
    assert [line.pay for line in lines] == [D(1556), D(1016), D(1245), D(933)]
    assert lines[0].is_head and lines[0].in_pool  # 甲 (主管) is in the pool, as in the source


# ---------------------------------------------------------------------------------------------
# Scores and grades (R-3.1 …)


def test_r_3_1_the_final_score_adds_the_months_discipline_points_and_is_clamped(hr):
    dept, staff, _period = pool("d31", [Person("5000", "99"), Person("5000", "2"), Person("5000", "80")])
    for employee, kind in [(staff[0], Kind.MERIT), (staff[1], Kind.MAJOR_DEMERIT), (staff[2], Kind.WARNING)]:
        DisciplineRecord.objects.create(
            employee=employee,
            kind=kind,
            reason_text="测试",
            effective_date=date(2025, 3, 5),
            issuer=hr,
            status=Status.APPROVED,
        )
    (version,) = close(dept, hr).created
    lines = list(version.lines.order_by("employee__number"))
    assert [line.discipline_points for line in lines] == [D(3), D(-9), D(-1)]
    assert [line.final_score for line in lines] == [D(100), D(0), D(79)]  # clamped to [0, 100]
    assert [line.computed_grade for line in lines] == ["A", "E", "C"]
    assert lines[2].grade_explanation == "绝对标准：79分 → C"


def test_r_3_1_the_score_cap_is_a_setting(hr):
    settings = PaySettings.load()
    settings.score_cap = D(95)
    settings.save()
    dept, _staff, _period = pool("cap", [Person("5000", "99")])
    (version,) = close(dept, hr).created
    assert version.lines.get().final_score == D(95)


def test_r_3_3_field_service_is_graded_by_forced_distribution_within_its_group(hr):
    scores = ["95", "90", "90", "85", "80", "75", "70", "65", "60", "50"]
    people = [Person("5000", s, Category.FIELD_SERVICE) for s in scores] + [Person("5000", "95")]
    dept, _staff, _period = pool("fs", people)
    (version,) = close(dept, hr).created
    lines = list(version.lines.order_by("employee__number"))
    field = lines[:10]
    # n = 10, quotas 4/6/60/20/10 → targets A 0 · B 1 · C 6 · D 2 · E 1 (largest remainder)
    assert [line.computed_grade for line in field] == ["B", "C", "C", "C", "C", "C", "C", "D", "D", "E"]
    assert field[1].grade_explanation == "强制分布：第2名/共10人，C等比例60%（6人）"
    assert (field[1].grade_rank, field[1].grade_group_size, field[1].grade_target) == (2, 10, 6)
    with translation.override("en"):  # the line keeps the facts; the sentence is in the reader's language
        assert field[1].grade_explanation == "Forced distribution: rank 2 of 10, grade C quota 60% (6 places)"
        assert lines[10].grade_explanation == "Absolute standard: 95 points → A"
    assert all(line.forced for line in field)
    assert lines[10].computed_grade == "A" and not lines[10].forced  # tech_support: absolute


def test_r_3_3_the_section_5_1_quotas_are_a_setting(hr):
    settings = PaySettings.load()
    settings.quota_scheme = "s5_1"
    settings.save()
    people = [Person("5000", s, Category.FIELD_SERVICE) for s in ["90", "80", "70", "60", "50"]]
    dept, _staff, _period = pool("fs51", people)
    (version,) = close(dept, hr).created
    # n = 5, quotas 4/6/20/60/10 → A 0 · B 0 · C 1 · D 3 · E 1
    assert [line.computed_grade for line in version.lines.order_by("employee__number")] == [
        "C",
        "D",
        "D",
        "D",
        "E",
    ]
    assert version.quotas == {"A": "4", "B": "6", "C": "20", "D": "60", "E": "10"}


def test_r_5_2_a_category_may_be_paid_by_grade_coefficient(hr):
    CategorySetting.objects.create(category=Category.TECH_SUPPORT, pay_factor=PayFactorMode.GRADE)
    dept, _staff, _period = pool("q", [Person("1000", "85"), Person("1000", "65")])
    (version,) = close(dept, hr).created
    assert [line.factor for line in version.lines.order_by("employee__number")] == [D("0.9"), D("0.7")]


# ---------------------------------------------------------------------------------------------
# Pay (R-5.3 …)


def test_r_5_3_the_department_coefficient_and_rounding_unit_apply(hr):
    dept, _staff, _period = pool("d", [Person("3000", "100"), Person("2000", "90")])
    DepartmentCoefficient.objects.create(
        department=dept, year=2025, month=3, value=D("0.9"), reason="部门绩效", set_by=hr
    )
    settings = PaySettings.load()
    settings.rounding_unit = D(10)
    settings.save()
    (version,) = close(dept, hr).created
    # S = 900, 600; B = 1500; P = 0.9 × 1500 = 1350 → shares 900:540 of 1350 in tens
    assert version.coefficient == D("0.9") and version.distributable == D(1350)
    assert sum(pays(version)) == D(1350) and all(p % 10 == 0 for p in pays(version))
    assert version.fund_inflow == D(150)  # B − P goes to the fund


def test_r_5_5_a_head_out_of_the_pool_gets_d_times_s(hr):
    people = [Person("9000", "70"), Person("3000", "100"), Person("2000", "90")]
    dept, _staff, _period = pool("h", people, head=0, head_in_pool=False)
    DepartmentCoefficient.objects.create(
        department=dept, year=2025, month=3, value=D("0.95"), reason="x", set_by=hr
    )
    (version,) = close(dept, hr).created
    head, *others = version.lines.order_by("employee__number")
    assert head.is_head and not head.in_pool
    assert head.pay == D(2565)  # 0.95 × 2700, whatever the head's score
    assert version.pool_base == D(1500) and sum(line.pay for line in others) == version.distributable == D(
        1425
    )


def test_r_5_5_a_head_without_an_appraisal_is_paid_outside_the_pool(hr):
    people = [Person("9000", None), Person("3000", "100")]
    dept, _staff, _period = pool("h2", people, head=0, head_in_pool=True)
    (version,) = close(dept, hr).created
    head, member = version.lines.order_by("employee__number")
    assert head.is_head and not head.in_pool and head.final_score is None and head.appraisal_id is None
    assert head.pay == D(2700) and member.pay == D(900)
    assert head.grade_explanation == "本月无考核表"


# ---------------------------------------------------------------------------------------------
# Held pay and its release


def test_r_4_3_r_4_4_pay_is_held_for_appealed_forms_and_missing_interviews(hr):
    people = [
        Person("3000", "100"),
        Person("2000", "90", state=State.APPEALED),
        Person("2000", "80", interview_missing=True),
    ]
    dept, _staff, _period = pool("held", people)
    (version,) = close(dept, hr).created
    lines = list(version.lines.order_by("employee__number"))
    assert [line.held for line in lines] == [False, True, True]
    assert lines[1].held_reason == "申诉处理中（R-4.3）" and lines[2].held_reason == "缺少绩效面谈（R-4.4）"
    with translation.override("en"):  # stored as the pay sheet prints it; shown in the reader's language
        assert lines[1].held_reason_text == "Appeal pending"
        assert explain_hold("申诉处理中（R-4.3）；缺少绩效面谈（R-4.4）") == (
            "Appeal pending; Performance interview missing"
        )
    from aftersales.payroll.paysheet import line_note

    assert line_note(lines[1]) == "暂缓发放：申诉处理中"  # the printed sheet shows no rule id
    # decision: held members keep their share; the pool is shared over everyone (rules-payroll.md)
    assert sum(line.pay for line in lines) == version.distributable
    assert all(line.pay > 0 for line in lines)


def test_held_pay_is_released_once_the_hold_is_cleared_without_changing_others(hr):
    people = [Person("3000", "100"), Person("2000", "80", interview_missing=True)]
    dept, staff, period = pool("rel", people)
    (version,) = close(dept, hr).created
    held = version.lines.get(employee=staff[1])
    with pytest.raises(ActionError):
        pay_release(line=held, actor=hr)  # the interview is still missing
    appraisal = Appraisal.objects.get(period=period, employee=staff[1])
    appraisal_services.appraisal_set_interview_missing(appraisal=appraisal, missing=False)
    before = pays(version)
    released = pay_release(line=held, actor=hr, note="已补录面谈")
    assert released.released_by == hr and released.released_at is not None and not released.withheld
    assert pays(version) == before and version.period.pay_closes.count() == 1


def test_release_after_an_upheld_appeal_asks_for_a_re_close(hr):
    dept, staff, period = pool("up", [Person("3000", "100"), Person("2000", "80", state=State.APPEALED)])
    (version,) = close(dept, hr).created
    old = Appraisal.objects.get(period=period, employee=staff[1])
    Appraisal.objects.filter(pk=old.pk).update(is_current=False)
    Appraisal.objects.create(
        period=period,
        employee=staff[1],
        template_code="tech_support",
        template_version=1,
        state=State.ARCHIVED,
        version=2,
        form_total=D(85),
        final_score=D(85),
    )
    with pytest.raises(ActionError, match="重新结算"):
        pay_release(line=version.lines.get(employee=staff[1]), actor=hr)
    (second,) = close(dept, hr, reason="申诉成立，更正得分").created
    line = second.lines.get(employee=staff[1])
    assert line.final_score == D(85) and not line.held


def test_only_hr_releases_pay(personas, hr):
    dept, _staff, _period = pool("only", [Person("2000", "80", interview_missing=True)])
    (version,) = close(dept, hr).created
    with pytest.raises(PermissionDenied):
        pay_release(line=version.lines.get(), actor=get_user_model().objects.get(username="head"))


# ---------------------------------------------------------------------------------------------
# Idempotency, versions, overrides, atomicity


def test_closing_twice_changes_nothing(hr):
    dept, _staff, _period = pool("idem", [Person("3000", "100"), Person("2000", "90")])
    first = close(dept, hr)
    sizes = table_sizes()
    second = close(dept, hr)
    assert len(first.created) == 1 and second.created == [] and len(second.unchanged) == 1
    assert table_sizes() == sizes


def test_the_first_close_of_a_fresh_installation_is_reproduced_by_the_next(hr):
    """No settings row is stored: the close reads the defaults, and writes no row. Their decimals must
    read as a stored row's (the column's scale), or the next close, once the defaults are stored,
    would see another fingerprint and write again."""
    PaySettings.objects.all().delete()
    dept, _staff, _period = pool("fresh", [Person("3000", "100"), Person("2000", "90")])
    first = close(dept, hr)
    assert not PaySettings.objects.exists()
    assert str(PaySettings.load().pay_ratio) == "0.3000"
    PaySettings.stored()
    assert str(PaySettings.objects.get().pay_ratio) == "0.3000"
    second = close(dept, hr)  # no reason needed: nothing changed
    assert len(first.created) == 1 and second.created == [] and len(second.unchanged) == 1


def test_r_3_1_reading_the_settings_writes_nothing_and_hrs_first_save_is_a_change_of_the_defaults(hr, client):
    """Before, the first page that read the settings stored them (a write during a GET). Now HR's
    first save stores the defaults, then records HR's change with who and why — a change that makes
    the closes it concerns out of date (R-3.1), as every later change of the settings does."""
    PaySettings.objects.all().delete()
    before = PaySettings.history.order_by("history_id").last().history_id
    client.force_login(hr)
    assert client.get(reverse("payroll:settings")).status_code == 200
    assert not PaySettings.objects.exists()
    pay_settings_update(actor=hr, reason="比例调整", fields={"pay_ratio": D("0.35")}, pay_factors={})
    written = PaySettings.history.filter(history_id__gt=before).order_by("history_id")
    assert list(written.values_list("history_type", "pay_ratio")) == [("+", D("0.3000")), ("~", D("0.3500"))]
    change = written.get(history_type="~")
    assert (change.history_user, change.history_change_reason) == (hr, "比例调整")
    assert (change.history_date, "比例调整") in [(at, why) for at, _who, why in settings_changes()]


def test_a_re_close_after_a_correction_is_a_new_version_and_keeps_the_old(hr):
    dept, _staff, _period = pool("rc", [Person("3000", "100"), Person("2000", "90")])
    (first,) = close(dept, hr).created
    DepartmentCoefficient.objects.create(
        department=dept, year=2025, month=3, value=D("0.8"), reason="x", set_by=hr
    )
    with pytest.raises(ActionError) as refused:
        close(dept, hr)  # a re-close is a correction: it needs a reason
    assert refused.value.field == "reason"
    (second,) = close(dept, hr, reason="部门系数调整为0.8").created
    first.refresh_from_db()
    assert (first.number, first.is_current) == (1, False)
    assert (second.number, second.is_current, second.reason) == (2, True, "部门系数调整为0.8")
    assert second.closed_by == hr and second.distributable == D(1200)
    assert pays(first) == [D(938), D(562)]  # the old version is kept as it was (P = 1500)


def test_a_company_close_closes_every_department_and_reports_the_unchanged(hr):
    one, _s, _p = pool("c1", [Person("3000", "100")])
    two, _s, _p = pool("c2", [Person("2000", "80")])
    close(one, hr)
    outcome = close_run(department=None, year=2025, month=3, actor=hr)
    assert [v.period.department for v in outcome.created] == [two] and len(outcome.unchanged) == 1


def test_a_month_with_unarchived_forms_is_refused(hr):
    dept, _staff, _period = pool("nr", [Person("3000", "100"), Person("2000", "90", state=State.REVIEWED)])
    before = table_sizes()
    with pytest.raises(ActionError, match="未归档"):
        close(dept, hr)
    assert table_sizes() == before


def test_only_hr_closes(personas):
    head = get_user_model().objects.get(username="head")
    with pytest.raises(PermissionDenied):
        close_run(department=None, year=2025, month=3, actor=head)


def test_r_3_3_an_override_is_audited_applied_by_the_re_close_and_lapses_when_the_score_changes(hr):
    people = [Person("5000", s, Category.FIELD_SERVICE) for s in ["90", "80", "70"]]
    dept, staff, _period = pool("ov", people)
    (first,) = close(dept, hr).created
    line = first.lines.get(employee=staff[2])
    with pytest.raises(ActionError):
        grade_override(line=line, grade="B", reason=" ", actor=hr)  # a written reason is required
    override = grade_override(line=line, grade="B", reason="现场表现突出，用户书面表扬", actor=hr)
    assert override.history.get().history_user == hr  # audited (simple_history)
    assert (override.actor, override.final_score) == (hr, D(70))
    (second,) = close(dept, hr, reason="改判").created
    changed = second.lines.get(employee=staff[2])
    assert (changed.computed_grade, changed.override_grade, changed.grade) == ("D", "B", "B")
    assert changed.override_reason == "现场表现突出，用户书面表扬"
    assert close(dept, hr).created == []  # the override is kept by a re-close …
    DisciplineRecord.objects.create(  # approved after archiving: the form never changes, the close counts it
        employee=staff[2],
        kind=Kind.MERIT,
        reason_text="用户表扬",
        effective_date=date(2025, 3, 20),
        issuer=hr,
        status=Status.APPROVED,
    )
    (third,) = close(dept, hr, reason="得分更正").created
    lapsed = third.lines.get(employee=staff[2])  # … unless the score changed
    assert lapsed.override_grade == "" and lapsed.grade == lapsed.computed_grade
    assert lapsed.grade_explanation.endswith("改判已失效（得分已变化）")


def test_lines_are_stored_exactly_as_computed_whatever_the_text(hr):
    """The lines go in by COPY on PostgreSQL and by executemany elsewhere: text that COPY escapes
    (tab, newline, backslash, \\N) and every decimal come back as the close computed them."""
    people = [Person("5000", s, Category.FIELD_SERVICE) for s in ["90", "80.5", "70.25"]]
    dept, staff, _period = pool("copy", people)
    (first,) = close(dept, hr).created
    reason = "制表\t换行\n回车\r反斜杠\\ 空值\\N 'quote' \"dq\" ；"
    grade_override(line=first.lines.get(employee=staff[1]), grade="A", reason=reason, actor=hr)
    (second,) = close(dept, hr, reason="改判").created
    line = second.lines.get(employee=staff[1])
    assert (line.override_grade, line.override_reason, line.appraisal_id) == ("A", reason, line.appraisal.pk)
    columns = [name for name in services.LINE_COLUMNS if name != "override_reason"]
    stored = sorted(second.lines.values_list(*columns))
    computed = services._compute(*_pool_and_rules(dept))
    assert stored == sorted(
        tuple(row[i] for i, name in enumerate(services.LINE_COLUMNS) if name != "override_reason")
        for row in computed.rows
    )
    assert second.fingerprint == computed.fingerprint


def _pool_and_rules(dept):
    from aftersales.payroll import selectors

    inputs = selectors.close_inputs(year=2025, month=3, department=dept)
    (pool_,) = inputs.pools
    return pool_, inputs.rules_for(pool_)


def test_a_failure_part_way_leaves_nothing(hr, monkeypatch):
    dept, _staff, _period = pool("atom", [Person("3000", "100"), Person("2000", "90")])

    def fail(lines):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_insert_lines", fail)
    before = table_sizes()
    with pytest.raises(RuntimeError):
        close(dept, hr)
    assert table_sizes() == before  # the version inserted before the failure is gone too


def test_a_failure_part_way_through_a_re_close_keeps_the_current_version(hr, monkeypatch):
    dept, _staff, _period = pool("atom2", [Person("3000", "100")])
    (first,) = close(dept, hr).created
    DepartmentCoefficient.objects.create(
        department=dept, year=2025, month=3, value=D("0.5"), reason="x", set_by=hr
    )
    monkeypatch.setattr(services, "_insert_lines", lambda lines: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        close(dept, hr, reason="x")
    first.refresh_from_db()
    assert first.is_current and first.period.pay_closes.count() == 1


# ---------------------------------------------------------------------------------------------
# The number of queries does not grow with the employees


def _queries_of_a_close(code: str, size: int, hr) -> int:
    people = [
        Person("5000", str(60 + i % 40), Category.FIELD_SERVICE if i % 2 else Category.REPAIR)
        for i in range(size)
    ]
    people[1] = Person("5000", "80", state=State.APPEALED)
    dept, staff, _period = pool(code, people, head=0)
    DisciplineRecord.objects.create(
        employee=staff[2],
        kind=Kind.MERIT,
        reason_text="x",
        effective_date=date(2025, 3, 2),
        issuer=hr,
        status=Status.APPROVED,
    )
    actor = get_user_model().objects.get(pk=hr.pk)  # a fresh user: roles not cached yet
    with CaptureQueriesContext(connection) as queries:
        outcome = close(dept, actor)
    assert outcome.created[0].lines.count() == size
    return len(queries)


def test_the_queries_of_a_close_do_not_grow_with_the_employees(hr):
    PaySettings.load()
    # the actor's roles · savepoint · the month's periods locked (one close at a time) · settings ·
    # periods · discipline points · overrides · form gradings · appraisals · coefficients · category
    # settings · current versions · INSERT versions · INSERT lines (one executemany) · release
    # savepoint (a re-close that finds a month unchanged adds one UPDATE of its check time)
    assert _queries_of_a_close("small", 5, hr) == _queries_of_a_close("large", 30, hr) == 15


def test_employees_of_units_share_their_departments_pool(hr):
    dept, _staff, period = pool("root", [Person("3000", "100")])
    unit = Department.objects.create(code="root-u", name="单位", parent=dept)
    (member,) = employees(unit, [Person("2000", "90")], prefix="u")
    Appraisal.objects.create(
        period=period,
        employee=member,
        template_code="tech_support",
        template_version=1,
        state=State.ARCHIVED,
        form_total=D(90),
    )
    (version,) = close(dept, hr).created
    assert version.lines.count() == 2 and version.lines.get(employee=member).unit == unit
    with pytest.raises(ActionError):
        close_run(department=unit, year=2025, month=3, actor=hr)
