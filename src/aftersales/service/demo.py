"""Demo data of the service area: last month's work orders (some late), signed and approved reports,
surveys, complaints (one verified against 赵磊), a late incident report, phone-off incidents, the call
log and quality information — so the month's appraisals have evidence to show. Plus a few open orders
of today for the dispatcher's overdue and due-soon lists.

Made through the actions, as the users of the demo organisation would. Idempotent: it does nothing
once the demo's first order exists.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import cast

from django.contrib.auth.models import User
from django.utils import timezone

from aftersales.core.periods import Month
from aftersales.core.sla import Milestone
from aftersales.organisation.models import Employee
from aftersales.service import services
from aftersales.service.models import Channel, FaultCategory, Responsibility, WorkOrder
from aftersales.service.services import OrderRequest, Upload

HOUR = timedelta(hours=1)


def signature_png(seed: int = 0) -> bytes:
    """A drawn-looking signature (a wavy stroke on a transparent background) for the demo and tests."""
    import io
    import math

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    points = [(20 + x, 50 + 25 * math.sin((x + 7 * seed) / 18)) for x in range(0, 260, 4)]
    ImageDraw.Draw(image).line(points, fill=(11, 42, 107, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


MARK = "演示:"  # the demo's orders start their description with this

# fault, distance km, needs supplier, engineers (first in charge), hours to the required milestone
Plan = tuple[str, str | None, bool, tuple[str, ...], int]
ORDER_PLAN: list[Plan] = [
    (FaultCategory.BODY, "60", False, ("engineer",), 20),
    (FaultCategory.BODY, "260", False, ("engineer2",), 6),
    (FaultCategory.CHASSIS_ENGINE, None, False, ("engineer3",), 8),
    (FaultCategory.OTHER, None, False, ("engineer", "engineer2"), 15),  # reply 3 h late
    (FaultCategory.BODY, "35", True, ("engineer2",), 4),
    (FaultCategory.BODY, "80", False, ("engineer3",), 22),
    (FaultCategory.BODY, "90", False, ("engineer",), 30),  # on site 6 h late
    (FaultCategory.CHASSIS_ENGINE, None, False, ("engineer",), 10),
    (FaultCategory.BODY, "150", False, ("engineer3",), 9),
    (FaultCategory.OTHER, None, False, ("engineer2", "engineer"), 3),
]
CUSTOMERS = [
    "北京地铁运营公司",
    "天津公交集团",
    "石家庄客运总站",
    "太原市公交公司",
    "广州公交集团",
    "深圳巴士集团",
]
SYMPTOMS = ["车门无法关闭", "空调不制冷", "发动机异响", "仪表报警", "雨刮失灵"]
SURVEY_SCORES = [5, 4, 5, 3, 4, 5, 2, 4, 5, 4]


def load_service_demo() -> None:
    if WorkOrder.objects.filter(description__startswith=MARK).exists():
        return
    people = _people()
    month = Month.of(timezone.localdate()).shift(-1)
    orders = [_past_order(people, month, index, plan) for index, plan in enumerate(ORDER_PLAN)]
    _complaints(people, month, orders)
    _incident(people, month)
    _phone_offs(people, month)
    _call_log(people, month, orders)
    _quality(people, month)
    _open_orders(people)


def _people() -> dict[str, Employee]:
    return {
        e.user.username: e
        for e in Employee.objects.select_related("user").filter(user__isnull=False)
        if e.user
    }


def _request(index: int, received_at: datetime, plan: Plan) -> OrderRequest:
    fault, distance, supplier, _engineers, _hours = plan
    return OrderRequest(
        received_at=received_at,
        channel=[Channel.PHONE, Channel.FAX, Channel.EMAIL, Channel.LETTER][index % 4],
        customer=CUSTOMERS[index % len(CUSTOMERS)],
        contact_name=["刘工", "王师傅", "陈主任", "张科长"][index % 4],
        contact_phone=f"1380000{index:04d}",
        unit_model=["BJ6123", "XMQ6127", "ZK6105"][index % 3],
        unit_number=f"车-{1000 + index}",
        site=["北京四惠车场", "天津西站", "石家庄北站", "广州芳村车场"][index % 4],
        fault=fault,
        description=f"{MARK}{SYMPTOMS[index % len(SYMPTOMS)]}",
        distance_km=Decimal(distance) if distance else None,
        needs_supplier=supplier,
    )


def _past_order(people: dict[str, Employee], month: Month, index: int, plan: Plan) -> WorkOrder:
    """An order of last month taken to a closed order with an approved report (and a survey)."""
    users = {name: e.user for name, e in people.items() if e.user}
    engineers = [people[name] for name in plan[3]]
    # spread over days 1–25, so that everything (survey included) is over before the month ends
    received = month.start + timedelta(days=index * 25 // len(ORDER_PLAN), hours=8 + index % 5)
    order = services.order_receive(request=_request(index, received, plan), actor=users["dispatcher"])
    services.order_dispatch(
        order=order,
        actor=users["dispatcher"],
        engineers=engineers,
        in_charge=engineers[0],
        travel_advance=Decimal(500 * len(engineers)),
        at=received + HOUR,
    )
    engineer = users[plan[3][0]]
    reached = received + plan[4] * HOUR
    required = Milestone(order.required_milestone)
    if required is not Milestone.ON_SITE:
        services.order_record_milestone(order=order, actor=engineer, milestone=required, at=reached)
        reached += 10 * HOUR
    services.order_record_milestone(order=order, actor=engineer, milestone=Milestone.ON_SITE, at=reached)
    services.order_resolve(order=order, actor=engineer, at=reached + 4 * HOUR)
    report = services.report_start(order=order, actor=engineer)
    services.report_update(
        report=report,
        actor=engineer,
        fields={
            "running_time": 1200 + 100 * index,
            "mileage": 80000 + 5000 * index,
            "fault_reported": order.description.removeprefix(MARK),
            "warranty_eligible": index % 3 != 2,
            "dismantled_before": index % 4 == 3,
            "cause_found": "接触器触点烧蚀" if index % 2 else "线束插头松动",
            "handling": "更换接触器并试车正常" if index % 2 else "紧固插头,试车正常",
            "responsibility": Responsibility.PRODUCT if index % 3 != 2 else Responsibility.CUSTOMER,
            "old_parts_to_return": "旧接触器1个" if index % 2 else "",
        },
        part_lines=[{"part": "JC-220 接触器", "quantity": 1, "reason": "触点烧蚀", "warranty": True}]
        if index % 2
        else [],
    )
    services.report_sign(
        report=report,
        actor=engineer,
        signed_by=order.contact_name,
        signature=signature_png(index),
        stamped=index % 2 == 0,
        at=reached + 5 * HOUR,
    )
    services.report_approve(report=report, actor=users["regional"])
    services.survey_record(
        order=order,
        actor=users["dispatcher"],
        respondent=order.contact_name,
        score=SURVEY_SCORES[index],
        at=reached + 24 * HOUR,
    )
    return order


def _complaints(people: dict[str, Employee], month: Month, orders: list[WorkOrder]) -> None:
    dispatcher, regional = cast(User, people["dispatcher"].user), cast(User, people["regional"].user)
    verified = services.complaint_record(
        actor=dispatcher,
        employee=people["engineer"],
        received_at=orders[6].received_at + 40 * HOUR,
        channel=Channel.PHONE,
        complainant=orders[6].contact_name,
        content="服务人员到场超时,且未提前告知。",
        order=orders[6],
        handler=people["support"],
    )
    services.complaint_respond(complaint=verified, actor=dispatcher, at=verified.received_at + 20 * HOUR)
    services.complaint_verify(
        complaint=verified, actor=regional, founded=True, note="经核实,到场超时6小时,属实。"
    )
    unfounded = services.complaint_record(
        actor=dispatcher,
        employee=people["engineer2"],
        received_at=orders[9].received_at + 30 * HOUR,
        channel=Channel.LETTER,
        complainant=orders[9].contact_name,
        content="认为更换配件收费不合理。",
        order=orders[9],
        written=True,
        handler=people["support"],
    )
    services.complaint_respond(complaint=unfounded, actor=dispatcher, at=unfounded.received_at + 60 * HOUR)
    services.complaint_verify(
        complaint=unfounded, actor=regional, founded=False, note="属三包范围外,收费合规。"
    )


def _incident(people: dict[str, Employee], month: Month) -> None:
    """A major incident phoned in after 30 h and reported after 60 h: late on both counts."""
    occurred = month.start + timedelta(days=9, hours=15)
    engineer = cast(User, people["engineer"].user)
    incident = services.incident_record(
        actor=engineer,
        employee=people["engineer"],
        occurred_at=occurred,
        unit="车-1006",
        site="北京四惠车场",
        description="车辆行驶中制动失灵,追尾前车,无人员伤亡。",
    )
    services.incident_update(
        incident=incident,
        actor=engineer,
        phoned_at=occurred + 30 * HOUR,
        reported_at=occurred + 60 * HOUR,
        report="制动管路接头松脱,已全面排查同批次车辆。",
    )


def _phone_offs(people: dict[str, Employee], month: Month) -> None:
    regional = cast(User, people["regional"].user)
    for day, name in [(3, "engineer"), (12, "engineer"), (21, "engineer"), (15, "engineer2")]:
        services.phone_off_record(
            actor=regional,
            employee=people[name],
            day=month.start.date() + timedelta(days=day),
            note="白天联系不上",
        )


def _call_log(people: dict[str, Employee], month: Month, orders: list[WorkOrder]) -> None:
    dispatcher = cast(User, people["dispatcher"].user)
    for index, (caller, content, unclear) in enumerate(
        [
            ("北京地铁运营公司", "询问空调滤网更换周期。", False),
            ("天津公交集团", "来函反映部分车辆仪表报警,车号不详。", True),
            ("广州公交集团", "要求提供电气原理图。", False),
        ]
    ):
        entry = services.call_log_record(
            actor=dispatcher,
            received_at=month.start + timedelta(days=4 + 7 * index, hours=10),
            channel=Channel.LETTER if unclear else Channel.PHONE,
            caller=caller,
            content=content,
            handler=people["support"],
            unclear=unclear,
            order=orders[index] if index == 0 else None,
        )
        services.call_log_answer(
            entry=entry,
            actor=dispatcher,
            clarification="已电话核实车号为车-1001至车-1003。" if unclear else "",
            answer="已答复并邮寄资料。",
            at=entry.received_at + 5 * HOUR,
        )
        services.call_log_file(entry=entry, actor=dispatcher)


def _quality(people: dict[str, Employee], month: Month) -> None:
    engineer, support = cast(User, people["engineer"].user), cast(User, people["support"].user)
    first = services.quality_report_record(
        actor=engineer,
        product="BJ6123 车门控制器",
        unit_number="车-1000",
        fault="车门控制器频繁复位,夏季高温时明显。",
        site="北京四惠车场",
        reported_at=month.start + timedelta(days=5, hours=14),
        attachments=[Upload("现场记录.txt", "text/plain", "复位间隔约15分钟,环境温度38℃。".encode())],
    )
    services.quality_report_respond(
        report=first,
        actor=support,
        response="已反馈设计部,更换新版控制器。",
        at=first.reported_at + 20 * HOUR,
    )
    services.quality_report_record(
        actor=cast(User, people["engineer3"].user),
        product="ZK6105 空调",
        unit_number="车-1002",
        fault="空调冷凝器风扇异响。",
        site="广州芳村车场",
        reported_at=month.start + timedelta(days=18, hours=9),
    )


def _open_orders(people: dict[str, Employee]) -> None:
    """Today's work: one overdue (on site was due 6 h ago), one due within the hour, one not dispatched."""
    dispatcher = cast(User, people["dispatcher"].user)
    now = timezone.now()
    for index, (received, plan) in enumerate(
        [
            (now - 30 * HOUR, (FaultCategory.BODY, "50", False, ("engineer",), 0)),
            (
                now - 11 * HOUR - 30 * timedelta(minutes=1),
                (FaultCategory.OTHER, None, False, ("engineer2",), 0),
            ),
            (now - HOUR, (FaultCategory.CHASSIS_ENGINE, None, False, (), 0)),
        ]
    ):
        order = services.order_receive(request=_request(20 + index, received, plan), actor=dispatcher)
        if plan[3]:
            engineers = [people[name] for name in plan[3]]
            services.order_dispatch(order=order, actor=dispatcher, engineers=engineers, at=received + HOUR)


