"""Printable forms 4.1–4.6 (issue 3 part 5): valid PDFs laid out like the source, Chinese text extractable."""

import subprocess
from datetime import date
from pathlib import Path

import pytest

from aftersales.core.builtin_forms import BUILTIN_TEMPLATES
from aftersales.core.forms import score_form, to_dict
from aftersales.printing import InterviewSheet, render_appraisal_pdf, render_interview_pdf
from aftersales.printing.layout import EMBEDDED_FONT_FILES

APPRAISAL_LABELS = (
    "姓名 职位 部门 直接主管 考核内容 项目总分 标准 实际得分 总分 被考核人 考评人(直接主管) 部门负责人(审核) "
    "人力资源部(归档) 签字："
)
INTERVIEW_LABELS = (
    "员工绩效面谈记录表 员工姓名 绩效得分 改进期限 项目一 项目三 个人优势或存在的问题 针对员工的培训建议 "
    "车载电气系统故障诊断 培训实际效果说明 员工签字 直接主管签字"
)
HEADER = {"name": "赵磊", "department": "现场服务/华北区域", "month": "2026-10", "supervisor": "陈刚"}


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    command = ["pdftotext", "-raw", str(path), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return "".join(text.split())  # table cells wrap their text over lines


def _renders(pdf: bytes, tmp_path: Path) -> int:
    """Pages pdftoppm rasterises (it fails on a broken PDF)."""
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(path), str(tmp_path / "page")], check=True)
    return len(list(tmp_path.glob("page*.png")))


def _entry(section: dict) -> object:
    """A plausible month: the first behaviour occurred, the third choice, 95 %, full goals, 2nd band."""
    items = section.get("items", [])
    kind = section["kind"]
    if kind == "deduction":
        return [items[0]["code"]]
    if kind == "choice":
        return items[2]["code"]
    if kind == "band":
        return "95"
    if kind == "goals":
        return [str(slot) for slot in section["slots"]]
    return {"item": items[1]["code"], "score": items[1]["max"]}


def _entries(template: dict) -> dict:
    return {section["code"]: _entry(section) for section in template["sections"]}


@pytest.mark.parametrize("template", BUILTIN_TEMPLATES, ids=[t.code for t in BUILTIN_TEMPLATES])
def test_each_appraisal_form_prints_like_the_source(template, tmp_path):
    data = to_dict(template)
    entries = _entries(data)
    scored = score_form(template, entries)
    scores = {section.code: section.score for section in scored.sections}
    pdf = render_appraisal_pdf(data, header=HEADER, section_scores=scores, entries=entries, grade="B")
    assert pdf.startswith(b"%PDF") and _renders(pdf, tmp_path) >= 1
    text = _text(pdf, tmp_path)
    has_goals = any(section["kind"] == "goals" for section in data["sections"])
    month = "考评日期2026年10月1日-2026年10月31日" if has_goals else "月份2026年10月"
    expected_texts = [data["name"], "赵磊", month, *APPRAISAL_LABELS.split()]
    for expected in expected_texts:
        assert expected in text, expected
    assert all("".join(section["name"].split()) in text for section in data["sections"])
    total = format(scored.form_total.normalize(), "f")
    assert f"总分100实际得分{total}" in text  # the form total as scored by the rules core
    assert "√" in text  # occurred / chosen items are ticked


def test_a_blank_form_prints_for_filling_in_by_hand(tmp_path):
    data = to_dict(BUILTIN_TEMPLATES[0])
    pdf = render_appraisal_pdf(data, header={})
    text = _text(pdf, tmp_path)
    assert "现场服务人员月度绩效考核表" in text and "√" not in text and _renders(pdf, tmp_path) == 1


def test_section_scores_may_be_given_as_calc_score_sections(tmp_path):
    data = to_dict(BUILTIN_TEMPLATES[0])
    sections = [{"code": s["code"], "score": "7.5"} for s in data["sections"]]
    text = _text(render_appraisal_pdf(data, header=HEADER, section_scores=sections), tmp_path)
    assert text.count("7.5") >= len(sections) and "37.5" in text


def test_the_interview_form_4_6_prints_without_a_database(tmp_path):
    sheet = InterviewSheet(
        employee_name="赵磊",
        employee_position="服务工程师",
        performance_score="86.5",
        supervisor_name="陈刚",
        improvement_from=date(2026, 3, 1),
        improvement_to=date(2026, 4, 30),
        held_on=date(2026, 3, 5),
        items=[{"strengths_or_problems": "月报拖延", "phase_goals": "按时提交"}],
        training_content="车载电气系统故障诊断",
        training_actual_effect="已能独立处理",
    )
    pdf = render_interview_pdf(sheet)
    assert pdf.startswith(b"%PDF") and _renders(pdf, tmp_path) == 1
    text = _text(pdf, tmp_path)
    for expected in [*INTERVIEW_LABELS.split(), "赵磊", "86.5", "2026年3月1日", "月报拖延", "已能独立处理"]:
        assert expected in text, expected


@pytest.mark.skipif(not any(p.exists() for p in EMBEDDED_FONT_FILES), reason="WQY font not installed")
def test_the_chinese_font_is_embedded_so_archived_forms_look_the_same_everywhere(tmp_path):
    path = tmp_path / "form.pdf"
    path.write_bytes(render_interview_pdf(InterviewSheet(employee_name="赵磊")))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    embedded = [line for line in fonts.splitlines() if "WenQuanYi" in line]
    assert embedded and embedded[0].split()[3] == "yes"  # the emb column
