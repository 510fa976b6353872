"""The printed forms are the whole paper form HR archives (人力资源部留存归档, SPEC §4 step 3, issue 13):
each of forms 4.1–4.5, walked to the archive with distinctive texts, prints every item its web page
shows — the 工作情况 rows, the agreement (goals, weights, deadlines, quality requirements, completion,
self-description, supervisor's check, scores), self-descriptions, the supervisor's comment, the
month's one result (R-3.1) and who signed each step (R-4.1)."""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse

from aftersales.appraisal import notifications, services
from aftersales.appraisal.models import Agreement, Appraisal, State
from aftersales.appraisal.scoring import agreement_goals, appraisal_template, goals_section
from aftersales.printing import render_appraisal_pdf
from tests.appraisal.helpers import entries_for

FORMS = {  # template code → the persona appraised on it
    "field_service": "engineer",
    "regional_supervisor": "regional",
    "repair": "technician",
    "tech_improvement": "improver",
    "tech_support": "support",
}
WORK = {
    "field_service": [{"place": "郑州东站", "content": "更换门泵电磁阀", "result": "已完成验收"}],
    "regional_supervisor": [{"place": "华北片区", "content": "走访客户六家", "result": "完成五家"}],
    "repair": [{"duration": "三天半", "content": "返修控制器十二台"}],
}


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text as pdftotext reads it, without white space (table cells wrap their text)."""
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(text.stdout.split())


def page_text(html: str) -> str:
    return "".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _act(appraisal: Appraisal, run) -> None:
    """Take the pending step as the first person it waits on (R-4.1 decides who that is)."""
    actor = notifications.responsible_users(appraisal)[0]
    run(actor)
    appraisal.refresh_from_db()


def _agree(appraisal: Appraisal) -> None:
    agreement = Agreement.objects.get(period=appraisal.period, employee=appraisal.employee)
    section = goals_section(appraisal_template(appraisal))
    goals = [
        {
            "title": f"目标甲{index}号课题",
            "weight": str(weight),
            "deadline_requirement": f"本月{index + 10}日前",
            "quality_requirement": f"质量要求乙{index}",
        }
        for index, weight in enumerate(section.slots)
    ]
    supervisor = appraisal.employee.supervisor.user
    services.agreement_save(agreement=agreement, actor=supervisor, goals=goals)
    services.agreement_sign(agreement=agreement, actor=supervisor)
    services.agreement_sign(agreement=agreement, actor=appraisal.employee.user)


def walk_to_archive(appraisal: Appraisal) -> None:
    template = appraisal_template(appraisal)
    employee = appraisal.employee.user
    has_goals = goals_section(template) is not None
    if has_goals:
        _agree(appraisal)
    described = {
        s.code: f"自述丙{index}" for index, s in enumerate(template.sections) if s.heading == "敬业精神"
    }
    services.appraisal_self_report(
        appraisal=appraisal,
        actor=employee,
        summary="本月另有说明丁",
        sections=described,
        goals=[{"completion": f"完成度戊{i}", "self_description": f"自我描述己{i}"} for i in range(3)]
        if has_goals
        else [],
        work=WORK.get(template.code, []),
    )
    checks = [f"上级检查庚{i}" for i in range(3)] if has_goals else []
    _act(
        appraisal,
        lambda actor: services.appraisal_score(
            appraisal=appraisal,
            actor=actor,
            entries=entries_for(appraisal),
            goal_checks=checks,
            comment="评语辛",
        ),
    )
    _act(appraisal, lambda actor: services.appraisal_review(appraisal=appraisal, actor=actor))
    services.appraisal_confirm(appraisal=appraisal, actor=employee)
    appraisal.refresh_from_db()
    _act(appraisal, lambda actor: services.appraisal_archive(appraisal=appraisal, actor=actor))
    assert appraisal.state == State.ARCHIVED


def expected_items(appraisal: Appraisal) -> list[str]:
    """Every item of the form's page that belongs on the paper form."""
    template = appraisal_template(appraisal)
    report = appraisal.self_report
    items = [template.name, appraisal.employee.name, "评语辛"]
    items += [value for row in report.get("work", []) for value in row.values()]
    items += [report["summary"], *report["sections"].values()]
    for goal in agreement_goals(appraisal):
        items += [goal.title, goal.deadline_requirement, goal.quality_requirement, goal.completion]
        items += [goal.self_description, goal.supervisor_check]
    for section in template.sections:
        items.append(section.name)
        items += [item.text for item in section.items]
    items += [format(appraisal.form_total.normalize(), "f")]
    return ["".join(item.split()) for item in items]


