"""The five built-in forms against SPEC §2, item for item (forms 4.1–4.5; R-2.3, R-2.4).

The expected tables below are copied from SPEC §2 (texts, points, deductions) and from the source
form for the band and graded texts; they are the oracle, independent of builtin_forms.py.
"""

from decimal import Decimal

import pytest

from aftersales.core.builtin_forms import BUILTIN_TEMPLATES, builtin_template
from aftersales.core.forms import IncidentRange, Template, validate_template

# (section name, points, [(item text, deduction), ...]) per SPEC §2 table
FIELD_SERVICE = [
    (
        "工作安排",
        25,
        [
            ("未经允许,私自离开工作地点", 25),
            ("以非正当理由推诿或拖延正常的工作安排", 20),
            ("非客观因素延迟,延误完成所布置的改造,考核项目", 10),
        ],
    ),
    (
        "配件管理",
        20,
        [
            ("配件管理帐目混乱,未能准确掌握现场配件的消耗情况", 5),
            ("管理不善导致配件损坏,丢失(营销中心将对个人追加处罚)", 10),
            ("《配件数据库》使用不力", 10),
        ],
    ),
    (
        "故障处理",
        25,
        [
            ("因个人能力原因未能完成所布置的故障查处工作,需他人支援", 20),
            ("因故障处理不彻底或不准确,对行车造成重大影响", 15),
            ("现场工作任务相对较少或较轻的(视工作环境,劳动强度而定)", 10),
        ],
    ),
    (
        "用户交流",
        10,
        [
            ("因服务人员工作态度,工作能力等原因被用户投诉经核实后属实", 10),
            ("常驻用户因产品质量问题以书面形式向营销中心进行投诉而服务人员没有提前和部门沟通的", 5),
        ],
    ),
    (
        "信息传递",
        20,
        [
            ("《现场质量信息数据库》使用不力", 15),
            ("涉及我所产品问题造成重大行车事故,在24小时内未电话通知,48小时内无相关专题报告", 5),
            ("服务月报,用户质量信息通报等例行报告未能按照格式及时完成", 10),
            ("对本区域营销信息,竞争对手产品信息收集工作不力的", 8),
            ("一月内出现3次或3次以上手机关机现象", 5),
            ("偶尔手机关机", 3),
            ("违反区域营销服务中心管理条例", 5),
            ("缺乏协作精神", 5),
        ],
    ),
]

REGIONAL_SUPERVISOR = [
    (
        "工作安排",
        15,
        [
            ("未经允许,私自离开工作地点", 15),
            ("以非正当理由推诿或拖延上级正常的工作安排", 10),
            ("非客观因素延迟,延误完成所布置的改造,考核项目", 5),
        ],
    ),
    (
        "配件管理",
        15,
        [
            ("配件管理帐目混乱,未能准确掌握现场配件的消耗情况", 5),
            ("管理不善导致配件损坏,丢失(营销中心将对个人追加处罚)", 10),
            ("《配件数据库》使用不力,故障品返回不及时", 10),
        ],
    ),
    (
        "故障处理",
        10,
        [
            ("因个人能力原因未能完成所布置的故障查处工作,需他人支援", 6),
            ("因故障处理不彻底或不准确,对行车造成重大影响", 4),
            ("现场工作任务相对较少或较轻的(视工作环境,劳动强度而定)", 4),
        ],
    ),
    (
        "用户交流",
        10,
        [
            ("因服务人员工作态度,工作能力等原因被用户投诉经核实后属实", 8),
            ("常驻用户因产品质量问题以书面形式向营销中心进行投诉而服务人员没有提前和部门沟通的", 5),
        ],
    ),
    (
        "信息传递",
        10,
        [
            ("《现场质量信息数据库》使用不力", 8),
            ("重大行车事故24小时内未电话通知,48小时内无专题报告", 5),
            ("服务月报,用户质量信息通报等例行报告未能按照格式及时完成", 5),
            ("对本区域营销信息,竞争对手产品信息收集工作不力的", 5),
            ("一月内出现3次或3次以上手机关机现象", 5),
            ("偶尔手机关机", 3),
            ("违反区域营销服务中心管理条例", 5),
        ],
    ),
    (
        "区域管理",
        40,
        [
            ("区域内管理混乱,导致客户屡屡投诉", 40),
            ("区域内对服务人员工作安排,绩效考核不公正,部门经常收到现场服务人员合理的投诉", 20),
            ("客户走访不及时,客户关系维护不力", 15),
            ("月,年度区域工作总结不合格或上挂不及时", 10),
            ("对区域内服务人员考勤不力,对区域内重大事件隐瞒不报", 10),
        ],
    ),
]

