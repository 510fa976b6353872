"""The two-month interview rule (R-4.4, source §3.3): plain Python, no framework.

Every supervisor holds a formal written interview (绩效面谈, form 4.6) with each employee at least
once every two months. Months are grouped in blocks Jan–Feb (1), Mar–Apr (2), … Nov–Dec (6). At the
close of a block's second month an employee is *covered* when an interview is dated in the block, or
after it up to the moment the audit looks (a late interview still releases the held pay).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from aftersales.core.errors import RuleError
from aftersales.core.periods import Month

BLOCKS_PER_YEAR: Final = 6
MONTHS_PER_BLOCK: Final = 2


@dataclass(frozen=True, order=True)
class Block:
    """A two-month block (面谈周期): ``Block(2026, 2)`` is March–April 2026."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= BLOCKS_PER_YEAR:
            raise RuleError(f"block must be between 1 and {BLOCKS_PER_YEAR}, not {self.number}")

    @classmethod
    def of(cls, month: Month) -> Block:
        """The block a month belongs to."""
        return cls(month.year, (month.month + 1) // MONTHS_PER_BLOCK)

    @property
    def first_month(self) -> Month:
        return Month(self.year, self.number * MONTHS_PER_BLOCK - 1)

    @property
    def closing_month(self) -> Month:
        """The block's second month: its appraisal is the one flagged when an interview is missing."""
        return Month(self.year, self.number * MONTHS_PER_BLOCK)

    @property
    def first_day(self) -> date:
        return date(self.year, self.first_month.month, 1)

    @property
    def last_day(self) -> date:
        following = self.closing_month.shift(1)
        return date(following.year, following.month, 1) - timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.first_month}/{self.closing_month.month:02d}"


def closes_block(month: Month) -> bool:
    """Whether ``month`` is the second month of its block (the audit flags appraisals then)."""
    return Block.of(month).closing_month == month


def block_covered(block: Block, interview_dates: Iterable[date], *, as_of: date | None = None) -> bool:
    """Whether an interview dated in the block, or after it up to ``as_of``, covers the block.

    ``as_of`` is when the audit looks; by default the block's last day (its close). Interviews dated
    before the block or after ``as_of`` do not count.
    """
    until = max(as_of or block.last_day, block.last_day)
    return any(block.first_day <= held <= until for held in interview_dates)


def blocks_released_by(held: date, flagged: Iterable[Block]) -> list[Block]:
    """The flagged blocks an interview held on ``held`` covers (their held pay is released)."""
    return sorted(block for block in flagged if block_covered(block, [held], as_of=held))
