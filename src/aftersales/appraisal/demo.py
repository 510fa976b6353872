"""Demo data of the appraisal cycle of 售后服务部 (DEMO_STEPS): last month with every form at some
step, and the month before it finished — every form archived, the period closed — so that the pay
area has a month to close (aftersales.payroll.demo).

Everything is made through the actions, by the people whose step it is, so the history pages show
real transitions. Idempotent: a month whose period exists gets nothing more.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from aftersales.appraisal import notifications, services
from aftersales.appraisal.models import Agreement, Appraisal, Period
from aftersales.appraisal.scoring import agreement_goals, appraisal_template, json_ready
from aftersales.core.forms import Section, Template
from aftersales.core.periods import Month
from aftersales.organisation.models import Department, Employee

# username → the step the demo leaves their form at
DEMO_STATES = {
    "supervisor": "confirmed_by_email",
    "support": "scored",
    "improver": "self_reported",
    "regional": "self_reported",  # the region's records propose on form 4.2 (evidence demo)
    "engineer": "reviewed",
    "engineer2": "returned",
    "engineer3": "appealed",
    "repairlead": "confirmed",
    "technician": "draft",
    "technician2": "scored",
    "keeper": "draft",
    "dispatcher": "self_reported",
}

# The month before last: everyone confirmed in the application, except these (username → path); then
# HR archives every form and closes the period.
CLOSED_MONTH_PATHS = {
    "improver": "appeal_rejected",  # appealed the deduction of his 64 (D); HR kept the score
    "engineer3": "confirmed_by_email",  # 周鹏 in the south region confirmed by e-mail
}
CLOSED_MONTH_SEED = 3  # the first seed of that month: other scores and grades than last month's

# target → the appeal's reasons and evidence
APPEALS = {
    "appealed": ("本月离岗系经区域主管电话同意，不应扣分。", "通话记录截图(已发邮件给人力资源部)"),
    "appeal_rejected": ("技改方案延期系配件未到货所致，不应扣分。", "配件到货单复印件"),
}
APPEAL_REJECTED_MINUTES = (
    "人力资源部组织员工与直接主管协调：方案延期未按规定提前报告，扣分符合考核细则，维持原考核结果。"
    "员工已知悉。"
)

DEMO_GOALS = [
    ("完成华北区域用户技术咨询答复，当月不少于30起", "30", "每周五前汇总", "答复准确，无用户二次投诉"),
    ("编写《车身电气故障诊断手册》第三章", "20", "当月25日前提交初稿", "经技术主管审核通过"),
    ("组织现场服务人员新产品培训一次", "20", "当月20日前完成", "培训记录、签到表齐全"),
]


def sample_entries(template: Template, goal_weights: list[Decimal], seed: int) -> dict[str, Any]:
    """Valid entries for any form, varied by ``seed`` (demo data and tests); ``goal_weights`` are
    the agreed goals' weights (empty: the form's default slots)."""
    return {
        section.code: _sample_value(section, index, goal_weights or list(section.slots), seed)
        for index, section in enumerate(template.sections)
    }


def _sample_value(section: Section, index: int, weights: list[Decimal], seed: int) -> Any:
    if section.kind == "deduction":
        return [section.items[seed % len(section.items)].code] if (seed + index) % 3 == 0 else []
    if section.kind == "choice":
        return section.items[-1 - seed % 3].code
    if section.kind == "band":
        rates = ["100", "92.5", "85"] if section.measure == "seven_day_completion_rate" else ["0", "8", "12"]
        return rates[seed % 3]
    if section.kind == "goals":
        return [json_ready(max(Decimal(0), weight - 2 * (seed % 3))) for weight in weights]
    item = section.items[seed % 2]
    return {"item": item.code, "score": str(item.max)}


def load_appraisal_demo() -> None:
    department = Department.objects.get(code="as")
    last_month = Month.of(timezone.localdate()).shift(-1)
    users = {user.username: user for user in get_user_model().objects.all()}
    with notifications.without_email():
        if not _opened(department, last_month):
            period = _open(department, last_month, users)
            for seed, appraisal in enumerate(_appraisals(period)):
                _walk(
                    appraisal,
                    DEMO_STATES.get(cast(User, appraisal.employee.user).username, "draft"),
                    users,
                    seed,
                )
        if not _opened(department, last_month.shift(-1)):
            _load_closed_month(department, last_month.shift(-1), users)


def _opened(department: Department, month: Month) -> bool:
    return Period.objects.filter(department=department, year=month.year, month=month.month).exists()


def _open(department: Department, month: Month, users: dict[str, Any]) -> Period:
    return services.period_open(actor=users["hr"], department=department, year=month.year, month=month.month)


def _appraisals(period: Period) -> QuerySet[Appraisal]:
    return Appraisal.objects.filter(period=period).select_related(
        "employee__user", "employee__supervisor__user"
    )


def _load_closed_month(department: Department, month: Month, users: dict[str, Any]) -> None:
    """The month before last, finished: every form walked to confirmed (one after an appeal HR
    rejected), archived by HR; then HR closes the period."""
    period = _open(department, month, users)
    for seed, appraisal in enumerate(_appraisals(period), start=CLOSED_MONTH_SEED):
        _walk(
            appraisal,
            CLOSED_MONTH_PATHS.get(cast(User, appraisal.employee.user).username, "confirmed"),
            users,
            seed,
        )
        services.appraisal_archive(appraisal=appraisal, actor=users["hr"])
    services.period_close(period=period, actor=users["hr"])


def _walk(appraisal: Appraisal, target: str, users: dict[str, Any], seed: int) -> None:
    employee = appraisal.employee.user
    supervisor = cast(Employee, appraisal.employee.supervisor).user  # every demo employee has one
    _agree(appraisal, employee, supervisor, signed=target != "draft")
    if target == "draft":
        return
    services.appraisal_self_report(
        appraisal=appraisal,
        actor=employee,
        summary="本月按计划完成各项工作，详见各目标完成情况。",
        goals=[{"completion": "已完成", "self_description": "按期完成，资料已归档。"}]
        * len(agreement_goals(appraisal)),
    )
    if target == "self_reported":
        return
    _score(appraisal, supervisor, seed)
    if target == "returned":
        services.appraisal_return(
            appraisal=appraisal, actor=users["head"], comment="信息传递一项扣分依据不足，请核实后重新评分。"
        )
    if target in ("scored", "returned"):
        return
    services.appraisal_review(appraisal=appraisal, actor=users["head"])
    _finish(appraisal, target, employee, supervisor, users["hr"])


def _finish(appraisal: Appraisal, target: str, employee: Any, supervisor: Any, hr: Any) -> None:
    if target in APPEALS:
        services.appraisal_mark_seen(appraisal=appraisal, actor=employee)
        first_deduction = next(
            s.code for s in appraisal_template(appraisal).sections if s.kind == "deduction"
        )
        reasons, evidence = APPEALS[target]
        appeal = services.appeal_file(
            appraisal=appraisal, actor=employee, items=[first_deduction], reasons=reasons, evidence=evidence
        )
        if target == "appeal_rejected":  # the result stands; the employee confirms it
            services.appeal_decide(appeal=appeal, actor=hr, upheld=False, minutes=APPEAL_REJECTED_MINUTES)
            services.appraisal_confirm(appraisal=appraisal, actor=employee)
    elif target == "confirmed":
        services.appraisal_confirm(appraisal=appraisal, actor=employee)
    elif target == "confirmed_by_email":
        services.appraisal_confirm_by_email(
            appraisal=appraisal, actor=supervisor, message="邮件(出差途中)：本人对考核结果无异议。"
        )


def _agree(appraisal: Appraisal, employee: Any, supervisor: Any, *, signed: bool) -> None:
    agreement = Agreement.objects.filter(period=appraisal.period, employee=appraisal.employee).first()
    if agreement is None:
        return
    goals = [
        {"title": title, "weight": weight, "deadline_requirement": deadline, "quality_requirement": quality}
        for title, weight, deadline, quality in DEMO_GOALS
    ]
    section = next(s for s in appraisal_template(appraisal).sections if s.kind == "goals")
    for goal, slot in zip(goals, section.slots, strict=True):
        goal["weight"] = str(slot)  # the form's default slots (4.4: 30/15/15, 4.5: 30/20/20)
    services.agreement_save(agreement=agreement, actor=supervisor, goals=goals)
    services.agreement_sign(agreement=agreement, actor=employee)
    if signed:
        services.agreement_sign(agreement=agreement, actor=supervisor)


def _score(appraisal: Appraisal, supervisor: Any, seed: int) -> None:
    weights = [goal.weight for goal in agreement_goals(appraisal)]
    entries = sample_entries(appraisal_template(appraisal), weights, seed)
    services.appraisal_score(
        appraisal=appraisal, actor=supervisor, entries=entries, comment="工作认真，继续保持。"
    )