WORK_COMPLIANCE = (
    "工作服从",
    20,
    [
        ("非客观因素延迟,延误完成所布置的改造,考核项目", 5),
        ("工作存在扯皮或敷衍了事", 10),
        ("以非正当理由推诿或拖延正常的工作安排", 20),
    ],
)
WORK_ATTITUDE = (
    "工作态度",
    10,
    [
        ("工作出现疏漏,没有及时补救", 8),
        ("工作出现问题,能及时补救,不推卸责任", 6),
        ("按本岗位要求做,未出现工作疏漏", 4),
        ("发现他人的工作疏漏,告知对方并协助补救", 2),
        ("认真履行职责,发现隐患,预先采取措施避免问题发生", 0),
    ],
)
WORK_DISCIPLINE = ("工作纪律", 10, [("未经允许,私自离开工作地点", 5), ("存在迟到,早退,旷工,电话闲聊现象", 5)])

# (text, lower, upper, deduction): half-open, R-2.4 gaps closed
SEVEN_DAY_BANDS = [
    ("提前完成(100%)", 100, None, 0),
    ("完成90%-100%", 90, 100, 5),
    ("完成80%-90%", 80, 90, 10),
    ("完成70%-80%", 70, 80, 15),
    ("完成60%及以下", None, 70, 35),
]
SECOND_REPAIR_BANDS = [
    ("返修率0%-10%", 0, 10, 0),
    ("返修率10%-20%", 10, 20, 10),
    ("返修率20%-30%", 20, 30, 15),
    ("返修率30%-40%", 30, 40, 20),
    ("返修率50%及以上", 40, None, 25),
]

# (text, min, max) from the source form 4.5, without the "(10分)" suffixes
COMPLAINT_GRADES = [
    ("应对客户投诉处理及时,1天以内作出反应", 10, 10),
    ("应对客户投诉不及时,2-3天才作出反应", 6, 8),
    ("应对客户投诉3天及以上才作出反应", 0, 4),
]
WEBSITE_GRADES = [
    (
        '工作网站"在线解答","现场数据","服务论坛""质量信息数据库" '
        "反映质量问题或K3数据库数据做到1天内回应处理",
        10,
        10,
    ),
    ("2-3天回应和着手处理", 6, 8),
    ("3天及以上着手处理", 0, 4),
]
DOCUMENT_GRADES = [
    ("资料保管规范及时,随时可查阅任意资料", 10, 10),
    ("保管较及时,滞后2-3天,可查阅近期资料", 5, 8),
    ("资料保管不规范及时,滞后7天以上,难以查阅", 1, 5),
]


def template(code: str) -> Template:
    found = builtin_template(code)
    assert found is not None
    return found


def deduction_table(t: Template) -> list:
    return [
        (s.name, s.points, [(i.text, i.deduction) for i in s.items])
        for s in t.sections
        if s.kind in ("deduction", "choice")
    ]


def test_the_five_forms_in_spec_order():
    assert [(t.code, t.name, t.version, t.grading) for t in BUILTIN_TEMPLATES] == [
        ("field_service", "现场服务人员月度绩效考核表", 1, "forced"),
        ("regional_supervisor", "区域主管月度绩效考核表", 1, "absolute"),
        ("repair", "返修人员绩效考核表", 1, "absolute"),
        ("tech_improvement", "技改类员工绩效考核表", 1, "absolute"),
        ("tech_support", "技术支持类,技术管理类员工绩效考核表", 1, "absolute"),
    ]


@pytest.mark.parametrize("t", BUILTIN_TEMPLATES, ids=lambda t: t.code)
def test_every_builtin_is_publishable_and_totals_100(t):
    validate_template(t)
    assert t.total == 100


