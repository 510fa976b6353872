"""R-6.3 the page's level-by-level explanation agrees with the rules core for any counts (no database)."""

from hypothesis import given
from hypothesis import strategies as st

from aftersales.core import discipline as rules
from aftersales.discipline.selectors import _levels

Kind = rules.Kind
counts_strategy = st.fixed_dictionaries({kind: st.integers(0, 12) for kind in rules.POINT_KINDS})


@given(counts_strategy)
def test_levels_end_in_the_cores_standing(counts):
    net = rules.yearly_standing(counts).net
    for level in _levels(counts):
        assert (level.good_net, level.bad_net) == (net[level.good], net[level.bad])


@given(counts_strategy)
def test_each_level_offsets_one_for_one_and_converts_three_to_one(counts):
    first, second, third = _levels(counts)
    for level in (first, second, third):
        assert min(level.good_left, level.bad_left) == 0  # one side is used up by the offset
        assert level.good_count + level.good_carried - level.offset == level.good_left
        assert level.bad_count + level.bad_carried - level.offset == level.bad_left
    assert second.good_left == second.good_net + 3 * second.good_converted
    assert second.bad_left == second.bad_net + 3 * second.bad_converted
    assert (third.good_carried, third.bad_carried) == (second.good_converted, second.bad_converted)
    assert first.good_converted == first.bad_converted == third.good_converted == third.bad_converted == 0
