"""Demo data of the parts area (DEMO_STEPS): a catalogue of a dozen parts, the central store and two
service stations with receipts, transfers and issues, an open requisition, a part written off
against 赵磊's signed and approved report, an old part 孙涛 has not brought back, a stocktake, a
freight charge awaiting the leader's signature and a secondary claim.

Made through the actions, as the demo's people would, dated last month — but 孙涛's part, issued the
month before so that by the month's end it is past the old-part return deadline: both warranty-part
proposals of SPEC §11 (not written off, old part not returned) stand on his form. Idempotent: it does
nothing once the central store exists. Runs after the service demo, whose reports list 接触器 JC-220.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone

from aftersales.core.periods import Month
from aftersales.organisation.models import Department, Employee, Region
from aftersales.parts import services
from aftersales.parts.models import Part, Store, Supplier
from aftersales.parts.selectors import OLD_PART_RETURN_DAYS
from aftersales.service.selectors import final_reports

DAY = timedelta(days=1)
SUPPLIERS = [("株洲电器配套厂", "周经理"), ("长沙液压件厂", "谭工"), ("湘潭电机厂", "罗科长")]
# number, name, specification, unit, supplier index
CATALOGUE = [
    ("JC-220", "接触器", "CJX2-2510 220V", "个", 0),
    ("JD-024", "中间继电器", "JZX-22F 24V", "个", 0),
    ("RD-016", "熔断器", "RT18-32 16A", "只", 0),
    ("KG-101", "行程开关", "LX19-001", "个", 0),
    ("YB-300", "液压泵", "CBN-E310", "台", 1),
    ("MF-050", "密封圈组件", "Φ50 丁腈", "套", 1),
    ("YG-080", "液压油管", "DN8 1m", "根", 1),
    ("DJ-750", "门泵电机", "YS-7124 0.75kW", "台", 2),
    ("TS-006", "碳刷", "J201 6×8", "副", 2),
    ("ZC-620", "轴承", "6205-2RS", "个", 2),
    ("KZ-900", "门控器", "MK-900 DC24V", "台", None),
    ("DC-12", "电磁阀", "门泵电磁阀 DC24V", "个", 1),
]


def load_parts_demo() -> None:
    if Store.objects.filter(code="central").exists():
        return
    users = get_user_model().objects.in_bulk(
        ["keeper", "engineer", "engineer2", "engineer3", "regional"], field_name="username"
    )
    month = Month.of(timezone.localdate()).shift(-1)
    parts = _catalogue()
    central, north, south = _stores()
    keeper = users["keeper"]
    _old_part_missing(users, central, parts["JC-220"], month)  # first: the ledger is written in date order
    start = month.start + 9 * timedelta(hours=1)
    receipts = [
        (parts[number], quantity) for number, quantity in [("JC-220", 20), ("JD-024", 30), ("RD-016", 50)]
    ]
    services.receipt_create(
        store=central,
        lines=receipts,
        actor=keeper,
        supplier=parts["JC-220"].supplier,
        delivered_by="周师傅",
        at=start,
    )
    services.receipt_create(
        store=central,
        lines=[
            (parts[n], q)
            for n, q in [
                ("YB-300", 4),
                ("MF-050", 12),
                ("DJ-750", 3),
                ("KZ-900", 5),
                ("ZC-620", 16),
                ("DC-12", 10),
            ]
        ],
        actor=keeper,
        note="季度备件到货",
        at=start + DAY,
    )
    services.transfer_create(
        from_store=central,
        to_store=north,
        lines=[(parts["JC-220"], 6), (parts["RD-016"], 10), (parts["DC-12"], 3)],
        actor=keeper,
        note="华北服务站备件",
        at=start + 2 * DAY,
    )
    services.transfer_create(
        from_store=central,
        to_store=south,
        lines=[(parts["JC-220"], 4), (parts["KZ-900"], 1)],
        actor=keeper,
        note="华南服务站备件",
        at=start + 2 * DAY,
    )
    _written_off(users, north, parts["JC-220"])
    services.requisition_propose(
        store=south, part=parts["KZ-900"], quantity=1, reason="门控器死机,申请备件", actor=users["engineer3"]
    )
    services.stocktake_post(
        store=central, counts={parts["JD-024"]: 30, parts["RD-016"]: 39}, actor=keeper, note="月末盘点"
    )
    _freight_and_claim(users, central, north, parts)


def _catalogue() -> dict[str, Part]:
    suppliers = [
        Supplier.objects.get_or_create(name=name, defaults={"contact": c})[0] for name, c in SUPPLIERS
    ]
    return {
        number: Part.objects.get_or_create(
            number=number,
            defaults={
                "name": name,
                "specification": spec,
                "unit": unit,
                "supplier": suppliers[supplier] if supplier is not None else None,
            },
        )[0]
        for number, name, spec, unit, supplier in CATALOGUE
    }


def _stores() -> tuple[Store, Store, Store]:
    department = Department.objects.get(code="as")
    regions = Region.objects.in_bulk(["north", "south"], field_name="code")

    def store(code: str, name: str, kind: str, region: Region | None) -> Store:
        return Store.objects.create(code=code, name=name, kind=kind, department=department, region=region)

    return (
        store("central", "配件中心库", Store.Kind.CENTRAL, None),
        store("station-north", "华北服务站", Store.Kind.STATION, regions.get("north")),
        store("station-south", "华南服务站", Store.Kind.STATION, regions.get("south")),
    )


def _final_report(engineer: Employee, part: Part):
    return (
        final_reports()
        .filter(engineer=engineer, part_lines__part__contains=part.number)
        .order_by("signed_at")
        .first()
    )


def _written_off(users: dict[str, User], store: Store, part: Part) -> None:
    """赵磊's warranty part: proposed, approved, issued, old part back, written off against his report."""
    engineer = Employee.objects.get(user=users["engineer"])
    report = _final_report(engineer, part)
    if report is None:  # the service demo made no report of his that lists the part
        return
    signed = report.signed_at
    requisition = services.requisition_propose(
        store=store,
        part=part,
        quantity=1,
        reason="接触器触点烧蚀,更换",
        actor=users["engineer"],
        work_order=report.order,
        at=signed - 6 * timedelta(hours=1),
    )
    at = signed - 5 * timedelta(hours=1)
    services.requisition_approve(requisition=requisition, actor=users["regional"], note="同意", at=at)
    services.requisition_issue(requisition=requisition, actor=users["keeper"], at=at + timedelta(hours=1))
    services.old_part_return(
        requisition=requisition, quantity=1, actor=users["keeper"], note="触点烧蚀", at=signed + 2 * DAY
    )
    services.requisition_write_off(
        requisition=requisition, quantity=1, service_report=report, actor=users["keeper"], at=signed + 3 * DAY
    )


