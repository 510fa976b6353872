"""R-10.2, R-10.3, R-3.4 through the model layer: a month of repair jobs → rates, bands, ranking,
and the jobs behind each figure."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from aftersales.appraisal.services import period_open
from aftersales.core.builtin_forms import REPAIR
from aftersales.core.forms import to_dict
from aftersales.core.periods import SHANGHAI
from aftersales.formdefs.services import earliest_effective_month, template_publish
from aftersales.organisation.models import Department
from aftersales.repair.selectors import kpi_teams, repair_kpis_for, team_kpis
from tests.repair.conftest import JUNE

pytestmark = pytest.mark.django_db


def ids(jobs, *names):
    return tuple(jobs[name].pk for name in names)


def test_r10_2_r10_3_rates_and_evidence_of_a_month(techs, june):
    a, b = techs
    mine = repair_kpis_for(a, 2025, 6)
    assert (mine.seven_day_rate, mine.second_repair_rate) == (Decimal(50), Decimal(50))
    assert mine.seven_day_jobs == ids(june, "a1", "a2")
    assert mine.on_time_jobs == ids(june, "a1")
    assert mine.completed_jobs == ids(june, "a1", "a2")
    assert mine.returned_jobs == ids(june, "a0")  # 冯军 repaired SN-4 again in June
    assert mine.returns_charged == 1
    assert set(mine.evidence_job_ids) == set(ids(june, "a0", "a1", "a2"))
    theirs = repair_kpis_for(b, 2025, 6)
    assert (theirs.seven_day_rate, theirs.second_repair_rate) == (Decimal(100), Decimal(0))
    assert theirs.returned_jobs == ()


def test_r2_2_each_rate_falls_in_a_band_of_form_4_3(techs, june):
    a, b = techs
    mine, theirs = repair_kpis_for(a, 2025, 6), repair_kpis_for(b, 2025, 6)
    assert (mine.seven_day_band.code, mine.seven_day_band.deduction) == ("complete_below_70", Decimal(35))
    assert (mine.second_repair_band.code, mine.second_repair_band.deduction) == ("rate_40_up", Decimal(25))
    assert (theirs.seven_day_band.code, theirs.seven_day_band.deduction) == ("complete_100", Decimal(0))
    assert theirs.second_repair_band.code == "rate_0_10"


def test_the_bands_are_those_of_the_version_in_force_that_month(users, techs, june):
    """A version of form 4.3 published from a later month on changes that month's bands, not June's
    (SPEC §2: a month keeps its version)."""
    definition = to_dict(REPAIR)
    seven_day = next(s for s in definition["sections"] if s.get("measure") == "seven_day_completion_rate")
    below_70 = next(i for i in seven_day["items"] if i["code"] == "complete_below_70")
    below_70["deduction"] = "30"
    hr = get_user_model().objects.get(username="hr")
    period_open(actor=hr, department=Department.objects.get(code="as"), year=2025, month=7)
    later = earliest_effective_month("repair")  # after every month already opened on the form (July)
    assert later > JUNE
    assert template_publish(definition=definition, actor=hr, effective_from=later).version == 2
    a, _ = techs
    assert repair_kpis_for(a, 2025, 6).seven_day_band.deduction == Decimal(35)  # version 1's


def test_r3_4_pairwise_ranking_of_the_repair_team(techs, june):
    a, b = techs
    rows = team_kpis([a, b], JUNE)
    assert (rows[b.pk].points, rows[b.pk].rank) == (Decimal(2), 1)
    assert (rows[a.pk].points, rows[a.pk].rank) == (Decimal(0), 2)
    assert rows[a.pk].team_size == 2


def test_r10_2_not_applicable_without_jobs_means_no_band(techs, june):
    quiet = repair_kpis_for(techs[0], 2025, 1)
    assert (quiet.seven_day_rate, quiet.second_repair_rate, quiet.seven_day_band) == (None, None, None)
    assert quiet.evidence_job_ids == ()


def test_r1_1_a_technician_sees_only_their_own_figures(users, techs, june):
    (team,) = kpi_teams(user=users["technician"], month=JUNE)
    assert [row.employee for row in team] == [techs[0]]
    assert team[0].rank == 2  # ranked within the whole team all the same


def test_r1_1_the_lead_sees_the_team_and_others_see_nothing(users, techs, june):
    (team,) = kpi_teams(user=users["repairlead"], month=JUNE)
    assert [row.employee for row in team] == list(techs)
    assert kpi_teams(user=users["engineer"], month=JUNE) == []
    assert kpi_teams(user=users["outsider"], month=JUNE) == []


def test_kpis_take_a_fixed_number_of_queries(users, techs, june, django_assert_max_num_queries):
    # employees visible (3: me, headed departments ×2), technicians, team, jobs, form template
    with django_assert_max_num_queries(9):
        kpi_teams(user=users["repairlead"], month=JUNE)


def test_r10_2_a_job_not_yet_due_is_not_late_while_the_month_runs(techs, users):
    """The KPI page in the middle of a month: a job received yesterday and still open has its
    7-day deadline ahead of now, so it is not counted late (nor due); one past its deadline is."""
    from django.utils import timezone

    from aftersales.core.periods import Month
    from aftersales.repair.models import RepairJob

    a, _b = techs
    now = timezone.now()
    month = Month(now.astimezone(SHANGHAI).year, now.astimezone(SHANGHAI).month)
    fresh = RepairJob.objects.create(
        technician=a, unit_serial="SN-NEW", product="控制器", received_at=now - timedelta(hours=1),
        created_by=users["repairlead"],
    )  # fmt: skip
    assert fresh.pk not in repair_kpis_for(a, month.year, month.month).seven_day_jobs
    fresh.received_at = now - timedelta(days=8)  # its deadline passed a day ago
    fresh.save()
    kpis = repair_kpis_for(a, month.year, month.month)
    if month.contains(fresh.received_at + timedelta(days=7)):
        assert fresh.pk in kpis.seven_day_jobs and fresh.pk not in kpis.on_time_jobs
