"""Appraisal forms 4.1–4.5 as PDF, laid out like the source forms, from plain data.

The template is the dict ``aftersales templates show`` prints (CONTRACTS.md). Entries have the
shapes of ``aftersales calc score``; goal slots may also be dicts with the agreement's texts
(title, deadline, quality, completion, self_report, check, weight, score). Chosen or occurred
items are ticked (√).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from reportlab.lib.units import mm

from aftersales.printing.layout import (
    PAGE_WIDTH,
    build_pdf,
    gap,
    grid,
    label,
    labelled,
    number,
    signature_lines,
    text,
    title,
)

GRADE_NOTE = (("A", "90-100分"), ("B", "80-90分"), ("C", "70-80分"), ("D", "60-70分"), ("E", "60分以下"))
GOAL_NAMES = ("目标一", "目标二", "目标三", "目标四", "目标五")
TICK = "√ "
# 考核项目 · 考核内容 · 项目总分 · 加分标准 · 实际得分
SECTION_WIDTHS = (24 * mm, PAGE_WIDTH - 88 * mm, 20 * mm, 22 * mm, 22 * mm)


def _header(header: Mapping[str, Any]) -> Any:
    """月份, 姓名, 所属区域/部门 (and 职位, 直接主管 when given) as the form's top grid."""
    month = str(header.get("month", ""))
    month_text = f"{month[:4]}年{month[5:7]}月" if len(month) == 7 else month or "    年  月"
    pairs = [
        ("姓名", header.get("name", "")),
        ("所属区域/部门", header.get("department", "")),
        ("月份", month_text),
    ]
    extra = [("职位", header.get("position")), ("直接主管", header.get("supervisor"))]
    pairs += [(name, value) for name, value in extra if value]
    cells: list[Any] = labelled(pairs)
    rows = [cells[i : i + 6] for i in range(0, len(cells), 6)]
    rows[-1] += [""] * (6 - len(rows[-1]))
    widths = [22 * mm, 38 * mm, 26 * mm, 34 * mm, 22 * mm, PAGE_WIDTH - 142 * mm]
    return grid(rows, widths, shaded=[((0, 0), (0, -1)), ((2, 0), (2, -1)), ((4, 0), (4, -1))])


def _work_situation(header: Mapping[str, Any]) -> Any:
    """工作情况 (forms 4.1–4.3): where, what, how far — three lines to fill in."""
    work = list(header.get("work") or [])
    widths = [14 * mm, 40 * mm, PAGE_WIDTH - 94 * mm, 40 * mm]
    rows: list[list[Any]] = [[label("工作情况"), label("工作地点"), label("工作内容"), label("完成情况")]]
    for index in range(3):
        line = work[index] if index < len(work) else {}
        rows.append(["", text(line.get("place", "")), text(f"{index + 1}，{line.get('content', '')}"),
                     text(line.get("result", ""))])  # fmt: skip
    return grid(rows, widths, spans=[((0, 0), (0, 3))], shaded=[((0, 0), (-1, 0))])


def _standard(section: Mapping[str, Any], item: Mapping[str, Any]) -> str:
    if section["kind"] == "graded":
        low, high = number(item["min"]), number(item["max"])
        return f"{low}分" if low == high else f"{low}-{high}分"
    return f"-{number(item['deduction'])}"


def _ticked(section: Mapping[str, Any], item: Mapping[str, Any], entry: Any) -> bool:
    """Whether the entry marks this item: occurred, chosen, the band of the rate, the graded band."""
    if entry is None:
        return False
    kind = section["kind"]
    if kind == "deduction":
        return item["code"] in entry
    if kind == "choice":
        return item["code"] == entry
    if kind == "graded":
        return isinstance(entry, Mapping) and item["code"] == entry.get("item")
    rate = Decimal(str(entry))  # band: [lower, upper)
    lower, upper = item.get("lower"), item.get("upper")
    return (lower is None or rate >= Decimal(lower)) and (upper is None or rate < Decimal(upper))


