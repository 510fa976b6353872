"""The five scored forms of the appraisal scheme (考核表单 4.1–4.5), as version 1 of each template.

Transcribed item for item from SPEC §2 (which decides where the source form differs); band and
graded texts are the source form's. Form 4.6 (员工绩效面谈记录表) is not scored and is not a template.
An item code names the same behaviour in every form (``leave_post`` is 未经允许,私自离开工作地点
wherever it appears); its deduction belongs to the form.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Final

from aftersales.core.forms import IncidentRange, Item, Section, SectionKind, Template

# Texts of the behaviours shared by several forms, by item code (SPEC §2's wording).
TEXTS: Final[dict[str, str]] = {
    "leave_post": "未经允许,私自离开工作地点",
    "shirk_assignment": "以非正当理由推诿或拖延正常的工作安排",
    "delay_task": "非客观因素延迟,延误完成所布置的改造,考核项目",
    "parts_ledger_disorder": "配件管理帐目混乱,未能准确掌握现场配件的消耗情况",
    "parts_damaged_lost": "管理不善导致配件损坏,丢失(营销中心将对个人追加处罚)",
    "parts_database_misuse": "《配件数据库》使用不力",
    "fault_needs_support": "因个人能力原因未能完成所布置的故障查处工作,需他人支援",
    "fault_major_impact": "因故障处理不彻底或不准确,对行车造成重大影响",
    "light_workload": "现场工作任务相对较少或较轻的(视工作环境,劳动强度而定)",
    "verified_complaint": "因服务人员工作态度,工作能力等原因被用户投诉经核实后属实",
    "written_complaint_uncommunicated": (
        "常驻用户因产品质量问题以书面形式向营销中心进行投诉而服务人员没有提前和部门沟通的"
    ),
    "quality_database_misuse": "《现场质量信息数据库》使用不力",
    "incident_not_reported": "涉及我所产品问题造成重大行车事故,在24小时内未电话通知,48小时内无相关专题报告",
    "routine_reports_late": "服务月报,用户质量信息通报等例行报告未能按照格式及时完成",
    "market_info_weak": "对本区域营销信息,竞争对手产品信息收集工作不力的",
    "phone_off_3plus": "一月内出现3次或3次以上手机关机现象",
    "phone_off_occasional": "偶尔手机关机",
    "centre_rules_breach": "违反区域营销服务中心管理条例",
    "perfunctory": "工作存在扯皮或敷衍了事",
    "lateness_absence": "存在迟到,早退,旷工,电话闲聊现象",
}

# the phone-off behaviours are one group, picked by the month's incident count.
PHONE_OFF: Final = "phone_off"
_GROUPS: Final[dict[str, tuple[str, IncidentRange]]] = {
    "phone_off_3plus": (PHONE_OFF, IncidentRange(3)),
    "phone_off_occasional": (PHONE_OFF, IncidentRange(1, 2)),
}


def _behaviour(code: str, deduction: int, text: str | None = None) -> Item:
    """A key behaviour (关键行为) or attitude level, with its deduction; text defaults to the shared one."""
    group, incidents = _GROUPS.get(code, (None, None))
    return Item(code, text or TEXTS[code], Decimal(deduction), group=group, incidents=incidents)


def _section(code: str, name: str, points: int, *items: Item, kind: SectionKind = "deduction") -> Section:
    return Section(code, name, kind, Decimal(points), items)


def _band(code: str, text: str, lower: int | None, upper: int | None, deduction: int) -> Item:
    """A rate band [lower, upper) in percent, None for an open end (R-2.2)."""
    bound = [None if b is None else Decimal(b) for b in (lower, upper)]
    return Item(code, text, Decimal(deduction), lower=bound[0], upper=bound[1])


def _graded(code: str, text: str, low: int, high: int) -> Item:
    return Item(code, text, min=Decimal(low), max=Decimal(high))


# ---------------------------------------------------------------------------------------------
# 4.1 现场服务人员月度绩效考核表

FIELD_SERVICE: Final = Template(
    code="field_service",
    name="现场服务人员月度绩效考核表",
    version=1,
    grading="forced",
    sections=(
        _section(
            "work_arrangement",
            "工作安排",
            25,
            _behaviour("leave_post", 25),
            _behaviour("shirk_assignment", 20),
            _behaviour("delay_task", 10),
        ),
        _section(
            "parts_management",
            "配件管理",
            20,
            _behaviour("parts_ledger_disorder", 5),
            _behaviour("parts_damaged_lost", 10),
            _behaviour("parts_database_misuse", 10),
        ),
        _section(
            "fault_handling",
            "故障处理",
            25,
            _behaviour("fault_needs_support", 20),
            _behaviour("fault_major_impact", 15),
            _behaviour("light_workload", 10),
        ),
        _section(
            "customer_communication",
            "用户交流",
            10,
            _behaviour("verified_complaint", 10),
            _behaviour("written_complaint_uncommunicated", 5),
        ),
        _section(
            "information_transfer",
            "信息传递",
            20,
            _behaviour("quality_database_misuse", 15),
            _behaviour("incident_not_reported", 5),
            _behaviour("routine_reports_late", 10),
            _behaviour("market_info_weak", 8),
            _behaviour("phone_off_3plus", 5),
            _behaviour("phone_off_occasional", 3),
            _behaviour("centre_rules_breach", 5),
            _behaviour("lack_cooperation", 5, "缺乏协作精神"),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# 4.2 区域主管月度绩效考核表

REGIONAL_SUPERVISOR: Final = Template(
    code="regional_supervisor",
    name="区域主管月度绩效考核表",
    version=1,
    grading="absolute",
    sections=(
        _section(
            "work_arrangement",
            "工作安排",
            15,
            _behaviour("leave_post", 15),
            _behaviour("shirk_assignment", 10, "以非正当理由推诿或拖延上级正常的工作安排"),
            _behaviour("delay_task", 5),
        ),
        _section(
            "parts_management",
            "配件管理",
            15,
            _behaviour("parts_ledger_disorder", 5),
            _behaviour("parts_damaged_lost", 10),
            _behaviour("parts_database_misuse", 10, "《配件数据库》使用不力,故障品返回不及时"),
        ),
        _section(
            "fault_handling",
            "故障处理",
            10,
            _behaviour("fault_needs_support", 6),
            _behaviour("fault_major_impact", 4),
            _behaviour("light_workload", 4),
        ),
        _section(
            "customer_communication",
            "用户交流",
            10,
            _behaviour("verified_complaint", 8),
            _behaviour("written_complaint_uncommunicated", 5),
        ),
        _section(
            "information_transfer",
            "信息传递",
            10,
            _behaviour("quality_database_misuse", 8),
            _behaviour("incident_not_reported", 5, "重大行车事故24小时内未电话通知,48小时内无专题报告"),
            _behaviour("routine_reports_late", 5),
            _behaviour("market_info_weak", 5),
            _behaviour("phone_off_3plus", 5),
            _behaviour("phone_off_occasional", 3),
            _behaviour("centre_rules_breach", 5),
        ),
        _section(
            "regional_management",
            "区域管理",
            40,
            _behaviour("region_disorder", 40, "区域内管理混乱,导致客户屡屡投诉"),
            _behaviour(
                "unfair_management",
                20,
                "区域内对服务人员工作安排,绩效考核不公正,部门经常收到现场服务人员合理的投诉",
            ),
            _behaviour("customer_visits_lacking", 15, "客户走访不及时,客户关系维护不力"),
            _behaviour("region_summary_late", 10, "月,年度区域工作总结不合格或上挂不及时"),
            _behaviour("attendance_concealment", 10, "对区域内服务人员考勤不力,对区域内重大事件隐瞒不报"),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# 4.3 返修人员绩效考核表; its 敬业精神 sections recur in 4.4

WORK_COMPLIANCE: Final = _section(
    "work_compliance",
    "工作服从",
    20,
    _behaviour("delay_task", 5),
    _behaviour("perfunctory", 10),
    _behaviour("shirk_assignment", 20),
)
WORK_ATTITUDE: Final = _section(
    "work_attitude",
    "工作态度",
    10,
    _behaviour("lapse_not_remedied", 8, "工作出现疏漏,没有及时补救"),
    _behaviour("problem_remedied", 6, "工作出现问题,能及时补救,不推卸责任"),
    _behaviour("meets_requirements", 4, "按本岗位要求做,未出现工作疏漏"),
    _behaviour("helps_others", 2, "发现他人的工作疏漏,告知对方并协助补救"),
    _behaviour("prevents_problems", 0, "认真履行职责,发现隐患,预先采取措施避免问题发生"),
    kind="choice",
)
WORK_DISCIPLINE: Final = _section(
    "work_discipline",
    "工作纪律",
    10,
    _behaviour("leave_post", 5),
    _behaviour("lateness_absence", 5),
)
# the lowest 7-day band is extended down to close the source's 60–70 % gap, the top
# second-repair band down to 40 %; the section floors at 0 although the lowest band costs 35.
SEVEN_DAY_REPAIR: Final = Section(
    "seven_day_repair",
    "七日返修",
    "band",
    Decimal(30),
    (
        _band("complete_100", "提前完成(100%)", 100, None, 0),
        _band("complete_90_100", "完成90%-100%", 90, 100, 5),
        _band("complete_80_90", "完成80%-90%", 80, 90, 10),
        _band("complete_70_80", "完成70%-80%", 70, 80, 15),
        _band("complete_below_70", "完成60%及以下", None, 70, 35),
    ),
    measure="seven_day_completion_rate",
)
SECOND_REPAIR: Final = Section(
    "second_repair",
    "二次返修",
    "band",
    Decimal(30),
    (
        _band("rate_0_10", "返修率0%-10%", 0, 10, 0),
        _band("rate_10_20", "返修率10%-20%", 10, 20, 10),
        _band("rate_20_30", "返修率20%-30%", 20, 30, 15),
        _band("rate_30_40", "返修率30%-40%", 30, 40, 20),
        _band("rate_40_up", "返修率50%及以上", 40, None, 25),
    ),
    measure="second_repair_rate",
)

REPAIR: Final = Template(
    code="repair",
    name="返修人员绩效考核表",
    version=1,
    grading="absolute",
    sections=(WORK_COMPLIANCE, SEVEN_DAY_REPAIR, SECOND_REPAIR, WORK_ATTITUDE, WORK_DISCIPLINE),
)

# ---------------------------------------------------------------------------------------------
# 4.4 技改类员工绩效考核表 and 4.5 技术支持类,技术管理类员工绩效考核表


def _goals(*slots: int) -> Section:
    """月度重点工作目标: the performance agreement's default goal slots (目标一, 目标二, 目标三)."""
    weights = tuple(Decimal(slot) for slot in slots)
    return Section("monthly_goals", "月度重点工作目标", "goals", sum(weights, Decimal(0)), slots=weights)


