"""What every printed form shares: the Chinese font, paragraph styles, table grid, signature lines.

The font is the WenQuanYi Zen Hei TrueType embedded in the PDF (subset), so an archived form looks
the same everywhere; without that file the standard Adobe-GB1 font STSong-Light is named instead
and the viewer supplies it (RECIPES.md).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

EMBEDDED_FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
)
CID_FONT = "STSong-Light"
PAGE_WIDTH = A4[0] - 30 * mm  # 15 mm margins


@cache
def font_name() -> str:
    """Register the Chinese font once and return its name."""
    for path in EMBEDDED_FONT_FILES:
        if path.exists():
            pdfmetrics.registerFont(TTFont("WQYZenHei", str(path), subfontIndex=0))
            return "WQYZenHei"
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


@cache
def style(size: float = 9, *, centred: bool = False, right: bool = False) -> ParagraphStyle:
    return ParagraphStyle(
        f"cjk-{size}-{centred}-{right}",
        fontName=font_name(),
        fontSize=size,
        leading=size * 1.35,
        wordWrap="CJK",  # break between any two Chinese characters
        alignment=TA_CENTER if centred else TA_RIGHT if right else TA_LEFT,
    )


def text(value: Any, size: float = 9, *, centred: bool = False, right: bool = False) -> Paragraph:
    """A table cell's text; line breaks kept, markup characters escaped."""
    content = "" if value is None else str(value)
    return Paragraph(escape(content).replace("\n", "<br/>"), style(size, centred=centred, right=right))


def writing_space(value: Any, height_mm: float) -> list[Flowable]:
    """A cell's text with room below it to write by hand on the printed form."""
    return [text(value), Spacer(1, height_mm * mm)]


def label(value: str) -> Paragraph:
    return text(value, centred=True)


def labelled(pairs: Sequence[tuple[str, Any]]) -> list[Paragraph]:
    """A row of label, value, label, value … cells."""
    return [cell for name, value in pairs for cell in (label(name), text(value))]


def number(value: Any) -> str:
    """A score or points as the form prints it: 25, 7.5 (no trailing zeros); blank when unknown."""
    if value is None or value == "":
        return ""
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except InvalidOperation:
        return str(value)


def money(value: Any) -> str:
    """An amount as a pay sheet prints it: two decimals, thousands separated (1,556.00)."""
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value)):,.2f}"


def title(value: str) -> Paragraph:
    return text(value, 15, centred=True)


def grid(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    shaded: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
) -> Table:
    """A ruled table like the source forms; ``spans`` and ``shaded`` are ((col, row), (col, row)) pairs."""
    table = Table([list(row) for row in rows], colWidths=list(widths), repeatRows=0)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), font_name()),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    commands += [("SPAN", start, end) for start, end in spans]
    commands += [("BACKGROUND", start, end, colors.HexColor("#eeeeee")) for start, end in shaded]
    table.setStyle(TableStyle(commands))
    return table


def signature_lines(*labels: str) -> Table:
    """The signature line of a form: each label followed by a blank to sign on."""
    cells = [text(f"{name}：______________", 10) for name in labels]
    weights = [len(name) + 10 for name in labels]  # room for the label and a blank of ten characters
    return Table([cells], colWidths=[PAGE_WIDTH * weight / sum(weights) for weight in weights])


def gap(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def build_pdf(flowables: list[Flowable], *, document_title: str) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=document_title,
        author="Aftersales",
    )
    document.build(flowables)
    return buffer.getvalue()