def _section_rows(
    section: Mapping[str, Any], entry: Any, score: Any, start: int
) -> tuple[list[list[Any]], list]:
    """The rows of one scored section and its spans (考核项目, 项目总分, 实际得分 span its items)."""
    items = section.get("items") or []
    rows = []
    for index, item in enumerate(items):
        ticked = _ticked(section, item, entry)
        content = (TICK if ticked else "") + item["text"]
        if section["kind"] == "band" and ticked:
            content += f"（实际：{number(entry)}%）"
        rows.append([label(section["name"]) if index == 0 else "", text(content),
                     label(number(section["points"])) if index == 0 else "", label(_standard(section, item)),
                     label(number(score)) if index == 0 else ""])  # fmt: skip
    end = start + len(items) - 1
    spans = [((column, start), (column, end)) for column in (0, 2, 4)] if len(items) > 1 else []
    return rows, spans


def _sections_table(
    sections: Sequence[Mapping[str, Any]], entries: Mapping[str, Any], scores: Mapping[str, Any]
) -> Any:
    rows: list[list[Any]] = [
        [label("考核项目"), label("考核内容"), label("项目总分"), label("加分标准"), label("实际得分")]
    ]
    spans: list = []
    shaded: list = [((0, 0), (-1, 0))]
    heading = None
    for section in sections:
        if section.get("heading") and section["heading"] != heading:
            heading = section["heading"]
            rows.append([label(heading), "", "", "", ""])
            spans.append(((0, len(rows) - 1), (-1, len(rows) - 1)))
            shaded.append(((0, len(rows) - 1), (-1, len(rows) - 1)))
        section_rows, section_spans = _section_rows(
            section, entries.get(section["code"]), scores.get(section["code"]), len(rows)
        )
        rows += section_rows
        spans += section_spans
    return grid(rows, SECTION_WIDTHS, spans=spans, shaded=shaded)


def _goal_slots(section: Mapping[str, Any], entry: Any) -> list[dict[str, Any]]:
    """The agreement's goals, or the template's default slots with the scores given."""
    given = list(entry or [])
    slots = [{"weight": weight} for weight in section.get("slots", [])]
    slots += [{} for _ in range(len(given) - len(slots))]
    for slot, value in zip(slots, given, strict=False):
        slot.update(value if isinstance(value, Mapping) else {"score": value})
    return slots


def _goals_table(section: Mapping[str, Any], entry: Any, score: Any) -> Any:
    widths = [22 * mm, 44 * mm, 14 * mm, 14 * mm, 32 * mm, 32 * mm, PAGE_WIDTH - 158 * mm]
    headings = (
        "月度重点工作目标",
        "工作完成衡量标准",
        "单项权重",
        "单项分数",
        "自我完成情况描述",
        "上级检查完成情况",
        "上级评分",
    )
    rows: list[list[Any]] = [[label(h) for h in headings]]
    points = Decimal(str(section["points"]))
    for index, slot in enumerate(_goal_slots(section, entry)):
        weight = Decimal(str(slot.get("weight", 0)))
        measure = (f"期限要求：{slot.get('deadline', '')}\n完成质量要求：{slot.get('quality', '')}\n"
                   f"完成程度：{slot.get('completion', '')}")  # fmt: skip
        rows.append([text(f"{GOAL_NAMES[index]}：{slot.get('title', '')}"), text(measure),
                     label(f"{number(weight)}%"), label(f"{number(weight)}分"),
                     text(slot.get("self_report", "")), text(slot.get("check", "")),
                     label(number(slot.get("score")))])  # fmt: skip
    rows.append(
        [
            label(section["name"]),
            "",
            "",
            label(f"{number(points)}分"),
            "",
            label("合计"),
            label(number(score)),
        ]
    )
    return grid(rows, widths, spans=[((0, -1), (2, -1)), ((4, -1), (5, -1))], shaded=[((0, 0), (-1, 0))])


