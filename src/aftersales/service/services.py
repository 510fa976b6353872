"""Service actions (SPEC §8): each checks permission, changes state in one transaction and leaves a trail.

Business refusals raise ``ValidationError`` (shown to the user); a missing right raises
``PermissionDenied``. Times of business facts (received, on site, signed …) may be given, because
they are often recorded after the fact; they cannot lie in the future.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales import punctuation
from aftersales.core.errors import RuleError
from aftersales.core.periods import SHANGHAI
from aftersales.core.sla import Fault, Milestone, response_deadline
from aftersales.notices import in_installation_language
from aftersales.organisation.access import AnyUser
from aftersales.organisation.models import Employee, Region
from aftersales.service import access, field, images
from aftersales.service.field import Fix
from aftersales.service.models import (
    CallLogEntry,
    Channel,
    CheckIn,
    Complaint,
    ComplaintStatus,
    CustomerConfirmation,
    CustomerSignature,
    MajorIncident,
    OnSiteSource,
    OrderEvent,
    OrderStatus,
    PhoneOffIncident,
    Photo,
    PhotoKind,
    QualityAttachment,
    QualityReport,
    ReportPartLine,
    SatisfactionSurvey,
    ServiceReport,
    SurveySource,
    WorkOrder,
    YearCounter,
)

CLOCK_SKEW = timedelta(minutes=5)  # a device clock a little ahead is not "the future"


def _now() -> datetime:
    return timezone.now()


def _local(at: datetime) -> str:
    return f"{at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def _past(at: datetime | None, *, not_before: datetime | None = None) -> datetime:
    """The time of a fact: now if not given; never in the future, never before ``not_before``."""
    at = at or _now()
    if at > _now() + CLOCK_SKEW:
        raise ValidationError(_("时间不能晚于当前时间。"))
    if not_before is not None and at < not_before:
        raise ValidationError(_("时间不能早于 %(time)s。") % {"time": _local(not_before)})
    return at


def _of_department(department_id: int | None, *employees: Employee | None) -> None:
    """Records of a department name only its own staff."""
    if any(e is not None and e.department.root.pk != department_id for e in employees):
        raise ValidationError(_("只能选择本部门的员工。"))


def _require(allowed: bool, what: str) -> None:
    if not allowed:
        raise PermissionDenied(what)


def _notify(subject: str, body: str, employees: Iterable[Employee]) -> None:
    """E-mail after the transaction commits: nobody is told about a change that was rolled back."""
    recipients = [e.email for e in employees if e.email]
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients, fail_silently=True))


# --- numbering (R-8.5: in order of receipt, no gaps) ----------------------------------------------------


def next_number(kind: str, year: int) -> int:
    """The next number of ``kind`` in ``year``; call inside the transaction that stores the numbered row,
    so a rollback gives the number back. The counter row is locked until that transaction ends."""
    counter = YearCounter.objects.select_for_update().filter(kind=kind, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter = YearCounter.objects.create(kind=kind, year=year)
        except IntegrityError:  # someone else created the year's counter first
            counter = YearCounter.objects.select_for_update().get(kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


# --- work orders (R-8.3) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderRequest:
    """What the dispatcher takes down when a request comes in."""

    received_at: datetime
    channel: str
    customer: str
    contact_name: str
    unit_model: str
    unit_number: str
    site: str
    fault: str
    description: str
    distance_km: Decimal | None = None
    needs_supplier: bool = False
    contact_phone: str = ""
    region: Region | None = None
    site_latitude: Decimal | None = None
    site_longitude: Decimal | None = None


def _event(order: WorkOrder, actor: AnyUser, kind: str, at: datetime, note: str = "") -> None:
    OrderEvent.objects.create(
        order=order, kind=kind, status=order.status, at=at, actor=cast(User, actor), note=note
    )


def _locked(order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.select_for_update().get(pk=order.pk)


def order_receive(*, request: OrderRequest, actor: AnyUser) -> WorkOrder:
    """受理: store the request and fix its R-8.2 deadline from the time it was received."""
    department_id = access.reach(actor).home_department_id
    _require(department_id is not None and access.runs_department(actor, department_id), "receive orders")
    received_at = _past(request.received_at)
    try:
        deadline = response_deadline(
            Fault(request.fault),
            received_at,
            distance_km=request.distance_km,
            needs_supplier=request.needs_supplier,
        )
    except RuleError as exc:
        raise ValidationError({exc.field or "fault": _("车身故障且不需配套厂家时须填写距离。")}) from exc
    with transaction.atomic():
        year = received_at.astimezone(SHANGHAI).year
        order = WorkOrder.objects.create(
            number=f"GD{year}{next_number('order', year):05d}",
            department_id=cast(int, department_id),
            region=request.region,
            received_at=received_at,
            channel=request.channel,
            customer=request.customer,
            contact_name=request.contact_name,
            contact_phone=request.contact_phone,
            unit_model=request.unit_model,
            unit_number=request.unit_number,
            site=request.site,
            distance_km=request.distance_km,
            site_latitude=request.site_latitude,
            site_longitude=request.site_longitude,
            fault=request.fault,
            needs_supplier=request.needs_supplier,
            description=request.description,
            required_milestone=deadline.milestone.value,
            deadline=deadline.due,
            created_by=cast(User, actor),
        )
        _event(order, actor, "received", received_at)
    return order


def order_dispatch(
    *,
    order: WorkOrder,
    actor: AnyUser,
    engineers: Sequence[Employee],
    in_charge: Employee | None = None,
    travel_advance: Decimal = Decimal(0),
    at: datetime | None = None,
) -> WorkOrder:
    """派工: send one or more engineers; with two or more, one is in charge. May be redone before arrival."""
    _require(access.runs_department(actor, order.department_id), "dispatch this order")
    if not engineers:
        raise ValidationError(_("请至少指派一名服务工程师。"))
    if len({e.pk for e in engineers}) != len(engineers):
        raise ValidationError(_("同一工程师不能重复指派。"))
    if in_charge is None and len(engineers) == 1:
        in_charge = engineers[0]
    if in_charge is None or in_charge.pk not in {e.pk for e in engineers}:
        raise ValidationError(_("二人以上外出应指定一人临时负责,负责人须在指派人员之中。"))
    if travel_advance < 0:
        raise ValidationError(_("借款不能为负数。"))
    with transaction.atomic():
        order = _locked(order)
        if order.status not in (OrderStatus.RECEIVED, OrderStatus.DISPATCHED, OrderStatus.REPLIED):
            raise ValidationError(_("工单当前状态不能派工。"))
        at = _past(at, not_before=order.received_at)
        order.assignments.all().delete()
        order.assignments.bulk_create(
            [
                order.assignments.model(order=order, engineer=e, in_charge=e.pk == in_charge.pk)
                for e in engineers
            ]
        )
        order.travel_advance = travel_advance
        if order.region_id is None:
            order.region_id = in_charge.region_id
        if order.status == OrderStatus.RECEIVED:
            order.status = OrderStatus.DISPATCHED
        order.save()
        _event(order, actor, "dispatched", at, ", ".join(e.name for e in engineers))
        with in_installation_language():
            _notify(
                _("派工: %(number)s") % {"number": order.number},
                f"{order.customer} · {order.site}\n{order.description}\n{_local(order.deadline)}",
                engineers,
            )
    return order


MILESTONE_STATUSES = {
    Milestone.REPLY: (OrderStatus.RECEIVED, OrderStatus.DISPATCHED, OrderStatus.REPLIED, OrderStatus.ON_SITE),
    Milestone.WRITTEN_CONTACT: (
        OrderStatus.RECEIVED,
        OrderStatus.DISPATCHED,
        OrderStatus.REPLIED,
        OrderStatus.ON_SITE,
    ),
    Milestone.ON_SITE: (OrderStatus.DISPATCHED, OrderStatus.REPLIED),
}


def order_record_milestone(
    *, order: WorkOrder, actor: AnyUser, milestone: Milestone, at: datetime | None = None, note: str = ""
) -> WorkOrder:
    """答复用户 / 书面联系 / 到达现场: the facts the R-8.2 deadline is judged on. Recorded once."""
    _require(access.can_record_milestone(actor, order), "record milestones of this order")
    with transaction.atomic():
        order = _locked(order)
        attribute = f"{milestone.value}_at"
        if getattr(order, attribute) is not None:
            raise ValidationError(_("该节点已记录,不能重复记录。"))
        if order.status not in MILESTONE_STATUSES[milestone]:
            raise ValidationError(_("工单当前状态不能记录该节点。"))
        setattr(order, attribute, _past(at, not_before=order.received_at))
        if milestone is Milestone.ON_SITE:
            order.status = OrderStatus.ON_SITE
            order.on_site_source = OnSiteSource.TYPED
        elif order.status == OrderStatus.DISPATCHED:
            order.status = OrderStatus.REPLIED
        order.save()
        _event(order, actor, milestone.value, getattr(order, attribute), note)
    return order


def order_resolve(
    *, order: WorkOrder, actor: AnyUser, at: datetime | None = None, note: str = ""
) -> WorkOrder:
    """处理完成: the fault is dealt with (on site, or by the reply)."""
    _require(access.can_record_milestone(actor, order), "resolve this order")
    with transaction.atomic():
        order = _locked(order)
        if order.status not in (OrderStatus.REPLIED, OrderStatus.ON_SITE):
            raise ValidationError(_("工单须先答复用户或到达现场,才能处理完成。"))
        order.resolved_at = _past(at, not_before=order.received_at)
        order.status = OrderStatus.RESOLVED
        order.save()
        _event(order, actor, "resolved", order.resolved_at, note)
        _advance(order, actor)
    return order


def order_cancel(*, order: WorkOrder, actor: AnyUser, reason: str) -> WorkOrder:
    _require(access.runs_department(actor, order.department_id), "cancel this order")
    if not reason.strip():
        raise ValidationError(_("请填写取消原因。"))
    with transaction.atomic():
        order = _locked(order)
        if not order.is_open or order.on_site_at is not None:
            raise ValidationError(_("已到现场或已处理的工单不能取消。"))
        order.status = OrderStatus.CANCELLED
        order.cancel_reason = reason
        order.save()
        _event(order, actor, "cancelled", _now(), reason)
    return order


def _advance(order: WorkOrder, actor: AnyUser) -> None:
    """resolved → report_signed when every current report is signed; → closed when all are approved."""
    current = order.reports.filter(is_current=True)
    if not current.exists():
        return
    if order.status == OrderStatus.RESOLVED and not current.filter(signed_at__isnull=True).exists():
        order.status = OrderStatus.REPORT_SIGNED
        order.save(update_fields=["status"])
        _event(order, actor, "report_signed", _now())
    if order.status == OrderStatus.REPORT_SIGNED and not current.filter(approved_at__isnull=True).exists():
        order.status = OrderStatus.CLOSED
        order.closed_at = _now()
        order.save(update_fields=["status", "closed_at"])
        _event(order, actor, "closed", order.closed_at)


# --- service reports (R-8.4) --------------------------------------------------------------------------

REPORT_FIELDS = (
    "running_time",
    "mileage",
    "fault_reported",
    "warranty_eligible",
    "dismantled_before",
    "cause_found",
    "handling",
    "responsibility",
    "old_parts_to_return",
)


def report_start(*, order: WorkOrder, actor: AnyUser) -> ServiceReport:
    """A new report for a visit, written by an engineer sent on the order."""
    _require(access.is_assigned(actor, order), "write a report on this order")
    with transaction.atomic():
        order = _locked(order)
        if order.status not in (OrderStatus.ON_SITE, OrderStatus.RESOLVED):
            raise ValidationError(_("到达现场后才能填写服务报告。"))
        visits = order.reports.aggregate(last=Max("visit"))["last"] or 0
        report = ServiceReport.objects.create(
            order=order, visit=visits + 1, engineer=cast(Employee, access.reach(actor).me)
        )
        _event(order, actor, "report_started", _now(), str(report))
    return report


def _editable(report: ServiceReport) -> None:
    if report.is_signed:
        raise ValidationError(_("报告已由用户签字,已锁定;如需更正请提交修订。"))
    if not report.is_current:
        raise ValidationError(_("该报告已被新版本取代。"))


def report_update(
    *,
    report: ServiceReport,
    actor: AnyUser,
    fields: Mapping[str, Any],
    part_lines: Sequence[Mapping[str, Any]] | None = None,
) -> ServiceReport:
    """Fill in the report; ``part_lines`` (part, quantity, reason, warranty) replaces the lines given."""
    _require(access.is_assigned(actor, report.order), "edit this report")
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise ValidationError(f"unknown report fields: {sorted(unknown)}")
    with transaction.atomic():
        report = ServiceReport.objects.select_for_update().get(pk=report.pk)
        _editable(report)
        for name, value in fields.items():
            setattr(report, name, value)
        report.full_clean(exclude=["order", "engineer", "previous", "approved_by"])
        report.save()
        if part_lines is not None:
            report.part_lines.all().delete()
            ReportPartLine.objects.bulk_create(ReportPartLine(report=report, **line) for line in part_lines)
    return report


SIGNATURE_MAX_BYTES = 512 * 1024


def _signature_image(data: bytes) -> images.ImageFacts:
    try:
        facts = images.inspect(data, allowed=frozenset({images.PNG}))
    except images.ImageRefused as exc:
        raise ValidationError({"signature": _("签名图像无效。")}) from exc
    if not images.has_ink(data):
        raise ValidationError({"signature": _("请用户在签名框内签名。")})
    return facts


def report_sign(
    *,
    report: ServiceReport,
    actor: AnyUser,
    signed_by: str,
    signature: bytes,
    stamped: bool = False,
    fix: Fix | None = None,
    at: datetime | None = None,
) -> ServiceReport:
    """用户签字 on a completed report only (不允许在服务前要求用户签字): the customer draws the signature on
    the engineer's phone. The image, the signer's name, the time, the report's content hash and the
    position (if the browser gave it) are kept; the report is locked; the customer's link is issued."""
    _require(access.is_assigned(actor, report.order), "take the customer's signature on this report")
    if len(signature) > SIGNATURE_MAX_BYTES:
        raise ValidationError({"signature": _("签名图像过大。")})
    fix = fix or Fix()
    written: list[str] = []
    try:
        with transaction.atomic():
            report = ServiceReport.objects.select_for_update().get(pk=report.pk)
            _editable(report)
            missing = report.missing_fields()
            if missing:
                raise ValidationError(
                    _("报告未填写完整,不能请用户签字。缺少: %(fields)s")
                    % {"fields": punctuation.join_list(missing)}
                )
            if not signed_by.strip():
                raise ValidationError({"signed_by": _("请填写签字人姓名。")})
            _signature_image(signature)
            report.signed_by = signed_by.strip()
            report.stamped = stamped
            report.signed_at = _past(at, not_before=report.order.received_at)
            report.save()
            written.append(field.store("signatures", signature, "png"))
            CustomerSignature.objects.create(
                report=report,
                signer_name=report.signed_by,
                signed_at=report.signed_at,
                storage_key=written[-1],
                image_sha256=field.sha256(signature),
                content_hash=field.content_hash(report),
                position=fix.position,
                latitude=fix.latitude if fix.located else None,
                longitude=fix.longitude if fix.located else None,
                accuracy_m=fix.accuracy_m if fix.located else None,
                recorded_by=cast(User, actor),
            )
            confirmation_issue(report=report)
            order = _locked(report.order)
            _event(order, actor, "report_signed_by_customer", report.signed_at, str(report))
            _advance(order, actor)
            supervisor = report.engineer.supervisor
            with in_installation_language():
                _notify(
                    _("服务报告待审批: %(report)s") % {"report": report},
                    _("用户已签字,请审批。"),
                    [supervisor] if supervisor else [],
                )
    except BaseException:
        field.discard(written)
        raise
    return report


