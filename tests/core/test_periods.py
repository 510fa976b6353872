"""Calendar months in Asia/Shanghai, the period of the monthly rules (R-10.3, R-6.2)."""

from datetime import UTC, date, datetime

import pytest

from aftersales.core.errors import RuleError
from aftersales.core.periods import SHANGHAI, Month


def test_parse_and_print_round_trip():
    assert Month.parse("2026-03") == Month(2026, 3)
    assert str(Month(2026, 3)) == "2026-03"


@pytest.mark.parametrize("text", ["2026-13", "2026-3", "26-03", "2026-00", ""])
def test_parse_refuses_what_is_not_a_month(text):
    with pytest.raises(RuleError):
        Month.parse(text)


def test_shift_crosses_years_both_ways():
    assert Month(2026, 11).shift(3) == Month(2027, 2)
    assert Month(2026, 1).shift(-1) == Month(2025, 12)


def test_month_is_half_open_in_shanghai_time():
    october = Month(2026, 10)
    assert october.start == datetime(2026, 10, 1, tzinfo=SHANGHAI)
    assert october.end == datetime(2026, 11, 1, tzinfo=SHANGHAI)
    assert october.contains(october.start)
    assert not october.contains(october.end)
    # 30 September 16:00 UTC is already 1 October in Shanghai
    assert october.contains(datetime(2026, 9, 30, 16, 0, tzinfo=UTC))


def test_of_takes_aware_times_to_shanghai_and_dates_as_they_are():
    assert Month.of(datetime(2026, 9, 30, 16, 0, tzinfo=UTC)) == Month(2026, 10)
    assert Month.of(date(2026, 9, 30)) == Month(2026, 9)
