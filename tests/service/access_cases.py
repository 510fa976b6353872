"""R-1.1 for the service area: every page and API endpoint × the personas (tests/access/test_matrix.py).

Personas: employee 赵磊 (engineer, north), supervisor 陈刚 (his regional supervisor), head 王建国,
hr 马丽, outsider 钱进 (营销管理部). The dispatcher 林芳 is not a persona: tests/service/test_pages.py
covers her. Objects are made through the actions by the personas' dispatcher and engineers.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from tests.access.cases import EVERYONE, Case, World

STAFF = frozenset({"employee", "supervisor", "head", "hr"})
LEADERS = frozenset({"supervisor", "head"})
HEAD = frozenset({"head"})
ENGINEER = frozenset({"employee"})


def _user(world: World, username: str) -> Any:
    return world.employee(username).user


def _order(world: World, engineer: str = "engineer", stage: str = "dispatched") -> Any:
    """An order of ``engineer`` taken to ``stage``: received, dispatched, on_site, resolved."""
    from django.utils import timezone

    from aftersales.core.sla import Milestone
    from aftersales.service import services
    from tests.service.conftest import order_request

    dispatcher = _user(world, "dispatcher")
    order = services.order_receive(
        request=order_request(received_at=timezone.now() - timedelta(hours=3)), actor=dispatcher
    )
    if stage == "received":
        return order
    order = services.order_dispatch(order=order, actor=dispatcher, engineers=[world.employee(engineer)])
    if stage in ("on_site", "resolved"):
        order = services.order_record_milestone(
            order=order, actor=_user(world, engineer), milestone=Milestone.ON_SITE
        )
    if stage == "resolved":
        order = services.order_resolve(order=order, actor=_user(world, engineer))
    return order


def _report(world: World, signed: bool = False, complete: bool = True) -> Any:
    from aftersales.service import services
    from aftersales.service.demo import signature_png
    from tests.service.conftest import COMPLETE_REPORT

    engineer = _user(world, "engineer")
    report = services.report_start(order=_order(world, stage="resolved"), actor=engineer)
    if complete:
        report = services.report_update(report=report, actor=engineer, fields=COMPLETE_REPORT)
    if signed:
        report = services.report_sign(
            report=report, actor=engineer, signed_by="刘工", signature=signature_png(), stamped=True
        )
    return report


def _call(world: World, handler: str = "support", answered: bool = False) -> Any:
    from django.utils import timezone

    from aftersales.service import services

    dispatcher = _user(world, "dispatcher")
    entry = services.call_log_record(
        actor=dispatcher,
        received_at=timezone.now(),
        channel="phone",
        caller="天津公交集团",
        content="询问保养周期",
        handler=world.employee(handler),
    )
    if answered:
        services.call_log_answer(entry=entry, actor=dispatcher, answer="已答复")
    return entry


def _complaint(world: World) -> Any:
    from django.utils import timezone

    from aftersales.service import services

    return services.complaint_record(
        actor=_user(world, "dispatcher"),
        employee=world.employee("engineer"),
        received_at=timezone.now(),
        channel="phone",
        complainant="刘工",
        content="服务不及时",
        handler=world.employee("support"),
    )


def _incident(world: World) -> Any:
    from django.utils import timezone

    from aftersales.service import services

    return services.incident_record(
        actor=_user(world, "engineer"),
        employee=world.employee("engineer"),
        occurred_at=timezone.now() - timedelta(hours=2),
        unit="车-1001",
        site="四惠",
        description="制动失灵",
    )


def _quality(world: World) -> Any:
    from aftersales.service import services
    from aftersales.service.services import Upload

    return services.quality_report_record(
        actor=_user(world, "engineer"),
        product="车门控制器",
        unit_number="车-1000",
        fault="频繁复位",
        site="四惠",
        attachments=[Upload("记录.txt", "text/plain", b"reset")],
    )


def _photo(world: World) -> Any:
    from aftersales.service import services
    from tests.service.test_field_evidence import png

    (photo,) = services.photos_add(
        actor=_user(world, "engineer"),
        kind="fault",
        uploads=[services.Upload("a.png", "", png())],
        target=services.PhotoTarget(order=_order(world, stage="on_site")),
    )
    return photo


def _old_part_return(world: World) -> Any:
    from aftersales.parts.models import OldPartReturn, Requisition
    from tests.factories import PartFactory, StoreFactory

    requisition = Requisition.objects.create(
        engineer=world.employee("engineer"),
        store=StoreFactory(code="central"),
        part=PartFactory(number="JC-220"),
        quantity=1,
        reason="matrix",
        status="issued",
    )
    return OldPartReturn.objects.create(
        requisition=requisition, quantity=1, received_by=_user(world, "keeper")
    )


def _photo_upload(world: World) -> dict[str, Any]:
    import io

    from tests.service.test_field_evidence import png

    upload = io.BytesIO(png())
    upload.name = "photo.png"
    return {"kind": "fault", "photos": [upload]}


def _old_part_upload(world: World) -> dict[str, Any]:
    return {**_photo_upload(world), "kind": "old_part"}


def _drawn() -> str:
    import base64

    from aftersales.service.demo import signature_png

    return "data:image/png;base64," + base64.b64encode(signature_png()).decode()


def _now() -> str:
    from django.utils import timezone

    return timezone.now().isoformat()


def _pk(make: Any) -> Any:
    return lambda world: {"pk": make(world).pk}


def _new_order(world: World) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "phone",
        "customer": "天津公交集团",
        "contact_name": "王师傅",
        "unit_model": "XMQ6127",
        "unit_number": "车-2001",
        "site": "天津西站",
        "distance_km": "30",
        "fault": "body",
        "description": "雨刮失灵",
    }


def _api_new_order(world: World) -> dict[str, Any]:
    from django.utils import timezone

    return {**_new_order(world), "received_at": timezone.now().isoformat()}


def _dispatch_form(world: World) -> dict[str, Any]:
    return {"engineers": [world.employee("engineer").pk], "travel_advance": "500"}


def _complaint_form(world: World) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "received_at": timezone.now().isoformat(),
        "channel": "phone",
        "complainant": "刘工",
        "employee": world.employee("engineer").pk,
        "content": "态度差",
    }


def _attachment(world: World) -> dict[str, Any]:
    report = _quality(world)
    return {"pk": report.pk, "attachment": report.attachments.get().pk}


CASES = [
    # pages: lists show each persona their own scope (an outsider an empty one)
    *(
        Case(f"service:{name}", EVERYONE)
        for name in (
            "index",
            "order-list",
            "overdue",
            "kpis",
            "report-list",
            "call-list",
            "complaint-list",
            "incident-list",
            "quality-list",
            "phoneoff-list",
            "incident-create",
            "quality-create",
        )
    ),
    Case("service:kpis", EVERYONE, query="month=2024-05", label="month"),
    Case("service:order-create", HEAD),
    Case("service:order-create", HEAD, method="post", data=_new_order, label="receive"),
    Case("service:order-detail", STAFF, _pk(_order)),
    Case("service:order-detail", LEADERS | {"hr"}, _pk(lambda w: _order(w, "engineer3")), label="colleague"),
    Case("service:order-dispatch", HEAD, _pk(lambda w: _order(w, stage="received"))),
    Case(
        "service:order-dispatch",
        HEAD,
        _pk(lambda w: _order(w, stage="received")),
        method="post",
        data=_dispatch_form,
        label="dispatch",
    ),
    Case(
        "service:order-milestone",
        ENGINEER | HEAD,
        _pk(_order),
        method="post",
        data=lambda w: {"milestone": "on_site"},
    ),
    Case("service:order-resolve", ENGINEER | HEAD, _pk(lambda w: _order(w, stage="on_site")), method="post"),
    Case("service:order-cancel", HEAD, _pk(_order), method="post", data=lambda w: {"reason": "用户取消"}),
    Case("service:survey-create", HEAD, _pk(lambda w: _order(w, stage="resolved"))),
    Case("service:report-create", ENGINEER, _pk(lambda w: _order(w, stage="on_site")), method="post"),
    Case("service:report-detail", STAFF, _pk(_report)),
    Case("service:report-print", STAFF, _pk(_report)),
    Case("service:report-edit", ENGINEER, _pk(lambda w: _report(w, complete=False))),
    Case("service:report-sign", ENGINEER, _pk(_report)),
    Case(
        "service:order-check-in",
        ENGINEER,
        _pk(_order),
        method="post",
        data=lambda w: {"position": "refused"},
    ),
    Case(
        "service:order-photos",
        ENGINEER | HEAD,
        _pk(lambda w: _order(w, stage="on_site")),
        method="post",
        data=_photo_upload,
    ),
    Case(
        "service:report-photos",
        ENGINEER,
        _pk(lambda w: _report(w, complete=False)),
        method="post",
        data=_photo_upload,
    ),
    Case("service:report-signature", STAFF, _pk(lambda w: _report(w, signed=True))),
    Case("service:report-pdf", STAFF, _pk(lambda w: _report(w, signed=True))),
    Case("service:photo", STAFF, _pk(_photo)),
    Case("service:quality-photos", ENGINEER | HEAD, _pk(_quality), method="post", data=_photo_upload),
    Case("service:old-part-photos", ENGINEER, _pk(_old_part_return), method="post", data=_old_part_upload),
    Case("service:report-approve", LEADERS, _pk(lambda w: _report(w, signed=True)), method="post"),
    Case("service:report-revise", ENGINEER | LEADERS, _pk(lambda w: _report(w, signed=True))),
    Case("service:call-create", HEAD),
    Case("service:call-detail", HEAD | {"hr"}, _pk(_call)),
    Case("service:call-detail", STAFF, _pk(lambda w: _call(w, "engineer")), label="own"),
    Case("service:call-file", HEAD, _pk(lambda w: _call(w, answered=True)), method="post"),
    Case("service:complaint-create", HEAD),
    Case("service:complaint-detail", STAFF, _pk(_complaint)),
    Case(
        "service:complaint-verify",
        LEADERS,
        _pk(_complaint),
        method="post",
        data=lambda w: {"founded": "true", "note": "属实"},
    ),
    Case("service:complaint-respond", HEAD, _pk(_complaint), method="post"),
    Case("service:incident-detail", STAFF, _pk(_incident)),
    Case("service:quality-detail", STAFF, _pk(_quality)),
    Case("service:quality-attachment", STAFF, _attachment),
    Case(
        "service:phoneoff-list",
        LEADERS,
        method="post",
        data=lambda w: {"employee": w.employee("engineer").pk, "date": "2024-05-02", "note": "联系不上"},
        label="record",
    ),
    # API
    Case("api-service:order-list", EVERYONE),
    Case("api-service:order-list", HEAD, method="post", data=_api_new_order, json=True, label="receive"),
    Case("api-service:order-detail", STAFF, _pk(_order)),
    Case(
        "api-service:order-action",
        ENGINEER | HEAD,
        lambda w: {"pk": _order(w).pk, "action": "milestone"},
        method="post",
        data=lambda w: {"milestone": "on_site"},
        json=True,
        label="milestone",
    ),
    Case(
        "api-service:order-action",
        HEAD,
        lambda w: {"pk": _order(w, stage="received").pk, "action": "dispatch"},
        method="post",
        data=lambda w: {"engineers": [w.employee("engineer").pk], "travel_advance": str(Decimal(300))},
        json=True,
        label="dispatch",
    ),
    Case("api-service:report-list", EVERYONE),
    Case("api-service:report-detail", STAFF, _pk(_report)),
    Case(
        "api-service:report-action",
        ENGINEER,
        lambda w: {"pk": _report(w).pk, "action": "sign"},
        method="post",
        data=lambda w: {"signed_by": "刘工", "stamped": True, "signature": _drawn()},
        json=True,
        label="sign",
    ),
    Case(
        "api-service:report-action",
        LEADERS,
        lambda w: {"pk": _report(w, signed=True).pk, "action": "approve"},
        method="post",
        data=lambda w: {},
        json=True,
        label="approve",
    ),
    Case("api-service:complaint-list", EVERYONE),
    Case("api-service:complaint-list", HEAD, method="post", data=_complaint_form, json=True, label="record"),
    Case("api-service:complaint-detail", STAFF, _pk(_complaint)),
    Case(
        "api-service:complaint-verify",
        LEADERS,
        _pk(_complaint),
        method="post",
        data=lambda w: {"founded": True, "note": "属实"},
        json=True,
    ),
    Case("api-service:kpis", EVERYONE),
    # API twins of the page acts (tests/api/test_twins.py): the same personas as their pages
    Case(
        "api-service:report-start",
        ENGINEER,
        _pk(lambda w: _order(w, stage="on_site")),
        method="post",
        json=True,
    ),
    Case(
        "api-service:order-check-in",
        ENGINEER,
        _pk(_order),
        method="post",
        data=lambda w: {"position": "refused"},
        json=True,
    ),
    Case("api-service:order-photos", STAFF, _pk(_order)),
    Case(
        "api-service:order-photos",
        ENGINEER | HEAD,
        _pk(lambda w: _order(w, stage="on_site")),
        method="post",
        data=_photo_upload,
        label="add",
    ),
    Case("api-service:report-photos", STAFF, _pk(_report)),
    Case(
        "api-service:report-photos",
        ENGINEER,
        _pk(lambda w: _report(w, complete=False)),
        method="post",
        data=_photo_upload,
        label="add",
    ),
    Case("api-service:report-confirmation", STAFF, _pk(lambda w: _report(w, signed=True))),
    Case("api-service:quality-photos", STAFF, _pk(_quality)),
    Case(
        "api-service:quality-photos",
        ENGINEER | HEAD,
        _pk(_quality),
        method="post",
        data=_photo_upload,
        label="add",
    ),
    Case("api-service:old-part-photos", STAFF, _pk(_old_part_return)),
    Case(
        "api-service:old-part-photos",
        ENGINEER,
        _pk(_old_part_return),
        method="post",
        data=_old_part_upload,
        label="add",
    ),
    Case("api-service:photo-file", STAFF, _pk(_photo)),
    Case(
        "api-service:survey-create",
        HEAD,
        _pk(lambda w: _order(w, stage="resolved")),
        method="post",
        data=lambda w: {"respondent": "王师傅", "score": 5, "comments": ""},
        json=True,
    ),
    Case(
        "api-service:call-create",
        HEAD,
        method="post",
        data=lambda w: {
            "received_at": "2024-05-02T09:00",
            "channel": "phone",
            "caller": "天津公交集团",
            "content": "询问保养周期",
            "handler": w.employee("support").pk,
        },
        json=True,
    ),
    Case(
        "api-service:call-answer",
        HEAD,
        _pk(_call),
        method="post",
        data=lambda w: {"answer": "已答复"},
        json=True,
    ),
    Case("api-service:call-file", HEAD, _pk(lambda w: _call(w, answered=True)), method="post", json=True),
    Case("api-service:complaint-respond", HEAD, _pk(_complaint), method="post", json=True),
    Case(
        "api-service:incident-create",
        EVERYONE,
        method="post",
        data=lambda w: {
            "occurred_at": "2024-05-02T09:00",
            "employee": w.employees[w.persona].pk,  # one's own incident
            "unit": "车-1001",
            "site": "四惠",
            "description": "制动失灵",
        },
        json=True,
    ),
    Case(
        "api-service:incident-update",
        ENGINEER | LEADERS,
        _pk(_incident),
        method="post",
        data=lambda w: {"phoned_at": _now(), "report": "制动管路老化"},
        json=True,
    ),
    Case(
        "api-service:quality-create",
        EVERYONE,
        method="post",
        data=lambda w: {
            "product": "车门控制器",
            "unit_number": "车-1000",
            "site": "四惠",
            "fault": "频繁复位",
        },
        json=True,
    ),
    Case(
        "api-service:quality-respond",
        STAFF,
        _pk(_quality),
        method="post",
        data=lambda w: {"response": "已更换控制器"},
        json=True,
    ),
    Case(
        "api-service:phoneoff-create",
        LEADERS,
        method="post",
        data=lambda w: {"employee": w.employee("engineer").pk, "date": "2024-05-02", "note": "联系不上"},
        json=True,
    ),
]


# --- field records (service.record_kinds): everyone lists their own scope and records their own; the
# leader (supervisor, head) records attendance and acts on 赵磊's records; an outsider sees none of them


def _own_record_data(kind: str) -> Any:
    """A valid record of ``kind`` as the page form posts it (the API takes the same fields)."""
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    forms = {
        "routine-reports": {"kind": "service_monthly", "year": "2024", "month": "5", "content": "月报"},
        "customer-visits": {"date": today, "customer": "天津公交集团", "content": "回访"},
        "market-info": {"date": today, "kind": "competitor", "subject": "新车型", "content": "价格下调"},
        "paid-services": {
            "customer": "天津公交集团",
            "content": "清洗",
            "amount": "100.00",
            "charged_on": today,
        },
        "escalations": {"found_at": now, "problem": "批量故障", "proposal": "更换"},
        "expense-claims": {"returned_on": today, "amount": "120.00"},
    }
    return lambda world: dict(forms[kind])


def _attendance_data(world: World) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "employee": world.employee("engineer").pk,
        "date": timezone.localdate().isoformat(),
        "kind": "late",
    }


def _record_of_engineer(kind: str, action: str) -> Any:
    """URL arguments of an act on a record 赵磊 made (his leaders may act on it)."""

    def build(world: World) -> dict[str, Any]:
        from aftersales.service.record_kinds import KINDS

        data = _own_record_data(kind)(world)
        if "found_at" in data:
            from django.utils import timezone

            data["found_at"] = timezone.now() - timedelta(hours=2)
        form = KINDS[kind].form(data, orders=None, employees=None)
        assert form.is_valid(), form.errors
        record = KINDS[kind].create(world.users["employee"], form.cleaned_data)
        return {"kind": kind, "pk": record.pk, "action": action}

    return build


RECORD_ACTS = {
    ("routine-reports", "review"): {"verdict": "qualified", "note": ""},
    ("paid-services", "approve"): {"day": "2024-01-01"},
    ("paid-services", "hand-in"): {"amount": "100.00", "day": "2024-01-01"},
    ("escalations", "decide"): {"decision": "派人支援"},
    ("expense-claims", "approve"): {},
}
OWN_KINDS = (
    "routine-reports",
    "customer-visits",
    "market-info",
    "paid-services",
    "escalations",
    "expense-claims",
)

CASES += [
    *(
        Case("service:record-list", EVERYONE, lambda w, k=k: {"kind": k}, label=k)
        for k in (*OWN_KINDS, "attendance")
    ),
    Case(
        "service:record-list",
        EVERYONE,
        lambda w: {"kind": "attendance"},
        query="month=2024-05&q=E0",
        label="filtered",
    ),
    *(
        Case(
            "service:record-list",
            EVERYONE,
            lambda w, k=k: {"kind": k},
            method="post",
            data=_own_record_data(k),
            label=f"{k}-record",
        )
        for k in OWN_KINDS
    ),
    Case(
        "service:record-list",
        LEADERS,
        lambda w: {"kind": "attendance"},
        method="post",
        data=_attendance_data,
        label="attendance-record",
    ),
    *(
        Case(
            "service:record-action",
            LEADERS,
            _record_of_engineer(k, a),
            method="post",
            data=lambda w, d=d: dict(d),
            label=f"{k}-{a}",
        )
        for (k, a), d in RECORD_ACTS.items()
    ),
    Case("service:record-action", LEADERS, _record_of_engineer("routine-reports", "review"), label="form"),
    *(Case(f"api-service:{k}-list", EVERYONE) for k in (*OWN_KINDS, "attendance")),
    *(
        Case(
            f"api-service:{k}-list",
            EVERYONE,
            method="post",
            data=_own_record_data(k),
            json=True,
            label="record",
        )
        for k in OWN_KINDS
    ),
    Case(
        "api-service:attendance-list",
        LEADERS,
        method="post",
        data=_attendance_data,
        json=True,
        label="record",
    ),
    *(
        Case(
            f"api-service:{k}-{a}",
            LEADERS,
            lambda w, k=k, a=a: {"pk": _record_of_engineer(k, a)(w)["pk"]},
            method="post",
            data=lambda w, d=d: dict(d),
            json=True,
        )
        for (k, a), d in RECORD_ACTS.items()
    ),
]