def report_approve(*, report: ServiceReport, actor: AnyUser) -> ServiceReport:
    """The leader approves the signed report and it is filed (归档); the order closes with its last report.
    Never a report of one's own work (R-4.1): another leader of the engineer approves it."""
    _require(not access.is_own_report(actor, report), _("不能审批本人的服务报告，须由其他领导审批。"))
    _require(access.can_approve(actor, report), "approve this report")
    with transaction.atomic():
        report = ServiceReport.objects.select_for_update().get(pk=report.pk)
        if not report.is_current or not report.is_signed:
            raise ValidationError(_("只能审批用户已签字的当前版本报告。"))
        if report.is_approved:
            raise ValidationError(_("报告已审批。"))
        report.approved_by = cast(User, actor)
        report.approved_at = _now()
        report.save()
        order = _locked(report.order)
        _event(order, actor, "report_approved", report.approved_at, str(report))
        _advance(order, actor)
    return report


def report_revise(*, report: ServiceReport, actor: AnyUser, reason: str) -> ServiceReport:
    """A correction of a signed report: a new, unsigned revision with the reason; the old one is kept.

    The new revision must be signed (and approved) again; its order goes back to "resolved".
    """
    _require(access.can_revise(actor, report), "revise this report")
    if not reason.strip():
        raise ValidationError(_("请填写修订原因。"))
    with transaction.atomic():
        old = ServiceReport.objects.select_for_update().get(pk=report.pk)
        if not old.is_current or not old.is_signed:
            raise ValidationError(_("只有用户已签字的当前报告需要修订;未签字的报告可直接修改。"))
        old.is_current = False
        old.save(update_fields=["is_current"])
        # the customer's link of the replaced revision closes unanswered: the new one gets its own
        CustomerConfirmation.objects.filter(report=old, answered_at__isnull=True).update(expires_at=_now())
        new = ServiceReport.objects.create(
            order=old.order,
            visit=old.visit,
            revision=old.revision + 1,
            previous=old,
            revision_reason=reason,
            engineer=old.engineer,
            **{name: getattr(old, name) for name in REPORT_FIELDS},
        )
        ReportPartLine.objects.bulk_create(
            ReportPartLine(report=new, part=p.part, quantity=p.quantity, reason=p.reason, warranty=p.warranty)
            for p in old.part_lines.all()
        )
        order = _locked(old.order)
        if order.status in (OrderStatus.REPORT_SIGNED, OrderStatus.CLOSED):
            order.status = OrderStatus.RESOLVED
            order.closed_at = None
            order.save(update_fields=["status", "closed_at"])
        _event(order, actor, "report_revised", _now(), f"{new}: {reason}")
    return new