DEDICATION: Final = "敬业精神"

TECH_IMPROVEMENT: Final = Template(
    code="tech_improvement",
    name="技改类员工绩效考核表",
    version=1,
    grading="absolute",
    sections=(
        _goals(30, 15, 15),
        replace(WORK_COMPLIANCE, heading=DEDICATION),
        replace(WORK_ATTITUDE, heading=DEDICATION),
        replace(WORK_DISCIPLINE, heading=DEDICATION),
    ),
)


def _response_graded(code: str, name: str, fast: str, slow: str, late: str) -> Section:
    """A daily-work section graded on the response time t in days: t ≤ 1 · 1 < t < 3 · t ≥ 3."""
    items = (
        _graded("within_1_day", fast, 10, 10),
        _graded("within_3_days", slow, 6, 8),
        _graded("over_3_days", late, 0, 4),
    )
    return Section(code, name, "graded", Decimal(10), items, heading="日常工作", measure="response_days")


TECH_SUPPORT: Final = Template(
    code="tech_support",
    name="技术支持类,技术管理类员工绩效考核表",
    version=1,
    grading="absolute",
    sections=(
        _goals(30, 20, 20),
        _response_graded(
            "complaint_handling",
            "客户投诉处理",
            "应对客户投诉处理及时,1天以内作出反应",
            "应对客户投诉不及时,2-3天才作出反应",
            "应对客户投诉3天及以上才作出反应",
        ),
        _response_graded(
            "website_maintenance",
            "网站信息维护/K3数据库维护",
            '工作网站"在线解答","现场数据","服务论坛""质量信息数据库" '
            "反映质量问题或K3数据库数据做到1天内回应处理",
            "2-3天回应和着手处理",
            "3天及以上着手处理",
        ),
        Section(
            "document_maintenance",
            "资料维护",
            "graded",
            Decimal(10),
            (
                _graded("timely", "资料保管规范及时,随时可查阅任意资料", 10, 10),
                _graded("lagging", "保管较及时,滞后2-3天,可查阅近期资料", 5, 8),
                _graded("disorderly", "资料保管不规范及时,滞后7天以上,难以查阅", 1, 5),
            ),
            heading="日常工作",
        ),
    ),
)

BUILTIN_TEMPLATES: Final[tuple[Template, ...]] = (
    FIELD_SERVICE,
    REGIONAL_SUPERVISOR,
    REPAIR,
    TECH_IMPROVEMENT,
    TECH_SUPPORT,
)


def builtin_template(code: str) -> Template | None:
    """The built-in version 1 of the form ``code``, or None."""
    return next((template for template in BUILTIN_TEMPLATES if template.code == code), None)


# 工作情况 of forms 4.1–4.3: the columns of the rows the employee fills in before scoring. Forms 4.1
# and 4.2 ask 工作地点 · 工作内容 · 完成情况, form 4.3 工作持续时间 · 工作内容; a form with an agreement
# (a goals section: 4.4, 4.5) reports on its goals instead and has no such table.
WORK_COLUMNS: Final[dict[str, tuple[str, ...]]] = {"repair": ("duration", "content")}
DEFAULT_WORK_COLUMNS: Final = ("place", "content", "result")


def work_columns(template_code: str, *, has_goals: bool) -> tuple[str, ...]:
    """The keys of a 工作情况 row of the form (empty for a form with an agreement)."""
    return () if has_goals else WORK_COLUMNS.get(template_code, DEFAULT_WORK_COLUMNS)