# --- field records (record_kinds): last month's, so that every kind proposes on an open form ---------


def load_field_records_demo() -> None:
    """Last month's field records. 孙涛 (form returned) left his post, asked for support, escalated late,
    charged a paid service without approval and claimed late, handed in the service monthly report late
    and no quality notice, gathered no market information, and a written quality complaint came in that
    he had not reported; 陈刚's region (his form self-reported) had an attendance exception the head
    recorded, one customer visit, an unqualified monthly summary; 郑浩 (repair) came late and 刘洋 left
    early; a call 何静 answered is not filed. Idempotent: nothing once a routine report exists."""
    from aftersales.service import record_services as acts
    from aftersales.service.models import AttendanceKind, MarketInfoKind, ReportVerdict, RoutineReport

    if RoutineReport.objects.exists():
        return
    people = _people()
    u = {name: cast(User, e.user) for name, e in people.items()}  # the demo's people all have logins
    month = Month.of(timezone.localdate()).shift(-1)
    before = month.shift(-1)
    day = month.start.date()

    def report(name: str, kind: str, submitted: int) -> RoutineReport:
        return acts.routine_report_submit(
            actor=u[name],
            kind=kind,
            year=before.year,
            month=before.month,
            content="本月服务情况、用户质量信息汇总。",
            submitted_on=day + timedelta(days=submitted),
        )

    report("engineer2", "service_monthly", 7)  # due on the 5th
    for kind in ("service_monthly", "quality_notice"):
        report("regional", kind, 3)
        report("engineer3", kind, 2)
    summary = report("regional", "region_monthly", 4)
    acts.routine_report_review(
        report=summary, actor=u["head"], verdict=ReportVerdict.UNQUALIFIED, note="缺少区域故障统计,格式不符。"
    )
    acts.customer_visit_record(
        actor=u["regional"],
        date=day + timedelta(days=8),
        customer="天津公交集团",
        content="回访车门故障处理情况。",
    )
    acts.market_info_record(
        actor=u["regional"],
        date=day + timedelta(days=11),
        kind=MarketInfoKind.COMPETITOR,
        subject="某品牌新款电动客车投放华北",
        content="对方在天津试运行10台,售后承诺24小时到场。",
    )
    for actor, name, days, kind, note in [
        ("head", "engineer2", 13, AttendanceKind.LEFT_POST, "未请假离开天津西站驻点半天"),
        ("repairlead", "technician", 6, AttendanceKind.LATE, "迟到40分钟"),
        ("supervisor", "improver", 17, AttendanceKind.EARLY, "下午早退"),
    ]:
        acts.attendance_record(
            actor=u[actor], employee=people[name], date=day + timedelta(days=days), kind=kind, note=note
        )
    _field_trip_records(people, month)
    _written_complaint(people, month)
    _unfiled_call(people, month)
    _late_incident_and_quality_answer(people, month)