def _old_part_missing(users: dict[str, User], store: Store, part: Part, month: Month) -> None:
    """孙涛's part is fitted, but the old one has not come back: an open item for 陈刚 to follow. It was
    issued (from a delivery of its own) long enough before the month's end to be past the return
    deadline by then, so the month's evidence proposes both warranty-part items on his form."""
    issued_at = month.end - (OLD_PART_RETURN_DAYS + 5) * DAY + 10 * timedelta(hours=1)
    services.receipt_create(
        store=store,
        lines=[(part, 1)],
        actor=users["keeper"],
        supplier=part.supplier,
        delivered_by="周师傅",
        note="接触器急件",
        at=issued_at - DAY,
    )
    requisition = services.requisition_propose(
        store=store,
        part=part,
        quantity=1,
        reason="接触器烧毁,现场更换",
        actor=users["engineer2"],
        at=issued_at - timedelta(hours=2),
    )
    services.requisition_approve(
        requisition=requisition, actor=users["regional"], at=issued_at - timedelta(hours=1)
    )
    services.requisition_issue(requisition=requisition, actor=users["keeper"], at=issued_at)


def _freight_and_claim(users: dict[str, User], central: Store, north: Store, parts: dict[str, Part]) -> None:
    handler = Employee.objects.get(user=users["engineer"])
    charge = services.freight_record(
        store=central,
        handler=handler,
        description="接触器快递至华北服务站",
        amount=Decimal("36.00"),
        actor=users["keeper"],
        carrier="顺丰速运",
        waybill="SF1234567890",
    )
    services.freight_sign(charge=charge, actor=users["engineer"])
    claim = services.claim_create(
        store=central,
        supplier=cast(Supplier, parts["JC-220"].supplier),
        part=parts["JC-220"],
        quantity=1,
        reason="接触器触点批量烧蚀,同批次质量问题",
        amount_claimed=Decimal("185.00"),
        actor=users["keeper"],
    )
    services.claim_submit(claim=claim, actor=users["keeper"])
