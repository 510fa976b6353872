"""The editor page's rows: each input with its path (its name), label, value and errors, so the
template only lays them out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aftersales.formdefs.editor import COUNTS, FIELD_LABELS, ITEM_FIELDS, NUMBERS, Data, place

# inputs that take the whole width of their row
_WIDE = frozenset({"text", "name"})


@dataclass
class Input:
    path: str
    key: str
    value: str
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return "f-" + re.sub(r"[^a-z0-9]+", "-", self.path).strip("-")

    @property
    def label(self) -> str:
        return str(FIELD_LABELS.get(self.key, self.key))

    @property
    def numeric(self) -> bool:
        return self.key in NUMBERS or self.key in COUNTS

    @property
    def wide(self) -> bool:
        return self.key in _WIDE


@dataclass
class Row:
    """An item of a section, or a goal slot."""

    path: str
    index: int
    inputs: list[Input]
    errors: list[str] = field(default_factory=list)


@dataclass
class Block:
    """A section (考核项目) with its own inputs and its items or goal slots."""

    path: str
    index: int
    kind: str
    inputs: list[Input]
    rows: list[Row]
    errors: list[str] = field(default_factory=list)
    last: bool = False


@dataclass
class EditorPage:
    inputs: list[Input]
    blocks: list[Block]
    errors: list[str]  # what names no input, item or section (e.g. the sum of the points)
    count: int  # how many errors in all


def editor_page(data: Data, errors: Mapping[str, str]) -> EditorPage:
    """Lay out ``data`` with ``errors`` (path → message) placed on what they name."""
    inputs = [Input("name", "name", data["name"]), Input("grading", "grading", data["grading"])]
    blocks = [_block(index, section) for index, section in enumerate(data["sections"])]
    if blocks:
        blocks[-1].last = True
    shown: dict[str, Any] = {i.path: i for i in inputs}
    for block in blocks:
        shown[block.path] = block
        shown |= {i.path: i for i in block.inputs}
        for row in block.rows:
            shown[row.path] = row
            shown |= {i.path: i for i in row.inputs}
    placed = place(errors, shown)
    for path, messages in placed.items():
        if path:
            shown[path].errors += messages
    return EditorPage(inputs, blocks, placed.get("", []), len(errors))


def _block(index: int, section: Data) -> Block:
    path = f"sections[{index}]"
    inputs = [Input(f"{path}.{key}", key, section[key]) for key in ("name", "points", "heading", "code")]
    if section["kind"] in ("band", "graded"):
        inputs.append(Input(f"{path}.measure", "measure", section["measure"]))
    if section["kind"] == "goals":
        rows = [
            Row(f"{path}.slots[{i}]", i, [Input(f"{path}.slots[{i}]", "points", slot)])
            for i, slot in enumerate(section["slots"])
        ]
    else:
        rows = [_item_row(path, i, item, section["kind"]) for i, item in enumerate(section["items"])]
    return Block(path, index, section["kind"], inputs, rows)


def _item_row(section_path: str, index: int, item: Mapping[str, str], kind: str) -> Row:
    path = f"{section_path}.items[{index}]"
    return Row(path, index, [Input(f"{path}.{key}", key, item[key]) for key in ITEM_FIELDS[kind]])