@pytest.mark.parametrize("code", FORMS)
def test_the_printed_form_is_the_whole_paper_form(client, period, code, tmp_path):
    appraisal = Appraisal.objects.get(period=period, employee__user__username=FORMS[code])
    assert appraisal.template_code == code
    walk_to_archive(appraisal)
    client.force_login(appraisal.employee.user)
    page = page_text(client.get(reverse("appraisal:detail", args=[appraisal.pk])).content.decode())
    response = client.get(reverse("appraisal:pdf", args=[appraisal.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    for item in expected_items(appraisal):
        assert item in page, f"not on the page: {item}"
        assert item in text, f"not in the PDF: {item}"
    # the signers of the paper form, with the names and days the steps were taken
    for signer in ("被考核人", "考评人(直接主管)", "部门负责人(审核)", "人力资源部(归档)"):
        assert signer in text
    day = appraisal.confirmed_at.astimezone().date()
    assert f"被考核人{appraisal.employee.name}签字：{day.year}年{day.month}月{day.day}日" in text


def test_the_agreement_form_prints_its_header_like_the_paper_form(period, tmp_path):
    """4.4/4.5: 员工姓名 职位 部门 直接主管姓名 职位 部门 考评日期 (the month's first to last day)."""
    appraisal = Appraisal.objects.get(period=period, employee__user__username="support")
    from aftersales.appraisal.printed import printed_form

    text = pdf_text(render_appraisal_pdf(**printed_form(appraisal)), tmp_path)
    supervisor = appraisal.employee.supervisor
    assert f"员工姓名{appraisal.employee.name}职位{appraisal.employee.position.name}" in text
    assert f"直接主管姓名{supervisor.name}职位{supervisor.position.name}" in text
    assert "考评日期2025年1月1日-2025年1月31日" in text


def test_an_old_free_text_self_report_still_prints_in_the_work_table(period, tmp_path):
    """A report made before the 工作情况 rows existed (only ``summary``) is kept and printed."""
    appraisal = Appraisal.objects.get(period=period, employee__user__username="engineer")
    services.appraisal_self_report(
        appraisal=appraisal, actor=appraisal.employee.user, summary="旧式自由文本壬"
    )
    from aftersales.appraisal.printed import printed_form

    text = pdf_text(render_appraisal_pdf(**printed_form(appraisal)), tmp_path)
    assert "工作情况工作地点工作内容完成情况1，2，3，其他说明旧式自由文本壬" in text


def test_the_self_report_page_takes_work_rows(client, period):
    appraisal = Appraisal.objects.get(period=period, employee__user__username="technician")
    client.force_login(appraisal.employee.user)
    page = client.get(reverse("appraisal:detail", args=[appraisal.pk])).content.decode()
    assert page.count('name="work-duration"') == 5 and 'name="work-place"' not in page  # form 4.3's columns
    data = {"work-duration": ["两天", "", "", "", ""], "work-content": ["返修电机", "", "", "", ""]}
    client.post(reverse("appraisal:self-report", args=[appraisal.pk]), data)
    appraisal.refresh_from_db()
    assert appraisal.state == State.SELF_REPORTED
    assert appraisal.self_report["work"] == [{"duration": "两天", "content": "返修电机"}]


def test_a_self_report_needs_a_work_row_or_a_summary(period):
    appraisal = Appraisal.objects.get(period=period, employee__user__username="engineer")
    employee = appraisal.employee.user
    with pytest.raises(services.ActionError) as refused:
        services.appraisal_self_report(
            appraisal=appraisal, actor=appraisal.employee.user, work=[{"place": " "}]
        )
    assert refused.value.field == "summary"
    with pytest.raises(services.ActionError) as refused:
        services.appraisal_self_report(appraisal=appraisal, actor=employee, work=[{"duration": "一天"}])
    assert refused.value.field == "work[0]"  # form 4.1 has no 工作持续时间 column


def test_bands_read_as_plain_rates_on_the_page(client, period):
    """R-2.2's half-open [lower, upper) is for developers; the page says 70%以下, 90%至100%以下."""
    appraisal = Appraisal.objects.get(period=period, employee__user__username="technician")
    client.force_login(appraisal.employee.user)
    page = page_text(client.get(reverse("appraisal:detail", args=[appraisal.pk])).content.decode())
    assert "(70%以下)" in page and "(90%至100%以下)" in page and "(100%及以上)" in page
    assert "[," not in page and "∞)" not in page