def _field_trip_records(people: dict[str, Employee], month: Month) -> None:
    from aftersales.service import record_services as acts

    engineer = cast(User, people["engineer2"].user)
    order = (
        WorkOrder.objects.filter(assignments__engineer=people["engineer2"]).order_by("received_at").first()
    )
    acts.escalation_report(
        actor=engineer,
        order=order,
        found_at=month.start + timedelta(days=4, hours=9),
        reported_at=month.start + timedelta(days=6, hours=10),
        problem="同批次车门控制器批量故障,用户要求整批更换。",
        proposal="先更换故障件,其余车辆跟踪一个月。",
        customer_request="整批更换",
        support_needed=True,
    )
    acts.paid_service_record(
        actor=engineer,
        order=order,
        customer="天津公交集团",
        content="三包期外空调清洗",
        amount=Decimal("300.00"),
        charged_on=month.start.date() + timedelta(days=9),
    )
    acts.expense_claim_submit(
        actor=engineer,
        order=order,
        amount=Decimal("420.00"),
        returned_on=month.start.date() + timedelta(days=2),
        submitted_on=month.start.date() + timedelta(days=19),
        note="差旅费",
    )


def _written_complaint(people: dict[str, Employee], month: Month) -> None:
    """A letter from a resident customer about product quality on an order whose problem 孙涛 had not
    reported beforehand (his escalation was about another order)."""
    orders = WorkOrder.objects.filter(assignments__engineer=people["engineer2"]).order_by("received_at")
    services.complaint_record(
        order=orders[1],
        actor=cast(User, people["dispatcher"].user),
        employee=people["engineer2"],
        received_at=month.start + timedelta(days=20, hours=9),
        channel=Channel.LETTER,
        complainant="天津公交集团 设备科",
        content="书面反映车身异响问题多次出现,要求厂家派人处理。",
        written=True,
        service_responsibility=False,
        handler=people["keeper"],  # not answered yet: 何静's complaint handling (form 4.5)
    )


