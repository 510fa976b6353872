"""Appraisal forms 4.1–4.5 as PDF, laid out like the source forms, from plain data.

The template is the dict ``aftersales templates show`` prints (CONTRACTS.md). Entries have the
shapes of ``aftersales calc score``; goal slots may also be dicts with the agreement's texts
(title, deadline, quality, completion, self_report, check, weight, score). Chosen or occurred
items are ticked (√).
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether

from aftersales.core.builtin_forms import work_columns
from aftersales.printing.layout import (
    PAGE_WIDTH,
    build_pdf,
    gap,
    grid,
    label,
    labelled,
    number,
    text,
    title,
)

GRADE_NOTE = (("A", "90-100分"), ("B", "80-90分"), ("C", "70-80分"), ("D", "60-70分"), ("E", "60分以下"))
GOAL_NAMES = ("目标一", "目标二", "目标三", "目标四", "目标五")
TICK = "√ "
# 考核项目 · 考核内容 · 项目总分 · 加分标准 · 实际得分
SECTION_WIDTHS = (24 * mm, PAGE_WIDTH - 88 * mm, 20 * mm, 22 * mm, 22 * mm)


def _day(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "    年  月  日"


def _month_text(month: str) -> str:
    return f"{month[:4]}年{int(month[5:7])}月" if len(month) == 7 else month or "    年  月"


def _header(header: Mapping[str, Any], *, agreement_form: bool) -> Any:
    """The form's top grid: 月份, 姓名, 所属区域 (4.1–4.3) or 员工姓名, 职位, 部门, 直接主管姓名, 职位,
    部门, 考评日期 (4.4, 4.5)."""
    month = str(header.get("month", ""))
    if agreement_form:
        first, last = _month_days(month)
        rows = [
            labelled([("员工姓名", header.get("name", "")), ("职位", header.get("position", "")),
                      ("部门", header.get("department", ""))]),
            labelled([("直接主管姓名", header.get("supervisor", "")),
                      ("职位", header.get("supervisor_position", "")),
                      ("部门", header.get("supervisor_department", ""))]),
            [*labelled([("考评日期", f"{_day(first)} - {_day(last)}")]), "", "", "", ""],
        ]  # fmt: skip
        spans = [((1, 2), (5, 2))]
    else:
        rows = [
            labelled([("月份", _month_text(month)), ("姓名", header.get("name", "")),
                      ("所属区域", header.get("region") or header.get("department", ""))]),
            labelled([("部门", header.get("department", "")), ("职位", header.get("position", "")),
                      ("直接主管", header.get("supervisor", ""))]),
        ]  # fmt: skip
        spans = []
    widths = [24 * mm, 36 * mm, 18 * mm, 36 * mm, 18 * mm, PAGE_WIDTH - 132 * mm]
    return grid(rows, widths, spans=spans, shaded=[((0, 0), (0, -1)), ((2, 0), (2, 1)), ((4, 0), (4, 1))])


def _month_days(month: str) -> tuple[date | None, date | None]:
    if len(month) != 7:
        return None, None
    year, number_ = int(month[:4]), int(month[5:7])
    return date(year, number_, 1), date(year, number_, monthrange(year, number_)[1])


WORK_HEADINGS = {"place": "工作地点", "duration": "工作持续时间", "content": "工作内容", "result": "完成情况"}
WORK_WIDTHS = {"place": 36 * mm, "duration": 36 * mm, "result": 40 * mm}


def _work_situation(template: Mapping[str, Any], self_report: Mapping[str, Any]) -> Any:
    """工作情况 (forms 4.1–4.3): the rows the employee reported (at least the paper form's three lines),
    then any other remarks — an old free-text report is printed there too."""
    columns = work_columns(str(template.get("code", "")), has_goals=False)
    work = list(self_report.get("work") or [])
    first = 16 * mm
    fixed = sum(WORK_WIDTHS.get(key, 0) for key in columns)
    widths = [first] + [WORK_WIDTHS.get(key, PAGE_WIDTH - first - fixed) for key in columns]
    heading = "工作情况" if template.get("code") != "repair" else "主要工作情况"
    rows: list[list[Any]] = [[label(heading)] + [label(WORK_HEADINGS[key]) for key in columns]]
    for index in range(max(3, len(work))):
        line = work[index] if index < len(work) else {}
        cells = [text(line.get(key, "")) for key in columns]
        content = columns.index("content")
        cells[content] = text(f"{index + 1}，{line.get('content', '')}")
        rows.append(["", *cells])
    spans = [((0, 0), (0, len(rows) - 1))]
    summary = str(self_report.get("summary") or "")
    if summary:
        rows.append([label("其他说明"), text(summary)] + [""] * (len(columns) - 1))
        spans.append(((1, len(rows) - 1), (-1, len(rows) - 1)))
    return grid(rows, widths, spans=spans, shaded=[((0, 0), (-1, 0))])


def _summary(self_report: Mapping[str, Any]) -> list[Any]:
    """The employee's own words on the month (forms with an agreement), when given."""
    summary = str(self_report.get("summary") or "")
    if not summary:
        return []
    return [grid([[label("本月工作完成情况"), text(summary)]], [36 * mm, PAGE_WIDTH - 36 * mm]), gap(3)]


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
    section: Mapping[str, Any], entry: Any, score: Any, start: int, described: str = ""
) -> tuple[list[list[Any]], list]:
    """The rows of one scored section and its spans (考核项目, 项目总分, 实际得分 span its items), then
    the employee's self-description (自我描述, form 4.4's 敬业精神) when given."""
    items = section.get("items") or []
    rows: list[list[Any]] = []
    for index, item in enumerate(items):
        ticked = _ticked(section, item, entry)
        content = (TICK if ticked else "") + item["text"]
        if section["kind"] == "band" and ticked:
            content += f"（实际：{number(entry)}%）"
        rows.append([label(section["name"]) if index == 0 else "", text(content),
                     label(number(section["points"])) if index == 0 else "", label(_standard(section, item)),
                     label(number(score)) if index == 0 else ""])  # fmt: skip
    spans: list = []
    if described:
        rows.append(["", text(f"自我描述：{described}"), "", "", ""])
        spans.append(((1, start + len(rows) - 1), (3, start + len(rows) - 1)))
    end = start + len(rows) - 1
    if len(rows) > 1:
        spans += [((column, start), (column, end)) for column in (0, 2, 4)]
    return rows, spans