# --- call and letter log (R-8.5) ----------------------------------------------------------------------


def call_log_record(
    *,
    actor: AnyUser,
    received_at: datetime,
    channel: str,
    caller: str,
    content: str,
    handler: Employee,
    unclear: bool = False,
    order: WorkOrder | None = None,
) -> CallLogEntry:
    """登记 a call or letter; it takes the next number of its year."""
    department_id = access.reach(actor).home_department_id
    _require(department_id is not None and access.runs_department(actor, department_id), "record calls")
    _of_department(department_id, handler)
    received_at = _past(received_at)
    with transaction.atomic():
        year = received_at.astimezone(SHANGHAI).year
        return CallLogEntry.objects.create(
            year=year,
            sequence=next_number("call", year),
            department_id=cast(int, department_id),
            received_at=received_at,
            channel=channel,
            caller=caller,
            content=content,
            handler=handler,
            unclear=unclear,
            order=order,
            recorded_by=cast(User, actor),
        )


def _handles_call(actor: AnyUser, entry: CallLogEntry) -> bool:
    me = access.reach(actor).me
    return (me is not None and entry.handler_id == me.pk) or access.runs_department(
        actor, entry.department_id
    )


def call_log_answer(
    *,
    entry: CallLogEntry,
    actor: AnyUser,
    answer: str,
    clarification: str = "",
    follow_up: str = "",
    at: datetime | None = None,
) -> CallLogEntry:
    """答复; an unclear call is clarified before it is answered (不清楚的要核实清楚后再答复)."""
    _require(_handles_call(actor, entry), "answer this call")
    if entry.filed_at is not None:
        raise ValidationError(_("已归档的记录不能修改。"))
    clarification = clarification.strip() or entry.clarification
    if entry.unclear and not clarification:
        raise ValidationError(_("内容不清的来电来函须先核实,填写核实情况后再答复。"))
    if not answer.strip():
        raise ValidationError(_("请填写答复内容。"))
    with transaction.atomic():
        entry.clarification = clarification
        entry.answer = answer
        entry.follow_up = follow_up or entry.follow_up
        entry.answered_at = _past(at, not_before=entry.received_at)
        entry.save()
    return entry