def _total(template: Mapping[str, Any], total: Any) -> Any:
    rows = [
        [label("总分"), label(number(template.get("total", 100))), label("实际得分"), label(number(total))]
    ]
    return grid(rows, [24 * mm, PAGE_WIDTH - 90 * mm, 44 * mm, 22 * mm])


def _final(final: Mapping[str, Any]) -> list[Any]:
    """奖惩加减分 and 最终得分 (R-3.1), with why the grade."""
    rows = [
        [
            label("奖惩加减分"),
            label(number(final.get("discipline_points"))),
            label("最终得分"),
            label(number(final.get("final_score"))),
        ]
    ]
    table = grid(rows, [24 * mm, PAGE_WIDTH - 90 * mm, 44 * mm, 22 * mm])
    note = final.get("note")
    return [table, text(str(note), 9)] if note else [table]


def _grade_note(grade: str | None) -> Any:
    boxes = "".join(f"{'■' if code == grade else '□'}{code}=({span}) " for code, span in GRADE_NOTE)
    return text(f"注：{boxes}", 9)


def _scores_by_code(
    section_scores: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None,
) -> Mapping[str, Any]:
    """Section scores as code → score; a list of ``{"code", "score"}`` (calc score's shape) is accepted."""
    if not section_scores:
        return {}
    if isinstance(section_scores, Mapping):
        return section_scores
    return {section["code"]: section["score"] for section in section_scores}


def _form_total(section_scores: Mapping[str, Any], sections: Sequence[Mapping[str, Any]]) -> Decimal | None:
    """Σ section scores once every section is scored (R-3.1); None before."""
    if not sections or any(section_scores.get(s["code"]) is None for s in sections):
        return None
    return sum((Decimal(str(section_scores[s["code"]])) for s in sections), Decimal(0))


def render_appraisal_pdf(
    template: Mapping[str, Any],
    *,
    header: Mapping[str, Any],
    section_scores: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    entries: Mapping[str, Any] | None = None,
    total: Any = None,
    grade: str | None = None,
    final: Mapping[str, Any] | None = None,
) -> bytes:
    """One of forms 4.1–4.5 as a PDF.

    ``template``: the dict of ``aftersales templates show``. ``header``: ``name``, ``department``
    (所属区域/部门), ``month`` ("2026-10"), optional ``position``, ``supervisor`` and ``work`` (up to
    three ``{"place", "content", "result"}``). ``section_scores``: section code → score (or the
    ``sections`` list of ``aftersales calc score``);
    ``entries``: section code → entry (see module doc); ``total``: the form total (default: the sum
    of the section scores when all are given); ``grade``: A–E, ticked in the grade note;
    ``final``: the month's one result beside the form (R-3.1) — ``discipline_points``,
    ``final_score`` and a ``note`` (why the grade, or that it is decided at the close).
    """
    scores = _scores_by_code(section_scores)
    entries = entries or {}
    sections = list(template["sections"])
    goals = [s for s in sections if s["kind"] == "goals"]
    scored = [s for s in sections if s["kind"] != "goals"]
    flowables: list[Any] = [title(template["name"]), gap(5), _header(header), gap(3)]
    if not goals:
        flowables += [_work_situation(header), gap(3)]
    for section in goals:
        flowables += [
            _goals_table(section, entries.get(section["code"]), scores.get(section["code"])),
            gap(3),
        ]
    if scored:
        flowables += [_sections_table(scored, entries, scores), gap(3)]
    form_total = total if total is not None else _form_total(scores, sections)
    flowables += [_total(template, form_total), gap(2)]
    if final is not None:
        flowables += [*_final(final), gap(2)]
    flowables += [_grade_note(grade), gap(10)]
    flowables.append(signature_lines("考评人(直接主管)", "考评日期", "员工签字"))
    return build_pdf(flowables, document_title=f"{template['name']} {header.get('name', '')}")
