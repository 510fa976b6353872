"""R-10.2 seven-day completion rate, R-10.3 second-repair rate, R-3.4 paired comparison."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.core.errors import RuleError
from aftersales.core.periods import SHANGHAI, Month
from aftersales.core.repair_kpis import (
    RepairJob,
    TechnicianKpis,
    charged_returns,
    pairwise_ranking,
    second_repair_rate,
    seven_day_rate,
    technician_kpis,
)

OCTOBER = Month(2026, 10)
WEEK = timedelta(days=7)


def at(month, day, hour=9):
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def job(received, completed, unit="SN-1", technician="t1"):
    return RepairJob(unit, technician, received, completed)


def test_r10_2_completed_at_most_seven_times_24_hours_after_receipt_is_on_time():
    jobs = [
        job(at(10, 1), at(10, 8)),  # exactly 7 × 24 h
        job(at(10, 2), at(10, 9) + timedelta(seconds=1)),  # one second late
        job(at(10, 3), None),  # still open after its deadline
        job(at(10, 26), at(10, 27)),  # deadline in November: not counted in October
        job(at(10, 1), at(10, 2), technician="t2"),
    ]
    assert seven_day_rate(jobs, "t1", OCTOBER) == Decimal(100) / 3


def test_r10_2_deadline_month_is_taken_in_shanghai_time():
    # received 23 Sept 17:00 UTC = 24 Sept 01:00 Shanghai → deadline 1 Oct 01:00 Shanghai
    received = datetime(2026, 9, 23, 17, 0, tzinfo=UTC)
    jobs = [job(received, received + timedelta(days=1))]
    assert seven_day_rate(jobs, "t1", OCTOBER) == Decimal(100)
    assert seven_day_rate(jobs, "t1", Month(2026, 9)) is None


def test_r10_2_not_applicable_without_a_deadline_in_the_month():
    assert seven_day_rate([job(at(10, 1), at(10, 2))], "t1", Month(2026, 12)) is None


def test_r10_3_return_is_charged_to_the_previous_repairs_technician():
    jobs = [
        job(at(7, 25), at(8, 1), technician="t1"),
        job(at(10, 5), at(10, 6), technician="t2"),  # return within 65 days of t1's repair
        job(at(10, 1), at(10, 2), unit="SN-2", technician="t1"),
        job(at(10, 3), at(10, 4), unit="SN-3", technician="t1"),
    ]
    returns = charged_returns(jobs, OCTOBER)
    assert returns == {"t1": 1}
    assert second_repair_rate(jobs, "t1", OCTOBER, returns) == Decimal(50)
    assert second_repair_rate(jobs, "t2", OCTOBER, returns) == Decimal(0)


def test_r10_3_only_the_latest_earlier_repair_counts():
    jobs = [
        job(at(7, 1), at(7, 2), technician="t1"),
        job(at(9, 1), at(9, 2), technician="t2"),
        job(at(10, 5), at(10, 6), technician="t3"),
    ]
    assert charged_returns(jobs, OCTOBER) == {"t2": 1}


def test_r10_3_window_is_inclusive_and_configurable():
    completed = at(10, 20) - timedelta(days=90)
    jobs = [job(completed - timedelta(days=1), completed), job(at(10, 20), None, technician="t2")]
    assert charged_returns(jobs, OCTOBER) == {"t1": 1}
    assert charged_returns(jobs, OCTOBER, window_days=89) == {}


def test_r10_3_a_repair_still_open_is_no_previous_repair():
    jobs = [job(at(9, 1), None), job(at(10, 5), at(10, 6), technician="t2")]
    assert charged_returns(jobs, OCTOBER) == {}


def test_r10_3_rate_capped_at_100_and_none_without_completed_jobs():
    jobs = [
        job(at(9, 1), at(9, 2), unit="A"),
        job(at(9, 1), at(9, 2), unit="B"),
        job(at(10, 1), at(10, 2), unit="A", technician="t2"),
        job(at(10, 1), at(10, 2), unit="B", technician="t2"),
        job(at(10, 3), at(10, 4), unit="C"),
    ]
    returns = charged_returns(jobs, OCTOBER)
    assert second_repair_rate(jobs, "t1", OCTOBER, returns) == Decimal(100)  # 2 returns / 1 job
    assert second_repair_rate(jobs, "t1", Month(2026, 11), returns) is None


def test_r10_1_completion_before_receipt_is_refused():
    with pytest.raises(RuleError):
        job(at(10, 2), at(10, 1))


def kpis(seven, second):
    return TechnicianKpis(
        None if seven is None else Decimal(seven), None if second is None else Decimal(second)
    )


def test_r3_4_pairs_score_win_1_tie_half_and_skip_missing_values():
    ranking = pairwise_ranking({"a": kpis(100, 0), "b": kpis(80, 10), "c": kpis(80, None)})
    assert {k: (v.points, v.rank) for k, v in ranking.items()} == {
        "a": (Decimal(3), 1),
        "b": (Decimal("0.5"), 2),
        "c": (Decimal("0.5"), 2),
    }


def test_r3_4_competition_ranking():
    ranking = pairwise_ranking({n: kpis(s, None) for n, s in [("a", 100), ("b", 90), ("c", 90), ("d", 80)]})
    assert [r.rank for r in ranking.values()] == [1, 2, 2, 4]


def test_technician_kpis_lists_everyone_in_order_of_appearance():
    jobs = [job(at(10, 1), at(10, 2), technician="t2"), job(at(10, 1), at(10, 2), technician="t1")]
    assert list(technician_kpis(jobs, OCTOBER)) == ["t2", "t1"]


@st.composite
def jobs_strategy(draw):
    start = datetime(2026, 8, 1, tzinfo=SHANGHAI)
    jobs = []
    for _ in range(draw(st.integers(0, 25))):
        received = start + timedelta(hours=draw(st.integers(0, 24 * 110)))
        duration = draw(st.one_of(st.none(), st.integers(0, 24 * 20)))
        completed = None if duration is None else received + timedelta(hours=duration)
        jobs.append(
            job(received, completed, draw(st.sampled_from("ABC")), draw(st.sampled_from(["t1", "t2"])))
        )
    return jobs


@given(jobs_strategy(), st.integers(0, 120))
def test_r10_property_rates_stay_within_0_and_100(jobs, window):
    for kpi in technician_kpis(jobs, OCTOBER, window).values():
        for rate in (kpi.seven_day_rate, kpi.second_repair_rate):
            assert rate is None or 0 <= rate <= 100


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=3),
        st.tuples(st.one_of(st.none(), st.integers(0, 100)), st.one_of(st.none(), st.integers(0, 100))),
        max_size=8,
    )
)
def test_r3_4_property_each_comparison_hands_out_one_point(values):
    table = {name: kpis(*pair) for name, pair in values.items()}
    ranking = pairwise_ranking(table)
    names = list(table)
    compared = sum(
        (table[a].seven_day_rate is not None and table[b].seven_day_rate is not None)
        + (table[a].second_repair_rate is not None and table[b].second_repair_rate is not None)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    )
    assert sum(r.points for r in ranking.values()) == compared


def test_r10_2_an_open_job_not_yet_due_is_not_late_before_the_month_ends():
    """Seen on 20 October: a job received on 18 October (due 25 October) and still open is not due
    yet — it does not count as late; a job due on 15 October and still open does; one completed in
    time counts on time even before its deadline. Seen after the month, both open jobs are late."""
    jobs = [job(at(10, 8), None), job(at(10, 18), None), job(at(10, 17), at(10, 19))]
    assert seven_day_rate(jobs, "t1", OCTOBER, as_of=at(10, 20)) == Decimal(50)
    assert seven_day_rate(jobs, "t1", OCTOBER, as_of=at(11, 1)) == Decimal(100) / 3
    assert seven_day_rate(jobs, "t1", OCTOBER) == Decimal(100) / 3  # no as_of: the month as a whole
    assert seven_day_rate(jobs[1:2], "t1", OCTOBER, as_of=at(10, 20)) is None  # nothing due yet
    assert technician_kpis(jobs, OCTOBER, as_of=at(10, 20))["t1"].seven_day_rate == Decimal(50)
