"""R-6.1 … R-6.3 rewards and penalties."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from aftersales.core.discipline import (
    POINT_KINDS,
    POINTS,
    Kind,
    Record,
    monthly_points,
    standings_by_year,
    yearly_standing,
)
from aftersales.core.periods import Month

LEVELS = [
    (Kind.COMMENDATION, Kind.WARNING),
    (Kind.MERIT, Kind.DEMERIT),
    (Kind.MAJOR_MERIT, Kind.MAJOR_DEMERIT),
]


def test_r6_2_points_per_month_of_effect():
    records = [
        Record(Kind.MERIT, date(2026, 3, 2)),
        Record(Kind.WARNING, date(2026, 3, 31)),
        Record(Kind.MAJOR_DEMERIT, date(2026, 5, 10)),
        Record(Kind.COMMENDATION, date(2026, 1, 5)),
        Record(Kind.REMOVAL, date(2026, 6, 1)),  # no points, no month
    ]
    assert monthly_points(records) == {Month(2026, 1): 1, Month(2026, 3): 2, Month(2026, 5): -9}


def test_r6_2_point_values():
    assert [POINTS[k] for k in POINT_KINDS] == [1, 3, 9, -1, -3, -9]


def test_r6_3_offsets_one_for_one_at_each_level():
    net = yearly_standing({Kind.COMMENDATION: 2, Kind.WARNING: 1}).net
    assert (net[Kind.COMMENDATION], net[Kind.WARNING]) == (1, 0)


def test_r6_3_three_remaining_merits_become_a_major_merit():
    net = yearly_standing({Kind.MERIT: 8, Kind.DEMERIT: 1}).net
    assert (net[Kind.MERIT], net[Kind.MAJOR_MERIT]) == (1, 2)


def test_r6_3_converted_major_demerit_offsets_a_major_merit():
    net = yearly_standing({Kind.MERIT: 1, Kind.DEMERIT: 5, Kind.MAJOR_MERIT: 1}).net
    assert (net[Kind.DEMERIT], net[Kind.MAJOR_DEMERIT], net[Kind.MAJOR_MERIT]) == (1, 0, 0)


def test_r6_3_no_offset_crosses_levels():
    net = yearly_standing({Kind.COMMENDATION: 1, Kind.DEMERIT: 1}).net
    assert (net[Kind.COMMENDATION], net[Kind.DEMERIT]) == (1, 1)


def test_r6_3_three_net_major_demerits_raise_a_dismissal_case():
    assert yearly_standing({Kind.MAJOR_DEMERIT: 3}).dismissal_case
    assert yearly_standing({Kind.MAJOR_DEMERIT: 2, Kind.DEMERIT: 3}).dismissal_case
    assert not yearly_standing({Kind.MAJOR_DEMERIT: 3, Kind.MAJOR_MERIT: 1}).dismissal_case


def test_r6_3_years_are_calendar_years():
    records = [
        Record(Kind.MAJOR_DEMERIT, date(2025, 12, 31)),
        Record(Kind.MAJOR_DEMERIT, date(2026, 1, 1)),
        Record(Kind.MAJOR_DEMERIT, date(2026, 1, 2)),
        Record(Kind.DISMISSAL, date(2027, 1, 1)),
    ]
    standings = standings_by_year(records)
    assert list(standings) == [2025, 2026]
    assert standings[2026].net[Kind.MAJOR_DEMERIT] == 2
    assert not standings[2026].dismissal_case


counts_strategy = st.fixed_dictionaries({kind: st.integers(0, 30) for kind in POINT_KINDS})


@given(counts_strategy)
def test_r6_3_property_one_side_per_level_and_points_conserved(counts):
    net = yearly_standing(counts).net
    for good, bad in LEVELS:
        assert net[good] == 0 or net[bad] == 0
    assert net[Kind.MERIT] < 3 and net[Kind.DEMERIT] < 3
    # offsets and 3 → 1 conversions never change the year's total points
    assert sum(POINTS[k] * n for k, n in net.items()) == sum(POINTS[k] * n for k, n in counts.items())