def call_log_file(*, entry: CallLogEntry, actor: AnyUser) -> CallLogEntry:
    _require(access.runs_department(actor, entry.department_id), "file this call")
    if entry.answered_at is None:
        raise ValidationError(_("答复后才能归档。"))
    entry.filed_at = _now()
    entry.save(update_fields=["filed_at"])
    return entry


# --- surveys and complaints (R-8.6) -------------------------------------------------------------------


def survey_record(
    *,
    order: WorkOrder,
    actor: AnyUser,
    respondent: str,
    score: int,
    comments: str = "",
    at: datetime | None = None,
) -> SatisfactionSurvey:
    """顾客满意度调查: one per work order, once the customer has been served."""
    _require(access.runs_department(actor, order.department_id), "record a survey of this order")
    with transaction.atomic():
        order = _locked(order)
        if SatisfactionSurvey.objects.filter(order=order).exists():
            raise ValidationError(_("该工单已有满意度调查。"))
        if order.status not in (OrderStatus.RESOLVED, OrderStatus.REPORT_SIGNED, OrderStatus.CLOSED):
            raise ValidationError(_("工单处理完成后才能调查满意度。"))
        return SatisfactionSurvey.objects.create(
            order=order,
            respondent=respondent,
            score=score,
            comments=comments,
            surveyed_at=_past(at, not_before=order.received_at),
            source=SurveySource.STAFF,
            recorded_by=cast(User, actor),
        )


