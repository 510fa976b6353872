"""Stock ledger rules (备件台账): R-9.2, R-9.3.

A store's stock is a ledger of movements, never edited in place; a balance is the sum of its
movements and never goes below zero. Every movement changes one *holding*: a part in a store in one
of three stocks —

- ``on_hand`` (在库): spare parts on the shelf;
- ``on_loan`` (已领未销): parts issued to engineers and not yet written off (销帐);
- ``old`` (旧件): failed parts returned by engineers and waiting for the monthly disposal.

A business act may post several movements at once (an issue takes a part off the shelf and puts it
on loan; a transfer takes it out of one store and into another); they are posted together or not at
all. Quantities are whole units of the part's unit of measure.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Generic, TypeVar

from aftersales.core.errors import RuleError

Key = TypeVar("Key", bound=Hashable)


class Stock(StrEnum):
    ON_HAND = "on_hand"
    ON_LOAN = "on_loan"
    OLD = "old"


class Kind(StrEnum):
    """Kinds of movement (R-9.2)."""

    RECEIPT = "receipt"  # 入库 (备用件接收单)
    ISSUE = "issue"  # 发料: off the shelf (−) and on loan to the engineer (+)
    TRANSFER_OUT = "transfer_out"  # 调出 to a service station
    TRANSFER_IN = "transfer_in"  # 调入 from the central store
    WRITE_OFF = "write_off"  # 销帐: the loan closed against a signed, approved report
    OLD_PART_RETURN = "old_part_return"  # 旧件返回
    OLD_PART_DISPOSAL = "old_part_disposal"  # 旧件月度处理
    STOCKTAKE_ADJUSTMENT = "stocktake_adjustment"  # 盘点调整 (账物一致)
    REVERSAL = "reversal"  # 冲销: a correction, the negative of an earlier movement


# The stocks each kind changes, with the sign of its quantity there (+1 in, −1 out, 0 either way).
# An issue changes two stocks: it is posted as two movements of kind ISSUE.
RULES: Final[Mapping[Kind, Mapping[Stock, int]]] = {
    Kind.RECEIPT: {Stock.ON_HAND: 1},
    Kind.ISSUE: {Stock.ON_HAND: -1, Stock.ON_LOAN: 1},
    Kind.TRANSFER_OUT: {Stock.ON_HAND: -1},
    Kind.TRANSFER_IN: {Stock.ON_HAND: 1},
    Kind.WRITE_OFF: {Stock.ON_LOAN: -1},
    Kind.OLD_PART_RETURN: {Stock.OLD: 1},
    Kind.OLD_PART_DISPOSAL: {Stock.OLD: -1},
    Kind.STOCKTAKE_ADJUSTMENT: {Stock.ON_HAND: 0},
    Kind.REVERSAL: dict.fromkeys(Stock, 0),
}
# Corrections by reversal are for entries a person typed in; the movements of a document flow
# (issue, write-off, returns, transfers) are corrected by the flow itself.
REVERSIBLE: Final = frozenset({Kind.RECEIPT, Kind.STOCKTAKE_ADJUSTMENT})


class InsufficientStock(RuleError):
    """A movement would take a holding below zero (库存不足)."""


@dataclass(frozen=True)
class Movement(Generic[Key]):
    """One ledger row: ``quantity`` (signed) of the holding ``key`` in ``stock``."""

    key: Key
    stock: Stock
    kind: Kind
    quantity: int

    def __post_init__(self) -> None:
        check_movement(self.kind, self.stock, self.quantity)


def check_movement(kind: Kind, stock: Stock, quantity: int) -> None:
    """A movement's kind decides which stock it may change and in which direction."""
    sign = RULES[kind].get(stock)
    if sign is None:
        raise RuleError(f"a {kind} does not change the {stock} stock", "stock")
    if quantity == 0:
        raise RuleError("must not be zero", "quantity")
    if sign * quantity < 0:
        raise RuleError(f"a {kind} must be {'positive' if sign > 0 else 'negative'}", "quantity")


def balance(quantities: Iterable[int]) -> int:
    """The balance of a holding: the sum of its movements (R-9.2)."""
    return sum(quantities, 0)


def post(
    balances: Mapping[tuple[Key, Stock], int], movements: Sequence[Movement[Key]]
) -> dict[tuple[Key, Stock], int]:
    """The balances after posting ``movements`` together; nothing is posted if any goes below zero.

    ``balances`` holds the current balance of every holding the movements touch (missing: 0).
    Returns the new balance of each touched holding.
    """
    after: dict[tuple[Key, Stock], int] = {}
    for movement in movements:
        holding = (movement.key, movement.stock)
        after[holding] = after.get(holding, balances.get(holding, 0)) + movement.quantity
    short = [holding for holding, quantity in after.items() if quantity < 0]
    if short:
        raise InsufficientStock(f"only {balances.get(short[0], 0)} in stock", "quantity")
    return after


def reversal_of(kind: Kind, quantity: int) -> int:
    """The quantity of the reversing entry (冲销) of a movement; only typed-in entries are reversed."""
    if kind not in REVERSIBLE:
        raise RuleError(f"a {kind} is corrected through its document, not reversed", "movement")
    return -quantity


@dataclass(frozen=True)
class CountLine(Generic[Key]):
    """One line of a stocktake report (盘点表): book vs counted (账物一致 when equal)."""

    key: Key
    book: int
    counted: int

    @property
    def difference(self) -> int:
        return self.counted - self.book

    @property
    def agrees(self) -> bool:
        return self.difference == 0


def stocktake(book: Mapping[Key, int], counted: Mapping[Key, int]) -> list[CountLine[Key]]:
    """Book vs counted for every counted holding; a holding on the books but not counted is not
    part of this count. A count is a whole number of at least zero."""
    for key, quantity in counted.items():
        if quantity < 0:
            raise RuleError("must be at least 0", f"counted[{key}]")
    return [CountLine(key, book.get(key, 0), quantity) for key, quantity in counted.items()]


def adjustments(lines: Iterable[CountLine[Key]]) -> list[Movement[Key]]:
    """The adjustment movements (盘点调整) that bring the book to the count."""
    return [
        Movement(line.key, Stock.ON_HAND, Kind.STOCKTAKE_ADJUSTMENT, line.difference)
        for line in lines
        if not line.agrees
    ]