def _sections_table(
    sections: Sequence[Mapping[str, Any]],
    entries: Mapping[str, Any],
    scores: Mapping[str, Any],
    described: Mapping[str, str],
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
        code = section["code"]
        section_rows, section_spans = _section_rows(
            section, entries.get(code), scores.get(code), len(rows), str(described.get(code) or "")
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
        name = GOAL_NAMES[index] if index < len(GOAL_NAMES) else f"目标{index + 1}"
        rows.append([text(f"{name}：{slot.get('title', '')}"), text(measure),
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


def _comment(comment: str) -> list[Any]:
    if not comment:
        return []
    return [grid([[label("主管评语(上级评定)"), text(comment)]], [36 * mm, PAGE_WIDTH - 36 * mm]), gap(3)]


SIGNERS = ("被考核人", "考评人(直接主管)", "部门负责人(审核)", "人力资源部(归档)")


def _signatures(signatures: Mapping[str, Mapping[str, Any]]) -> Any:
    """Who signs the paper form, two signers a row: each signer's name and date as recorded, and
    room to sign by hand; kept on one page."""
    cells: list[Any] = []
    for signer in SIGNERS:
        given = signatures.get(signer) or {}
        cells += [label(signer), text(given.get("name", "")), text("签字："), text(_day(given.get("date")))]
    rows = [cells[:8], cells[8:]]
    widths = [26 * mm, 17 * mm, 20 * mm, 27 * mm] * 2
    shaded = [((0, 0), (0, -1)), ((4, 0), (4, -1))]
    return KeepTogether([grid(rows, widths, shaded=shaded)])


def render_appraisal_pdf(
    template: Mapping[str, Any],
    *,
    header: Mapping[str, Any],
    section_scores: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    entries: Mapping[str, Any] | None = None,
    total: Any = None,
    grade: str | None = None,
    final: Mapping[str, Any] | None = None,
    self_report: Mapping[str, Any] | None = None,
    comment: str = "",
    signatures: Mapping[str, Mapping[str, Any]] | None = None,
) -> bytes:
    """One of forms 4.1–4.5 as a PDF: the whole paper form.

    ``template``: the dict of ``aftersales templates show``. ``header``: ``name``, ``department``,
    ``month`` ("2026-10"), optional ``region`` (所属区域), ``position``, ``supervisor``,
    ``supervisor_position``, ``supervisor_department``. ``section_scores``: section code → score (or
    the ``sections`` list of ``aftersales calc score``); ``entries``: section code → entry (see module
    doc; goal slots may carry the agreement's texts); ``total``: the form total (default: the sum of
    the section scores when all are given); ``grade``: A–E, ticked in the grade note; ``final``: the
    month's one result beside the form (R-3.1) — ``discipline_points``, ``final_score`` and a
    ``note``; ``self_report``: the employee's ``work`` rows (工作情况 of 4.1–4.3), ``summary`` and
    ``sections`` (section code → 自我描述); ``comment``: the supervisor's comment (上级评定);
    ``signatures``: signer (one of ``SIGNERS``) → ``{"name", "date"}``.
    """
    scores = _scores_by_code(section_scores)
    entries = entries or {}
    report = self_report or {}
    sections = list(template["sections"])
    goals = [s for s in sections if s["kind"] == "goals"]
    scored = [s for s in sections if s["kind"] != "goals"]
    header_grid = _header(header, agreement_form=bool(goals))
    flowables: list[Any] = [title(template["name"]), gap(5), header_grid, gap(3)]
    flowables += [_work_situation(template, report), gap(3)] if not goals else _summary(report)
    for section in goals:
        flowables += [
            _goals_table(section, entries.get(section["code"]), scores.get(section["code"])),
            gap(3),
        ]
    if scored:
        described = report.get("sections") or {}
        flowables += [_sections_table(scored, entries, scores, described), gap(3)]
    form_total = total if total is not None else _form_total(scores, sections)
    flowables += [_total(template, form_total), gap(2)]
    if final is not None:
        flowables += [*_final(final), gap(2)]
    flowables += [_grade_note(grade), gap(3), *_comment(comment)]
    flowables.append(_signatures(signatures or {}))
    return build_pdf(flowables, document_title=f"{template['name']} {header.get('name', '')}")
