"""Form 4.6 员工绩效面谈记录表 as a PDF, laid out like the source form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
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
    writing_space,
)

TITLE = "员工绩效面谈记录表"
ITEM_NAMES = ("项目一", "项目二", "项目三")
ITEM_COLUMNS = (
    ("strengths_or_problems", "个人优势或存在的问题"),
    ("improvement_suggestions", "改进建议"),
    ("resources_needed", "绩效改进需获得的资源及支持"),
    ("phase_goals", "绩效改进阶段性目标"),
    ("next_review", "下一次面谈时的检查与回顾记录"),
)


@dataclass
class InterviewSheet:
    """What form 4.6 shows, as plain values (so the PDF needs no database)."""

    employee_name: str
    employee_position: str = ""
    employee_department: str = ""
    performance_score: Any = None
    supervisor_name: str = ""
    supervisor_position: str = ""
    supervisor_department: str = ""
    improvement_from: date | None = None
    improvement_to: date | None = None
    held_on: date | None = None
    items: list[dict[str, str]] = field(default_factory=list)
    employee_remarks: str = ""
    supervisor_remarks: str = ""
    training_reason: str = ""
    training_content: str = ""
    training_planned_time: str = ""
    training_expected_effect: str = ""
    training_actual_effect: str = ""
    other_resources: str = ""

    @classmethod
    def from_interview(cls, interview: Any) -> InterviewSheet:
        """From an ``interviews.Interview`` (read by attribute: the printing module imports no models)."""
        supervisor = interview.supervisor
        request = getattr(interview, "training_request", None)
        return cls(
            employee_name=interview.employee.name,
            employee_position=str(interview.position),
            employee_department=str(interview.department),
            performance_score=interview.performance_score,
            supervisor_name=supervisor.name,
            supervisor_position=str(supervisor.position),
            supervisor_department=str(supervisor.department),
            improvement_from=interview.improvement_from,
            improvement_to=interview.improvement_to,
            held_on=interview.held_on,
            items=[{name: getattr(item, name) for name, _ in ITEM_COLUMNS} for item in interview.items.all()],
            employee_remarks=interview.employee_remarks,
            supervisor_remarks=interview.supervisor_remarks,
            training_reason=interview.training_reason,
            training_content=interview.training_content,
            training_planned_time=interview.training_planned_time,
            training_expected_effect=interview.training_expected_effect,
            training_actual_effect=request.actual_effect if request is not None else "",
            other_resources=interview.other_resources,
        )


def _day(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "    年  月  日"


def _header(sheet: InterviewSheet) -> Any:
    widths = [24 * mm, 24 * mm, 12 * mm, 28 * mm, 12 * mm, 30 * mm, 20 * mm, PAGE_WIDTH - 150 * mm]
    period = f"{_day(sheet.improvement_from)} - {_day(sheet.improvement_to)}"
    employee = [
        ("员工姓名", sheet.employee_name),
        ("职位", sheet.employee_position),
        ("部门", sheet.employee_department),
        ("绩效得分", number(sheet.performance_score)),
    ]
    supervisor = [
        ("直接主管姓名", sheet.supervisor_name),
        ("职位", sheet.supervisor_position),
        ("部门", sheet.supervisor_department),
        ("面谈日期", _day(sheet.held_on)),
    ]
    rows = [
        labelled(employee),
        labelled(supervisor),
        [*labelled([("改进期限", period)]), "", "", "", "", "", ""],
    ]
    return grid(rows, widths, spans=[((1, 2), (7, 2))], shaded=[((0, 0), (0, 2))])


def _items(sheet: InterviewSheet) -> Any:
    first = 18 * mm
    widths = [first] + [(PAGE_WIDTH - first) / len(ITEM_COLUMNS)] * len(ITEM_COLUMNS)
    rows: list[list[Any]] = [[label("面谈项目")] + [label(heading) for _, heading in ITEM_COLUMNS]]
    for index, name in enumerate(ITEM_NAMES):
        item = sheet.items[index] if index < len(sheet.items) else {}
        rows.append([label(name)] + [writing_space(item.get(key, ""), 16) for key, _ in ITEM_COLUMNS])
    return grid(rows, widths, shaded=[((0, 0), (-1, 0))])


def _remarks(sheet: InterviewSheet) -> Any:
    rows = [
        [writing_space(f"员工需要说明的其他问题：\n{sheet.employee_remarks}", 8)],
        [writing_space(f"直接主管需要说明的其他问题：\n{sheet.supervisor_remarks}", 8)],
    ]
    return grid(rows, [PAGE_WIDTH])


def _training(sheet: InterviewSheet) -> Any:
    widths = [22 * mm, 32 * mm, PAGE_WIDTH - 54 * mm]
    rows = [
        [label("针对员工的培训建议"), label("实施培训原因"), text(sheet.training_reason)],
        ["", label("培训项目/内容"), text(sheet.training_content)],
        ["", label("拟培训时间"), text(sheet.training_planned_time)],
        ["", label("培训预期效果说明"), text(sheet.training_expected_effect)],
        ["", label("培训实际效果说明"), text(sheet.training_actual_effect)],
        [
            writing_space(
                f"需组织提供的其他资源或支持：(经费，设备，人员，信息等)\n{sheet.other_resources}", 8
            ),
            "",
            "",
        ],
    ]
    return grid(rows, widths, spans=[((0, 0), (0, 4)), ((0, 5), (2, 5))], shaded=[((0, 0), (1, 4))])


def render_interview_pdf(interview: Any) -> bytes:
    """Form 4.6 for an interview record or an ``InterviewSheet``."""
    sheet = interview if isinstance(interview, InterviewSheet) else InterviewSheet.from_interview(interview)
    flowables = [
        title(TITLE),
        gap(5),
        _header(sheet),
        gap(3),
        _items(sheet),
        gap(3),
        _remarks(sheet),
        gap(3),
        _training(sheet),
        gap(10),
        signature_lines("员工签字", "直接主管签字", "日期"),
    ]
    return build_pdf(flowables, document_title=f"{TITLE} {sheet.employee_name}")
