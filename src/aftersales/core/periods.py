"""Calendar months (考核周期) in Asia/Shanghai, the period of every monthly rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from aftersales.core.errors import RuleError

SHANGHAI = ZoneInfo("Asia/Shanghai")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; ``str(Month(2026, 3)) == "2026-03"``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise RuleError(f"month must be between 1 and 12, not {self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH.fullmatch(text)
        if match is None:
            raise RuleError(f"month must be YYYY-MM, not {text!r}")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: date) -> Month:
        """The month a date falls in; an aware time is first taken to Shanghai time."""
        if isinstance(day, datetime):
            day = day.astimezone(SHANGHAI)
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def start(self) -> datetime:
        """First instant of the month in Shanghai time."""
        return datetime(self.year, self.month, 1, tzinfo=SHANGHAI)

    @property
    def end(self) -> datetime:
        """First instant of the next month: the month is the half-open range [start, end)."""
        return self.shift(1).start

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end
