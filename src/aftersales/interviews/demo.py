"""Demo interviews (form 4.6) and training requests (R-7.5) for `serve --demo` (DEMO_STEPS).

Made through the actions, by the supervisors who hold them: 陈刚 interviewed 赵磊 in this block
(with a training suggestion, still to plan); 李明 interviewed 张伟; 吴强 interviewed 郑浩 in the
previous block (training planned and done). Everyone else still misses this block's interview, so
HR's audit shows something. The month before last is closed for pay (aftersales.payroll.demo): when
it is the second month of its block, the audit (R-4.4) would hold the pay of everyone not
interviewed in that block, so their supervisors held those interviews late in that month.
Idempotent: nothing is added once 赵磊 has an interview.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone

from aftersales.core.interview_rules import Block, closes_block
from aftersales.core.periods import Month
from aftersales.interviews import services
from aftersales.interviews.models import Interview
from aftersales.interviews.selectors import employees_missing_interview
from aftersales.organisation.models import Employee

ENGINEER_INTERVIEW = {
    "performance_score": "82",
    "employee_remarks": "希望多安排电气系统方面的学习",
    "supervisor_remarks": "现场处理及时，用户评价好；报告需按时",
    "training_reason": "车载电气故障需他人支援两次",
    "training_content": "车载电气系统故障诊断",
    "training_planned_time": "下月上旬",
    "training_expected_effect": "能独立处理常见电气故障",
    "other_resources": "电气诊断仪一台",
}
ENGINEER_ITEMS = [
    {
        "strengths_or_problems": "故障判断准确，但服务月报常常拖延",
        "improvement_suggestions": "每周五前整理本周服务记录",
        "resources_needed": "服务月报模板",
        "phase_goals": "下月月报按时按格式提交",
        "next_review": "",
    },
    {
        "strengths_or_problems": "《现场质量信息数据库》录入不全",
        "improvement_suggestions": "每次服务后当天录入",
        "resources_needed": "",
        "phase_goals": "录入率100%",
        "next_review": "",
    },
]
CLOSED_BLOCK_ITEMS = [
    {
        "strengths_or_problems": "两个月工作按计划完成",
        "improvement_suggestions": "继续保持，注意工作记录及时归档",
        "phase_goals": "下一周期考核无扣分项",
    }
]
SUPPORT_ITEMS = [
    {
        "strengths_or_problems": "客户投诉响应及时",
        "improvement_suggestions": "总结常见问题形成知识库",
        "resources_needed": "",
        "phase_goals": "整理10条常见问题解答",
        "next_review": "",
    }
]


def _fields(held_on: date, **extra: str) -> dict[str, object]:
    return {
        "held_on": held_on,
        "improvement_from": held_on,
        "improvement_to": held_on + timedelta(days=60),
        **extra,
    }


def load_interviews_demo() -> None:
    people = {
        e.user.username: e
        for e in Employee.objects.select_related("user").filter(user__isnull=False)
        if e.user
    }
    if Interview.objects.filter(employee=people["engineer"]).exists():
        return
    users = {user.username: user for user in get_user_model().objects.filter(username__in=list(people))}
    today = timezone.localdate()
    block = Block.of(Month.of(today))
    recent = max(block.first_day, today - timedelta(days=2))
    services.interview_record(
        employee=people["engineer"],
        fields=_fields(recent, **ENGINEER_INTERVIEW),
        items=ENGINEER_ITEMS,
        actor=users["regional"],
    )
    services.interview_record(
        employee=people["support"],
        fields=_fields(recent, performance_score="91"),
        items=SUPPORT_ITEMS,
        actor=users["supervisor"],
    )
    _previous_block_with_training_done(people, users, block)
    _closed_month_interviews(today)


def _previous_block_with_training_done(people: dict, users: dict, block: Block) -> None:
    earlier = Block.of(block.first_month.shift(-1)).first_day + timedelta(days=9)
    interview = services.interview_record(
        employee=people["technician"],
        fields=_fields(
            earlier,
            performance_score="68",
            training_reason="二次返修率偏高",
            training_content="电控单元返修工艺",
            training_expected_effect="二次返修率降到10%以下",
        ),
        items=[{"strengths_or_problems": "二次返修率偏高", "phase_goals": "二次返修率低于10%"}],
        actor=users["repairlead"],
    )
    request = interview.training_request
    services.training_request_plan(
        request=request,
        planned_on=earlier + timedelta(days=14),
        plan="厂家技术员现场培训两天",
        actor=users["hr"],
    )
    services.training_request_close(
        request=request, actual_effect="返修工艺规范，二次返修率降至8%", actor=users["hr"]
    )


def _closed_month_interviews(today: date) -> None:
    """When the month before last closes its block, everyone the audit would flag in it is
    interviewed by their direct supervisor on the 25th of that month (R-4.4)."""
    closed = Month.of(today).shift(-2)
    if not closes_block(closed):
        return
    held_on = closed.start.date() + timedelta(days=24)
    for employee in employees_missing_interview(Block.of(closed), as_of=today):
        services.interview_record(
            employee=employee,
            fields=_fields(held_on),
            items=CLOSED_BLOCK_ITEMS,
            actor=cast(User, cast(Employee, employee.supervisor).user),  # the demo's are set
        )