def complaint_record(
    *,
    actor: AnyUser,
    employee: Employee,
    received_at: datetime,
    channel: str,
    complainant: str,
    content: str,
    order: WorkOrder | None = None,
    written: bool = False,
    service_responsibility: bool = True,
    handler: Employee | None = None,
) -> Complaint:
    """Record a complaint against an employee; it counts only once verified (complaint_verify)."""
    department_id = access.reach(actor).home_department_id
    _require(department_id is not None and access.runs_department(actor, department_id), "record complaints")
    _of_department(department_id, employee, handler)
    return Complaint.objects.create(
        department_id=cast(int, department_id),
        employee=employee,
        order=order,
        received_at=_past(received_at),
        channel=channel,
        complainant=complainant,
        content=content,
        written=written,
        service_responsibility=service_responsibility,
        handler=handler,
        recorded_by=cast(User, actor),
    )


def complaint_verify(*, complaint: Complaint, actor: AnyUser, founded: bool, note: str) -> Complaint:
    """核实: the employee's supervisor or the head decides whether the complaint is true (经核实后属实)."""
    _require(access.leads(actor, complaint.employee, complaint.department_id), "verify this complaint")
    if complaint.status != ComplaintStatus.PENDING:
        raise ValidationError(_("该投诉已核实。"))
    if not note.strip():
        raise ValidationError(_("请填写核实情况。"))
    complaint.status = ComplaintStatus.VERIFIED if founded else ComplaintStatus.UNFOUNDED
    complaint.verification_note = note
    complaint.verified_by = cast(User, actor)
    complaint.verified_at = _now()
    complaint.save()
    return complaint


def complaint_respond(*, complaint: Complaint, actor: AnyUser, at: datetime | None = None) -> Complaint:
    """The handler (technical support) answered the complainant: the response time of form 4.5."""
    me = access.reach(actor).me
    _require(
        (me is not None and complaint.handler_id == me.pk)
        or access.runs_department(actor, complaint.department_id),
        "answer this complaint",
    )
    if complaint.handler_id is None:
        raise ValidationError(_("请先指定处理人。"))
    complaint.responded_at = _past(at, not_before=complaint.received_at)
    complaint.save(update_fields=["responded_at"])
    return complaint


