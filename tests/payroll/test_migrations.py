"""Migrations that change what stored closes hold keep their meaning."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aftersales.organisation.models import Department
from tests.results.factories import PeriodFactory
from tests.schema import migrate_to_latest

BEFORE = [("payroll", "0001_initial")]
AFTER = [("payroll", "0002_line_explanation_facts")]


@pytest.mark.django_db(transaction=True)
def test_stored_explanations_become_facts_the_sentence_is_made_from(personas):
    """0002: lines closed before kept the grade explanation as Chinese text; the migration keeps its
    facts (rank r of n, quota, target, a lapsed override), so the same sentence comes back — now also
    in English."""
    PeriodFactory(department=Department.objects.get(code="as"), year=2025, month=1)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="migrator")
    period = old.get_model("appraisal", "Period").objects.first()
    employee = old.get_model("organisation", "Employee").objects.filter(department=period.department).first()
    version = old.get_model("payroll", "CloseVersion").objects.create(
        period=period,
        number=1,
        closed_by=user,
        pay_ratio=Decimal("0.3"),
        rounding_unit=1,
        score_cap=100,
        quotas={},
        coefficient=1,
        head_in_pool=True,
        pool_base=0,
        distributable=0,
        fund_inflow=0,
        fingerprint="x",
    )
    texts = {
        "forced": "强制分布：第2名/共10人，C等比例60%（6人）；改判已失效（得分已变化）",
        "absolute": "绝对标准：79分 → C",
    }
    line = old.get_model("payroll", "CloseLine")
    for number, text in enumerate(texts.values(), start=1):
        line.objects.create(
            version=version,
            employee=employee
            if number == 1
            else old.get_model("organisation", "Employee").objects.exclude(pk=employee.pk).first(),
            unit_id=employee.department_id,
            category="field_service",
            position="工程师",
            standard_salary=5000,
            form_total=Decimal(79),
            discipline_points=0,
            final_score=Decimal(79),
            forced=number == 1,
            computed_grade="C",
            grade_explanation=text,
            standard_pay=1500,
            pay=1000,
            is_head=False,
            in_pool=True,
            held=False,
        )
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        from aftersales.payroll.models import CloseLine

        forced, absolute = CloseLine.objects.defer("employee_name").filter(
            version_id=version.pk
        )  # 0005.order_by("forced").reverse()
        assert (forced.grade_rank, forced.grade_group_size, forced.grade_target) == (2, 10, 6)
        assert forced.grade_quota == Decimal(60) and forced.override_lapsed
        assert forced.grade_explanation == texts["forced"]
        assert absolute.grade_rank is None and not absolute.override_lapsed
        assert absolute.grade_explanation == texts["absolute"]
    finally:
        migrate_to_latest(connection)
