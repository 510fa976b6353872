"""R-4.4: the two-month interview rule — blocks Jan–Feb … Nov–Dec and when a block is covered."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.core.errors import RuleError
from aftersales.core.interview_rules import Block, block_covered, blocks_released_by, closes_block
from aftersales.core.periods import Month

months = st.builds(Month, st.integers(2000, 2100), st.integers(1, 12))


@pytest.mark.parametrize(
    ("month", "block"),
    [(1, 1), (2, 1), (3, 2), (4, 2), (9, 5), (10, 5), (11, 6), (12, 6)],
)
def test_r_4_4_months_fall_in_two_month_blocks(month, block):
    assert Block.of(Month(2026, month)) == Block(2026, block)


def test_r_4_4_a_block_spans_its_two_months():
    march_april = Block(2026, 2)
    assert (march_april.first_month, march_april.closing_month) == (Month(2026, 3), Month(2026, 4))
    assert (march_april.first_day, march_april.last_day) == (date(2026, 3, 1), date(2026, 4, 30))
    assert Block(2028, 1).last_day == date(2028, 2, 29)  # leap year
    assert Block(2026, 6).last_day == date(2026, 12, 31)
    assert str(march_april) == "2026-03/04"


@pytest.mark.parametrize("number", [0, 7, -1])
def test_a_block_number_outside_1_to_6_is_refused(number):
    with pytest.raises(RuleError):
        Block(2026, number)


@given(months)
def test_r_4_4_every_month_is_in_exactly_one_block_and_the_second_month_closes_it(month):
    block = Block.of(month)
    assert month in (block.first_month, block.closing_month)
    assert block.first_day <= date(month.year, month.month, 1) <= block.last_day
    assert closes_block(month) == (month.month % 2 == 0)


@given(months)
def test_blocks_follow_each_other_without_gap(month):
    block = Block.of(month)
    following = Block.of(block.closing_month.shift(1))
    assert following.first_day == block.last_day + timedelta(days=1)


def test_r_4_4_an_interview_in_the_block_covers_it():
    block = Block(2026, 2)
    assert block_covered(block, [date(2026, 3, 1)])
    assert block_covered(block, [date(2026, 4, 30)])
    assert not block_covered(block, [])


def test_r_4_4_an_interview_before_the_block_does_not_cover_it():
    assert not block_covered(Block(2026, 2), [date(2026, 2, 28), date(2025, 4, 10)])


def test_r_4_4_a_late_interview_counts_only_up_to_when_the_audit_looks():
    block = Block(2026, 2)
    late = date(2026, 5, 6)
    assert not block_covered(block, [late])  # at the close (30 April) it is missing
    assert not block_covered(block, [late], as_of=date(2026, 5, 5))
    assert block_covered(block, [late], as_of=date(2026, 5, 6))


def test_r_4_4_an_audit_before_the_close_still_counts_the_whole_block():
    assert block_covered(Block(2026, 2), [date(2026, 4, 20)], as_of=date(2026, 4, 10))


def test_r_4_4_recording_an_interview_releases_the_blocks_it_covers():
    flagged = [Block(2026, 3), Block(2026, 1), Block(2026, 4)]
    assert blocks_released_by(date(2026, 6, 3), flagged) == [Block(2026, 1), Block(2026, 3)]
    assert blocks_released_by(date(2025, 12, 31), flagged) == []


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_r_4_4_an_interview_always_covers_its_own_block(held):
    assert block_covered(Block.of(Month.of(held)), [held])
    assert Block.of(Month.of(held)) in blocks_released_by(held, [Block.of(Month.of(held))])