# --- major incidents (R-8.7) --------------------------------------------------------------------------


def _may_report_for(actor: AnyUser, employee: Employee) -> bool:
    me = access.reach(actor).me
    if me is None:
        return False
    return (
        me.pk == employee.pk
        or access.leads(actor, employee, employee.department_id)
        or access.runs_department(actor, employee.department.root.pk)
    )


def incident_record(
    *,
    actor: AnyUser,
    employee: Employee,
    occurred_at: datetime,
    unit: str,
    site: str,
    description: str,
    phoned_at: datetime | None = None,
    order: WorkOrder | None = None,
) -> MajorIncident:
    _require(_may_report_for(actor, employee), "report an incident for this employee")
    occurred_at = _past(occurred_at)
    return MajorIncident.objects.create(
        department_id=employee.department.root.pk,
        employee=employee,
        order=order,
        occurred_at=occurred_at,
        unit=unit,
        site=site,
        description=description,
        phoned_at=_past(phoned_at, not_before=occurred_at) if phoned_at else None,
        recorded_by=cast(User, actor),
    )


def incident_update(
    *,
    incident: MajorIncident,
    actor: AnyUser,
    phoned_at: datetime | None = None,
    reported_at: datetime | None = None,
    report: str = "",
) -> MajorIncident:
    """Record the phone call (电话通知) and the special report (专题报告); each once."""
    _require(_may_report_for(actor, incident.employee), "update this incident")
    if phoned_at is not None:
        if incident.phoned_at is not None:
            raise ValidationError(_("电话通知时间已记录。"))
        incident.phoned_at = _past(phoned_at, not_before=incident.occurred_at)
    if reported_at is not None:
        if incident.reported_at is not None:
            raise ValidationError(_("专题报告已提交。"))
        if not report.strip():
            raise ValidationError(_("请填写专题报告内容。"))
        incident.reported_at = _past(reported_at, not_before=incident.occurred_at)
        incident.report = report
    incident.save()
    return incident


# --- field quality information (R-8.8) -----------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    name: str
    content_type: str
    data: bytes


def quality_report_record(
    *,
    actor: AnyUser,
    product: str,
    unit_number: str,
    fault: str,
    site: str,
    reported_at: datetime | None = None,
    attachments: Sequence[Upload] = (),
) -> QualityReport:
    """Any member of the department reports quality information from the field, with files."""
    r = access.reach(actor)
    _require(r.me is not None and r.home_department_id is not None, "report quality information")
    too_big = [a.name for a in attachments if len(a.data) > QualityAttachment.MAX_BYTES]
    if too_big:
        raise ValidationError(
            _("附件过大(每个不超过5MB): %(names)s") % {"names": punctuation.join_list(too_big)}
        )
    written: list[str] = []
    try:
        with transaction.atomic():
            report = QualityReport.objects.create(
                department_id=cast(int, r.home_department_id),
                product=product,
                unit_number=unit_number,
                fault=fault,
                site=site,
                reporter=cast(Employee, r.me),
                reported_at=_past(reported_at),
            )
            for a in attachments:  # kept in the evidence storage, not in the database
                written.append(field.store("attachments", a.data, "bin"))
                QualityAttachment.objects.create(
                    report=report,
                    name=a.name[:200],
                    content_type=a.content_type,
                    size=len(a.data),
                    storage_key=written[-1],
                )
    except BaseException:
        field.discard(written)
        raise
    return report


def quality_report_respond(
    *, report: QualityReport, actor: AnyUser, response: str, at: datetime | None = None
) -> QualityReport:
    """Technical support answers an item of the database: its response time feeds form 4.5."""
    r = access.reach(actor)
    _require(r.me is not None and access.in_department(actor, report.department_id), "answer this report")
    if report.responded_at is not None:
        raise ValidationError(_("该信息已答复。"))
    if not response.strip():
        raise ValidationError(_("请填写答复内容。"))
    report.response = response
    report.responded_by = r.me
    report.responded_at = _past(at, not_before=report.reported_at)
    report.save()
    return report


# --- phone-off incidents (R-2.3 evidence) -------------------------------------------------------------


def phone_off_record(*, actor: AnyUser, employee: Employee, day: date, note: str = "") -> PhoneOffIncident:
    """手机关机: recorded by the employee's supervisor or the head of their department."""
    _require(access.leads(actor, employee, employee.department_id), "record a phone-off for this employee")
    if day > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天。"))
    return PhoneOffIncident.objects.create(
        employee=employee, date=day, note=note, recorded_by=cast(User, actor)
    )


# --- field evidence: arrival check-in, photos, the customer's own confirmation (R-8.2, R-8.4, R-8.6) ------