def _unfiled_call(people: dict[str, Employee], month: Month) -> None:
    dispatcher = cast(User, people["dispatcher"].user)
    entry = services.call_log_record(
        actor=dispatcher,
        received_at=month.start + timedelta(days=14, hours=9),
        channel=Channel.PHONE,
        caller="石家庄客运总站",
        content="询问备用件到货时间。",
        handler=people["keeper"],
    )
    services.call_log_answer(
        entry=entry, actor=dispatcher, answer="已答复:下周二到货。", at=entry.received_at + 3 * HOUR
    )


def _late_incident_and_quality_answer(people: dict[str, Employee], month: Month) -> None:
    """孙涛 phoned in a major incident after 30 h; 何静 answered a quality report after two days."""
    occurred = month.start + timedelta(days=22, hours=16)
    services.incident_record(
        actor=cast(User, people["engineer2"].user),
        employee=people["engineer2"],
        occurred_at=occurred,
        unit="车-1004",
        site="天津西站",
        description="制动系统报警后车辆停驶。",
        phoned_at=occurred + 30 * HOUR,
    )
    report = services.quality_report_record(
        actor=cast(User, people["engineer2"].user),
        product="XMQ6127 制动报警",
        unit_number="车-1004",
        fault="制动系统误报警。",
        site="天津西站",
        reported_at=occurred + 2 * HOUR,
    )
    services.quality_report_respond(
        report=report,
        actor=cast(User, people["keeper"].user),
        response="已查明为传感器插头松动。",
        at=report.reported_at + 48 * HOUR,
    )