def test_4_1_field_service_item_for_item():
    t = template("field_service")
    assert all(s.kind == "deduction" for s in t.sections)
    assert deduction_table(t) == FIELD_SERVICE


def test_4_2_regional_supervisor_item_for_item():
    t = template("regional_supervisor")
    assert all(s.kind == "deduction" for s in t.sections)
    assert deduction_table(t) == REGIONAL_SUPERVISOR


@pytest.mark.parametrize("code", ["field_service", "regional_supervisor"])
def test_phone_off_items_form_one_counted_group(code):
    """R-2.3: 一月内3次或以上 n ≥ 3, 偶尔 1 ≤ n ≤ 2, one group."""
    info = template(code).section("information_transfer")
    grouped = {i.code: (i.group, i.incidents) for i in info.items if i.group}
    assert grouped == {
        "phone_off_3plus": ("phone_off", IncidentRange(3, None)),
        "phone_off_occasional": ("phone_off", IncidentRange(1, 2)),
    }


def test_4_3_repair_sections():
    t = template("repair")
    assert [(s.name, s.kind, s.points) for s in t.sections] == [
        ("工作服从", "deduction", 20),
        ("七日返修", "band", 30),
        ("二次返修", "band", 30),
        ("工作态度", "choice", 10),
        ("工作纪律", "deduction", 10),
    ]
    assert deduction_table(t) == [WORK_COMPLIANCE, WORK_ATTITUDE, WORK_DISCIPLINE]


def bands(t: Template, code: str) -> list:
    def bound(value):
        return None if value is None else int(value)

    return [(i.text, bound(i.lower), bound(i.upper), i.deduction) for i in t.section(code).items]


def test_4_3_repair_bands():
    """R-2.2, R-2.4: [100, null) is "= 100 %"; the lowest 7-day band is [null, 70);
    the top second-repair band is [40, null)."""
    t = template("repair")
    assert bands(t, "seven_day_repair") == SEVEN_DAY_BANDS
    assert bands(t, "second_repair") == SECOND_REPAIR_BANDS


def test_4_4_tech_improvement():
    t = template("tech_improvement")
    assert [(s.name, s.kind, s.points, s.heading) for s in t.sections] == [
        ("月度重点工作目标", "goals", 60, None),
        ("工作服从", "deduction", 20, "敬业精神"),
        ("工作态度", "choice", 10, "敬业精神"),
        ("工作纪律", "deduction", 10, "敬业精神"),
    ]
    assert t.sections[0].slots == (30, 15, 15)
    assert deduction_table(t) == [WORK_COMPLIANCE, WORK_ATTITUDE, WORK_DISCIPLINE]


def grades(t: Template, code: str) -> list:
    return [(i.text, i.min, i.max) for i in t.section(code).items]


def test_4_5_tech_support():
    t = template("tech_support")
    assert [(s.name, s.kind, s.points) for s in t.sections] == [
        ("月度重点工作目标", "goals", 70),
        ("客户投诉处理", "graded", 10),
        ("网站信息维护/K3数据库维护", "graded", 10),
        ("资料维护", "graded", 10),
    ]
    assert t.sections[0].slots == (30, 20, 20)
    assert grades(t, "complaint_handling") == COMPLAINT_GRADES
    assert grades(t, "website_maintenance") == WEBSITE_GRADES
    assert grades(t, "document_maintenance") == DOCUMENT_GRADES
    assert [s.measure for s in t.sections] == [None, "response_days", "response_days", None]


def test_codes_are_stable_ascii():
    """Codes that other parts of the product (evidence, CLI input) rely on."""
    assert [s.code for s in template("repair").sections] == [
        "work_compliance",
        "seven_day_repair",
        "second_repair",
        "work_attitude",
        "work_discipline",
    ]
    assert template("field_service").section("work_arrangement").item("leave_post").deduction == Decimal(25)
    assert [s.code for s in template("tech_support").sections] == [
        "monthly_goals",
        "complaint_handling",
        "website_maintenance",
        "document_maintenance",
    ]


def test_interview_form_is_not_a_template():
    """4.6 员工绩效面谈记录表 is not scored."""
    assert builtin_template("interview") is None
    assert len(BUILTIN_TEMPLATES) == 5