def order_check_in(*, order: WorkOrder, actor: AnyUser, fix: Fix) -> CheckIn:
    """到达现场: the engineer sent taps the button on site. The time is the server's; the position the
    browser's, or the refusal to give it. Until the order is resolved, its first check-in is the on-site
    milestone of R-8.2 and replaces a time typed in by hand. A check-in far from the site, or without a
    position, is flagged for the supervisor — never refused."""
    _require(access.is_assigned(actor, order), "check in on this order")
    with transaction.atomic():
        order = _locked(order)
        if order.status not in (
            *MILESTONE_STATUSES[Milestone.ON_SITE],
            OrderStatus.ON_SITE,
            OrderStatus.RESOLVED,
        ):
            raise ValidationError(_("工单当前状态不能签到。"))
        at = _now()
        verdict = field.check_in_verdict(order, fix)
        check_in = CheckIn.objects.create(
            order=order,
            engineer=cast(Employee, access.reach(actor).me),
            at=at,
            position=fix.position,
            latitude=fix.latitude if fix.located else None,
            longitude=fix.longitude if fix.located else None,
            accuracy_m=fix.accuracy_m if fix.located else None,
            distance_km=verdict.distance_km,
            flag=verdict.flag,
            recorded_by=cast(User, actor),
        )
        if order.on_site_source != OnSiteSource.CHECK_IN and order.status != OrderStatus.RESOLVED:
            order.on_site_at = at
            order.on_site_source = OnSiteSource.CHECK_IN
            order.status = OrderStatus.ON_SITE
            order.save()
        _event(order, actor, "check_in", at, _check_in_note(check_in))
        if verdict.flag:
            supervisor = check_in.engineer.supervisor
            with in_installation_language():
                _notify(
                    _("到达签到需核对: %(number)s") % {"number": order.number},
                    _check_in_note(check_in),
                    [supervisor] if supervisor else [],
                )
    return check_in


def _check_in_note(check_in: CheckIn) -> str:
    parts = [str(check_in.get_position_display())]
    if check_in.distance_km is not None:
        parts.append(_("距现场 %(km)s 公里") % {"km": check_in.distance_km})
    if check_in.flag:
        parts.append(str(check_in.get_flag_display()))
    return punctuation.join_list(parts)


@dataclass(frozen=True)
class PhotoTarget:
    """What the photos are of: a work order (or one of its reports), an old-part return, a quality report."""

    order: WorkOrder | None = None
    report: ServiceReport | None = None
    old_part_return: Any = None
    quality_report: QualityReport | None = None


def may_add_photos(actor: AnyUser, target: PhotoTarget) -> bool:
    """A report's photos are taken by the engineers sent (who write it); an order's also by those who
    run the department; a quality report's by its reporter; an old-part return's by the engineer who
    brought the part back or the keeper of the store."""
    if target.report is not None:
        return access.is_assigned(actor, target.report.order)
    if target.order is not None:
        return access.is_assigned(actor, target.order) or access.runs_department(
            actor, target.order.department_id
        )
    if target.quality_report is not None:
        me = access.reach(actor).me
        return me is not None and (
            target.quality_report.reporter_id == me.pk
            or access.runs_department(actor, target.quality_report.department_id)
        )
    if target.old_part_return is not None:
        from aftersales.parts.selectors import stores_operated_by

        requisition = target.old_part_return.requisition
        me = access.reach(actor).me
        return (me is not None and requisition.engineer_id == me.pk) or stores_operated_by(actor).filter(
            pk=requisition.store_id
        ).exists()
    return False


