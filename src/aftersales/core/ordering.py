"""Natural employee-number order (R-3.3, R-5.3): wherever "the lower employee number" decides.

Runs of digits compare as integers (E9 before E10), the text between them as text; numbers equal
that way (E9, E09) are ordered by their text as is, so the order is total and no two different
numbers tie.
"""

from __future__ import annotations

import re
from typing import TypeAlias

_DIGITS = re.compile(r"([0-9]+)")

NaturalKey: TypeAlias = tuple[tuple[str | int, ...], str]


def natural_key(number: str) -> NaturalKey:
    """The sort key of an employee number (工号) in natural order: ``sorted(numbers, key=natural_key)``.

    The parts alternate text, digits, text, … (the first and last text may be empty), so two keys
    always compare text with text and integer with integer; then the number itself breaks a tie.
    """
    parts = _DIGITS.split(number)
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts)), number