def _checked_photos(uploads: Sequence[Upload]) -> list[images.ImageFacts]:
    """Every upload checked before any is stored: all go through, or none (with the names refused)."""
    limit = settings.AFTERSALES_PHOTO_MAX_BYTES
    if not uploads:
        raise ValidationError({"photos": _("请选择照片。")})
    too_big = [u.name for u in uploads if len(u.data) > limit]
    if too_big:
        raise ValidationError(
            {
                "photos": _("照片过大(每张不超过%(mb)sMB): %(names)s")
                % {"mb": limit // (1024 * 1024), "names": punctuation.join_list(too_big)}
            }
        )
    facts, refused = [], []
    for upload in uploads:
        try:
            facts.append(images.inspect(upload.data))
        except images.ImageRefused:
            refused.append(upload.name)
    if refused:
        raise ValidationError(
            {
                "photos": _("不是可接受的照片(JPEG、PNG、WebP、HEIC): %(names)s")
                % {"names": punctuation.join_list(refused)}
            }
        )
    return facts


def photos_add(*, actor: AnyUser, kind: str, uploads: Sequence[Upload], target: PhotoTarget) -> list[Photo]:
    """Photos taken on site (故障, 铭牌/车架号, 旧件, 完工) as evidence; a signed report takes no more."""
    if target.report is not None:
        target = PhotoTarget(order=target.report.order, report=target.report)
    _require(may_add_photos(actor, target), "add photos here")
    if kind not in PhotoKind.values:
        raise ValidationError({"kind": _("请选择照片类型。")})
    facts = _checked_photos(uploads)
    written: list[str] = []
    try:
        with transaction.atomic():
            if target.report is not None:
                _editable(ServiceReport.objects.select_for_update().get(pk=target.report.pk))
            photos = []
            for upload, fact in zip(uploads, facts, strict=True):
                written.append(field.store("photos", upload.data, fact.extension))
                photos.append(
                    Photo.objects.create(
                        kind=kind,
                        order=target.order,
                        report=target.report,
                        old_part_return=target.old_part_return,
                        quality_report=target.quality_report,
                        storage_key=written[-1],
                        name=upload.name[:200],
                        content_type=fact.content_type,
                        size=len(upload.data),
                        sha256=field.sha256(upload.data),
                        width=fact.width,
                        height=fact.height,
                        taken_at=fact.taken_at,
                        latitude=fact.latitude,
                        longitude=fact.longitude,
                        uploaded_by=cast(User, actor),
                    )
                )
            if target.order is not None:
                _event(
                    target.order,
                    actor,
                    "photo",
                    _now(),
                    f"{len(photos)} × {Photo(kind=kind).get_kind_display()}",
                )
    except BaseException:
        field.discard(written)
        raise
    return photos


def confirmation_issue(*, report: ServiceReport) -> CustomerConfirmation:
    """The customer's link of a report just signed (called by report_sign inside its transaction)."""
    nonce = field.new_nonce()
    now = _now()
    return CustomerConfirmation.objects.create(
        report=report,
        nonce=nonce,
        token_hash=field.token_hash(field.token_for(nonce)),
        created_at=now,
        expires_at=now + timedelta(days=settings.AFTERSALES_CONFIRMATION_DAYS),
    )


class LinkRefused(Exception):
    """The customer's link does not open: unknown (forged), used already, or expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def confirmation_open(token: str) -> CustomerConfirmation:
    """The confirmation a token opens, with its report; ``LinkRefused`` when it opens none."""
    if not 20 <= len(token) <= 64:
        raise LinkRefused("unknown")
    confirmation = (
        CustomerConfirmation.objects.select_related("report__order", "report__engineer", "report__signature")
        .prefetch_related("report__part_lines")
        .filter(token_hash=field.token_hash(token))
        .first()
    )
    if confirmation is None:
        raise LinkRefused("unknown")
    if confirmation.answered_at is not None:
        raise LinkRefused("used")
    if confirmation.expires_at <= _now():
        raise LinkRefused("expired")
    return confirmation


@dataclass(frozen=True)
class CustomerAnswer:
    confirmed: bool
    score: int
    comment: str = ""
    complaint: str = ""  # 投诉内容: not empty → a complaint record against the engineer
    remote_addr: str | None = None
    user_agent: str = ""


def confirmation_answer(*, token: str, answer: CustomerAnswer) -> CustomerConfirmation:
    """The customer confirms (or not) what was done, rates it 1–5 (R-8.6 satisfaction) and may complain.

    One answer per link. The answer becomes the order's satisfaction survey, marked as the customer's
    own (it replaces a staff-entered one, which stays in the survey's history); a complaint becomes a
    complaint record (channel 用户确认页, pending verification by the engineer's leader)."""
    if answer.score not in range(1, 6):
        raise ValidationError({"score": _("请选择满意程度(1–5)。")})
    with transaction.atomic():
        confirmation = confirmation_open(token)
        confirmation = CustomerConfirmation.objects.select_for_update().get(pk=confirmation.pk)
        if confirmation.answered_at is not None:  # a second submission racing the first
            raise LinkRefused("used")
        report = ServiceReport.objects.select_related("order", "engineer").get(pk=confirmation.report_id)
        now = _now()
        confirmation.answered_at = now
        confirmation.confirmed = answer.confirmed
        confirmation.score = answer.score
        confirmation.comment = answer.comment.strip()
        confirmation.answered_from = answer.remote_addr
        confirmation.user_agent = answer.user_agent[:300]
        confirmation.survey, _created = SatisfactionSurvey.objects.update_or_create(
            order=report.order,
            defaults={
                "surveyed_at": now,
                "respondent": report.signed_by,
                "score": answer.score,
                "comments": confirmation.comment,
                "source": SurveySource.CUSTOMER,
                "recorded_by": None,
            },
        )
        if answer.complaint.strip() or not answer.confirmed:
            confirmation.complaint = Complaint.objects.create(
                department_id=report.order.department_id,
                order=report.order,
                employee=report.engineer,
                received_at=now,
                channel=Channel.WEB,
                complainant=report.signed_by,
                content=answer.complaint.strip() or _("用户未确认服务报告内容属实。"),
                written=True,
            )
        confirmation.save()
        order = _locked(report.order)
        OrderEvent.objects.create(
            order=order, kind="customer_answer", status=order.status, at=now, actor=None, note=str(report)
        )
    return confirmation
