"""Service operations (SPEC §8): work orders, service reports, the call and letter log, surveys,
complaints, major incidents, the field quality information database, phone-off incidents, and the
field records behind the form items (routine reports, customer visits, market information, attendance
exceptions, paid services, escalations, expense claims; ``record_kinds``).

Rules live in ``aftersales.core.sla`` (R-8.2) and ``aftersales.core.service_kpis`` (R-8.1, R-8.7);
the models convert to their plain objects (``deadline``, ``milestones``, ``incident_verdict``).
Writes go through ``services.py``; reads through ``selectors.py``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from aftersales.core.service_kpis import DeadlineState, IncidentVerdict, deadline_state, incident_verdict
from aftersales.core.sla import Deadline, Fault, Milestone
from aftersales.organisation.models import Department, Employee, Region

EMPLOYEE = "organisation.Employee"


class Channel(models.TextChoices):
    """How a request reached us (受理方式)."""

    PHONE = "phone", _("电话")
    LETTER = "letter", _("信函")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")
    VISIT = "visit", _("来访")
    WEB = "web", _("用户确认页")


class FaultCategory(models.TextChoices):
    """R-8.2 fault kinds; the values are ``core.sla.Fault``."""

    BODY = Fault.BODY.value, _("车身故障")
    CHASSIS_ENGINE = Fault.CHASSIS_ENGINE.value, _("底盘发动机故障")
    OTHER = Fault.OTHER.value, _("其他")


class MilestoneKind(models.TextChoices):
    """R-8.2 milestones; the values are ``core.sla.Milestone``; each has a ``<value>_at`` field."""

    REPLY = Milestone.REPLY.value, _("答复用户")
    WRITTEN_CONTACT = Milestone.WRITTEN_CONTACT.value, _("书面联系")
    ON_SITE = Milestone.ON_SITE.value, _("到达现场")


class OrderStatus(models.TextChoices):
    """R-8.3: received → dispatched → (replied) → on_site → resolved → report_signed → closed;
    or cancelled before anyone is on site."""

    RECEIVED = "received", _("已受理")
    DISPATCHED = "dispatched", _("已派工")
    REPLIED = "replied", _("已答复")
    ON_SITE = "on_site", _("已到现场")
    RESOLVED = "resolved", _("已处理")
    REPORT_SIGNED = "report_signed", _("报告已签字")
    CLOSED = "closed", _("已关闭")
    CANCELLED = "cancelled", _("已取消")


class OnSiteSource(models.TextChoices):
    """Where the on-site milestone (R-8.2) comes from: the engineer's check-in (server time) replaces a
    time typed in by hand."""

    TYPED = "typed", _("手工登记")
    CHECK_IN = "check_in", _("现场签到")


OPEN_STATUSES = (OrderStatus.RECEIVED, OrderStatus.DISPATCHED, OrderStatus.REPLIED, OrderStatus.ON_SITE)


class YearCounter(models.Model):
    """The last number given per kind and year: gapless numbering (R-8.5), taken under a row lock."""

    kind = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="service_counter_kind_year")]


class WorkOrder(models.Model):
    """服务工单 (R-8.3). The deadline of R-8.2 is fixed when the order is received."""

    number = models.CharField(_("工单号"), max_length=20, unique=True)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="work_orders"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
    )
    received_at = models.DateTimeField(_("受理时间"))
    channel = models.CharField(_("受理方式"), max_length=10, choices=Channel.choices)
    customer = models.CharField(_("用户单位"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    unit_model = models.CharField(_("车型/产品型号"), max_length=100)
    unit_number = models.CharField(_("车号/产品编号"), max_length=100)
    site = models.CharField(_("服务地点"), max_length=200)
    distance_km = models.DecimalField(
        _("距离(公里)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    site_latitude = models.DecimalField(
        _("现场纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    site_longitude = models.DecimalField(
        _("现场经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    fault = models.CharField(_("故障类别"), max_length=20, choices=FaultCategory.choices)
    needs_supplier = models.BooleanField(_("需配套厂家"), default=False)
    description = models.TextField(_("故障描述"))
    travel_advance = models.DecimalField(
        _("借款(元)"), max_digits=10, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.RECEIVED
    )
    required_milestone = models.CharField(_("时限要求"), max_length=20, choices=MilestoneKind.choices)
    deadline = models.DateTimeField(_("响应时限"))
    reply_at = models.DateTimeField(_("答复用户时间"), null=True, blank=True)
    written_contact_at = models.DateTimeField(_("书面联系时间"), null=True, blank=True)
    on_site_at = models.DateTimeField(_("到达现场时间"), null=True, blank=True)
    on_site_source = models.CharField(
        _("到达时间来源"), max_length=10, choices=OnSiteSource.choices, blank=True
    )
    resolved_at = models.DateTimeField(_("处理完成时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("受理人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务工单")
        verbose_name_plural = _("服务工单")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["received_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.customer}"

    @property
    def deadline_obj(self) -> Deadline:
        return Deadline(Milestone(self.required_milestone), self.deadline)

    @property
    def milestones(self) -> dict[Milestone, datetime]:
        reached = {m: getattr(self, f"{m.value}_at") for m in Milestone}
        return {m: at for m, at in reached.items() if at is not None}

    def deadline_state(self, now: datetime | None = None) -> DeadlineState:
        return deadline_state(self.deadline_obj, self.milestones, now or timezone.now())

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def lead(self) -> Employee | None:
        """The engineer in charge (uses prefetched assignments)."""
        return next((a.engineer for a in self.assignments.all() if a.in_charge), None)


class Assignment(models.Model):
    """An engineer sent on an order; with two or more, one is in charge (二人以上外出应指定一人临时负责)."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="assignments")
    engineer = models.ForeignKey(
        EMPLOYEE, verbose_name=_("服务工程师"), on_delete=models.PROTECT, related_name="service_assignments"
    )
    in_charge = models.BooleanField(_("负责人"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-in_charge", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "engineer"], name="service_assignment_once"),
            models.UniqueConstraint(
                fields=["order"], condition=models.Q(in_charge=True), name="service_one_in_charge"
            ),
        ]


class EventKind(models.TextChoices):
    RECEIVED = "received", _("受理")
    DISPATCHED = "dispatched", _("派工")
    REPLY = Milestone.REPLY.value, _("答复用户")
    WRITTEN_CONTACT = Milestone.WRITTEN_CONTACT.value, _("书面联系")
    ON_SITE = Milestone.ON_SITE.value, _("到达现场")
    RESOLVED = "resolved", _("处理完成")
    CANCELLED = "cancelled", _("取消")
    REPORT_STARTED = "report_started", _("填写服务报告")
    CHECK_IN = "check_in", _("现场签到")
    PHOTO = "photo", _("上传照片")
    REPORT_SIGNED_BY_CUSTOMER = "report_signed_by_customer", _("用户签字")
    CUSTOMER_ANSWER = "customer_answer", _("用户确认与评价")
    REPORT_SIGNED = "report_signed", _("报告均已签字")
    REPORT_APPROVED = "report_approved", _("报告审批归档")
    REPORT_REVISED = "report_revised", _("报告修订")
    CLOSED = "closed", _("关闭")


class OrderEvent(models.Model):
    """A transition or milestone of a work order: who, when, what (the order's audit trail)."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    status = models.CharField(max_length=20, choices=OrderStatus.choices)
    at = models.DateTimeField(_("时间"))
    # None: the customer, on the confirmation page (no account)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]


class Responsibility(models.TextChoices):
    """责任 of a service report."""

    PRODUCT = "product", _("产品质量")
    SUPPLIER = "supplier", _("配套厂家")
    CUSTOMER = "customer", _("用户使用")
    SERVICE = "service", _("服务原因")
    OTHER = "other", _("其他")


# What a service report says: the fields the engineer fills in, copied into a revision and
# hashed into what the customer signs (service.field.content_hash).
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


class ServiceReport(models.Model):
    """服务报告 (R-8.4), one per visit. A signed revision is locked; a correction is a new revision.

    For other areas (warranty-part write-off, R-9.2): a report is final when ``is_signed``,
    ``approved_at`` is set and it is ``is_current``; its parts are ``part_lines``.
    """

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="reports")
    visit = models.PositiveSmallIntegerField(_("第几次服务"))
    revision = models.PositiveSmallIntegerField(_("版本"), default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_revision"
    )
    revision_reason = models.TextField(_("修订原因"), blank=True)
    is_current = models.BooleanField(_("当前版本"), default=True)
    engineer = models.ForeignKey(
        EMPLOYEE, verbose_name=_("服务工程师"), on_delete=models.PROTECT, related_name="service_reports"
    )
    running_time = models.PositiveIntegerField(_("运行时间(小时)"), null=True, blank=True)
    mileage = models.PositiveIntegerField(_("行驶里程(公里)"), null=True, blank=True)
    fault_reported = models.TextField(_("故障现象(听)"), blank=True)
    warranty_eligible = models.BooleanField(_("属于三包"), null=True, blank=True)
    dismantled_before = models.BooleanField(_("曾被拆卸(看)"), null=True, blank=True)
    cause_found = models.TextField(_("故障原因(查)"), blank=True)
    handling = models.TextField(_("处理方法"), blank=True)
    responsibility = models.CharField(_("责任"), max_length=20, choices=Responsibility.choices, blank=True)
    old_parts_to_return = models.TextField(_("需带回的旧件"), blank=True)
    signed_by = models.CharField(_("用户签字人"), max_length=50, blank=True)
    signed_at = models.DateTimeField(_("签字时间"), null=True, blank=True)
    stamped = models.BooleanField(_("已盖章"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    # What a report needs before the customer may sign it (不允许在服务前要求用户签字).
    REQUIRED_TEXT = ("fault_reported", "cause_found", "handling", "responsibility")
    REQUIRED_CHOICE = ("warranty_eligible", "dismantled_before")

    class Meta:
        verbose_name = _("服务报告")
        verbose_name_plural = _("服务报告")
        ordering = ["order", "visit", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["order", "visit", "revision"], name="service_report_revision"),
            models.UniqueConstraint(
                fields=["order", "visit"], condition=models.Q(is_current=True), name="service_report_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.number}-{self.visit} v{self.revision}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def missing_fields(self) -> list[str]:
        """Names (verbose) of what is still empty; parts lines need a part, a quantity and a reason."""
        missing = [name for name in self.REQUIRED_TEXT if not getattr(self, name).strip()]
        missing += [name for name in self.REQUIRED_CHOICE if getattr(self, name) is None]
        labels = [str(cast(models.Field, self._meta.get_field(name)).verbose_name) for name in missing]
        if any(not line.is_complete for line in self.part_lines.all()):
            labels.append(str(_("更换配件(配件、数量、原因)")))
        return labels


class ReportPartLine(models.Model):
    """A part replaced on a visit (更换配件): the part, how many, why; locked with its report."""

    report = models.ForeignKey(ServiceReport, on_delete=models.CASCADE, related_name="part_lines")
    part = models.CharField(_("配件(编号/名称)"), max_length=200)
    quantity = models.PositiveIntegerField(_("数量"), default=1, validators=[MinValueValidator(1)])
    reason = models.CharField(_("更换原因"), max_length=200)
    warranty = models.BooleanField(_("三包件"), default=True)

    class Meta:
        ordering = ["id"]

    @property
    def is_complete(self) -> bool:
        return bool(self.part.strip() and self.reason.strip() and self.quantity)


class CallLogEntry(models.Model):
    """来电来函处理记录 (R-8.5), numbered in order of receipt without gaps per year."""

    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="call_log")
    received_at = models.DateTimeField(_("来电来函时间"))
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    caller = models.CharField(_("来电来函单位/人"), max_length=200)
    content = models.TextField(_("内容"))
    handler = models.ForeignKey(
        EMPLOYEE, verbose_name=_("处理人"), on_delete=models.PROTECT, related_name="handled_calls"
    )
    unclear = models.BooleanField(_("内容不清,需核实"), default=False)
    clarification = models.TextField(_("核实情况"), blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    follow_up = models.TextField(_("跟踪情况"), blank=True)
    order = models.ForeignKey(
        WorkOrder,
        verbose_name=pgettext_lazy("field", "服务工单"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
    )
    filed_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("来电来函处理记录")
        verbose_name_plural = _("来电来函处理记录")
        ordering = ["-year", "-sequence"]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="service_call_number")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.year}-{self.sequence:04d}"


class SurveySource(models.TextChoices):
    """Who gave a survey's answer: staff keyed it in (phone call, paper form), or the customer answered
    on the confirmation page. The customer's own answer replaces a staff-entered one (docs/rules.md)."""

    STAFF = "staff", _("工作人员录入")
    CUSTOMER = "customer", _("用户本人")


class SatisfactionSurvey(models.Model):
    """顾客满意度调查表 (R-8.6), one per work order; score 5 很满意 … 1 很不满意."""

    class Score(models.IntegerChoices):
        VERY_SATISFIED = 5, _("很满意")
        SATISFIED = 4, _("满意")
        NEUTRAL = 3, _("一般")
        DISSATISFIED = 2, _("不满意")
        VERY_DISSATISFIED = 1, _("很不满意")

    order = models.OneToOneField(WorkOrder, on_delete=models.PROTECT, related_name="survey")
    surveyed_at = models.DateTimeField(_("调查时间"))
    respondent = models.CharField(_("被调查人"), max_length=50)
    score = models.PositiveSmallIntegerField(
        _("满意程度"), choices=Score.choices, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comments = models.TextField(_("意见和建议"), blank=True)
    source = models.CharField(
        _("来源"), max_length=10, choices=SurveySource.choices, default=SurveySource.STAFF
    )
    # None when the customer answered on the confirmation page (no account)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("顾客满意度调查")
        verbose_name_plural = _("顾客满意度调查")
        ordering = ["-surveyed_at"]


class ComplaintStatus(models.TextChoices):
    PENDING = "pending", _("待核实")
    VERIFIED = "verified", _("经核实属实")
    UNFOUNDED = "unfounded", _("不属实")


class Complaint(models.Model):
    """A complaint (用户投诉) against an employee (R-8.6); once verified it is appraisal evidence (§11).

    ``handler`` is the technical-support employee who answers it; the response time feeds form 4.5.
    """

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="complaints")
    order = models.ForeignKey(
        WorkOrder,
        verbose_name=pgettext_lazy("field", "服务工单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    employee = models.ForeignKey(
        EMPLOYEE, verbose_name=_("被投诉人"), on_delete=models.PROTECT, related_name="complaints"
    )
    received_at = models.DateTimeField(_("投诉时间"))
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    complainant = models.CharField(_("投诉人"), max_length=100)
    content = models.TextField(_("投诉内容"))
    written = models.BooleanField(_("书面投诉"), default=False)
    service_responsibility = models.BooleanField(_("属服务责任"), default=True)
    status = models.CharField(
        _("核实结果"), max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.PENDING
    )
    verification_note = models.TextField(_("核实情况"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    handler = models.ForeignKey(
        EMPLOYEE,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_complaints",
    )
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # None when the customer filed it on the confirmation page (channel customer_page)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("用户投诉")
        verbose_name_plural = _("用户投诉")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.received_at:%Y-%m-%d}"

    @property
    def counts_against_service(self) -> bool:
        """A verified service-responsibility complaint counts in the complaint rate (R-8.6)."""
        return self.status == ComplaintStatus.VERIFIED and self.service_responsibility


class MajorIncident(models.Model):
    """重大行车事故 involving the product (R-8.7): phoned in within 24 h, special report within 48 h."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="incidents")
    employee = models.ForeignKey(
        EMPLOYEE, verbose_name=_("责任服务人员"), on_delete=models.PROTECT, related_name="major_incidents"
    )
    order = models.ForeignKey(
        WorkOrder,
        verbose_name=pgettext_lazy("field", "服务工单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    occurred_at = models.DateTimeField(_("事故时间"))
    unit = models.CharField(_("车号/产品"), max_length=100)
    site = models.CharField(_("地点"), max_length=200)
    description = models.TextField(_("事故经过"))
    phoned_at = models.DateTimeField(_("电话通知时间"), null=True, blank=True)
    reported_at = models.DateTimeField(_("专题报告时间"), null=True, blank=True)
    report = models.TextField(_("专题报告"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("重大行车事故")
        verbose_name_plural = _("重大行车事故")
        ordering = ["-occurred_at"]

    def verdict(self, now: datetime | None = None) -> IncidentVerdict:
        return incident_verdict(self.occurred_at, self.phoned_at, self.reported_at, now or timezone.now())


class QualityReport(models.Model):
    """现场质量信息 (R-8.8): a quality report from the field; answered by technical support."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="quality_reports")
    product = models.CharField(_("产品"), max_length=100)
    unit_number = models.CharField(_("车号/产品编号"), max_length=100)
    fault = models.TextField(_("故障情况"))
    site = models.CharField(_("地点"), max_length=200)
    reporter = models.ForeignKey(
        EMPLOYEE, verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="quality_reports"
    )
    reported_at = models.DateTimeField(_("报告时间"))
    response = models.TextField(_("答复"), blank=True)
    responded_by = models.ForeignKey(
        EMPLOYEE,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answered_quality_reports",
    )
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("现场质量信息")
        verbose_name_plural = _("现场质量信息")
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.product} {self.unit_number}"


class QualityAttachment(models.Model):
    """A file attached to a quality report. New files live in the evidence storage (``storage_key``);
    files of older versions were kept in the database (``data``) until ``aftersales
    attachments_to_storage`` moves them (docs/operations.md)."""

    MAX_BYTES = 5 * 1024 * 1024

    report = models.ForeignKey(QualityReport, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField(blank=True, default=b"")
    storage_key = models.CharField(max_length=300, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class PhoneOffIncident(models.Model):
    """手机关机: one incident a supervisor recorded (R-2.3: 1–2 a month −3, 3 or more −5)."""

    employee = models.ForeignKey(
        EMPLOYEE, verbose_name=_("员工"), on_delete=models.PROTECT, related_name="phone_off_incidents"
    )
    date = models.DateField(_("日期"))
    note = models.CharField(_("情况说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("手机关机记录")
        verbose_name_plural = _("手机关机记录")
        ordering = ["-date", "-id"]


# --- field evidence: arrival check-in, photos, drawn signature, the customer's own answer --------------


class Position(models.TextChoices):
    """What the browser said when asked for the device's position (with the user's consent)."""

    GRANTED = "granted", _("已定位")
    REFUSED = "refused", _("拒绝定位")
    UNAVAILABLE = "unavailable", _("无法定位")


class CheckInFlag(models.TextChoices):
    """Why a check-in is shown to the supervisor (flagged, never refused; docs/rules.md)."""

    FAR = "far", _("距现场过远")
    NO_POSITION = "no_position", _("无定位")


class CheckIn(models.Model):
    """到达现场签到: the engineer taps the button on site; the time is the server's, the position the
    browser's. The first check-in of an order is its on-site milestone (R-8.2)."""

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="check_ins")
    engineer = models.ForeignKey(
        EMPLOYEE, verbose_name=_("服务工程师"), on_delete=models.PROTECT, related_name="check_ins"
    )
    at = models.DateTimeField(_("签到时间"))
    position = models.CharField(_("定位"), max_length=12, choices=Position.choices)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("定位精度(米)"), null=True, blank=True)
    distance_km = models.DecimalField(
        _("距现场(公里)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    flag = models.CharField(_("提示主管"), max_length=12, choices=CheckInFlag.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("到达现场签到")
        verbose_name_plural = _("到达现场签到")
        ordering = ["at", "id"]


class PhotoKind(models.TextChoices):
    FAULT = "fault", _("故障照片")
    NAMEPLATE = "nameplate", _("铭牌/车架号")
    OLD_PART = "old_part", _("旧件照片")
    COMPLETED = "completed", _("完工照片")


# The kinds of photo taken of a work order itself (a report's, a part's, a quality report's have their own).
ORDER_PHOTO_KINDS = (PhotoKind.FAULT, PhotoKind.NAMEPLATE, PhotoKind.COMPLETED)


class Photo(models.Model):
    """A photo taken on site as evidence, kept in the evidence storage (not in the database).

    It belongs to a work order (and then possibly to one of its reports), an old-part return or a
    quality report. ``taken_at`` and the position come from the photo's own EXIF data."""

    kind = models.CharField(_("照片类型"), max_length=12, choices=PhotoKind.choices)
    order = models.ForeignKey(
        WorkOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    report = models.ForeignKey(
        ServiceReport, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    old_part_return = models.ForeignKey(
        "parts.OldPartReturn", null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    quality_report = models.ForeignKey(
        QualityReport, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    storage_key = models.CharField(max_length=300, unique=True)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=30)  # from the bytes, never from the browser
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    taken_at = models.DateTimeField(_("拍摄时间(EXIF)"), null=True, blank=True)
    latitude = models.DecimalField(_("纬度(EXIF)"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度(EXIF)"), max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(order__isnull=False)
                | models.Q(old_part_return__isnull=False)
                | models.Q(quality_report__isnull=False),
                name="service_photo_belongs_somewhere",
            )
        ]


class CustomerSignature(models.Model):
    """The customer's drawn signature on a completed report (R-8.4): the image, the signer's name, the
    server's time, the SHA-256 of the report's content as signed and, if the browser gave it, where."""

    report = models.OneToOneField(ServiceReport, on_delete=models.PROTECT, related_name="signature")
    signer_name = models.CharField(_("签字人"), max_length=50)
    signed_at = models.DateTimeField(_("签字时间"))
    storage_key = models.CharField(max_length=300, unique=True)
    image_sha256 = models.CharField(max_length=64)
    content_hash = models.CharField(_("报告内容摘要(SHA-256)"), max_length=64)
    position = models.CharField(_("定位"), max_length=12, choices=Position.choices)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("定位精度(米)"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("用户签字")
        verbose_name_plural = _("用户签字")


class CustomerConfirmation(models.Model):
    """The customer's own confirmation of a signed report (用户确认与评价), through a link without login.

    The link's token is ``HMAC(SECRET_KEY, nonce)``: the database keeps the nonce and the token's
    SHA-256 only, so the table alone opens nothing. One answer; the link expires (docs/rules.md)."""

    report = models.OneToOneField(ServiceReport, on_delete=models.PROTECT, related_name="confirmation")
    nonce = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("生成时间"))
    expires_at = models.DateTimeField(_("有效期至"))
    answered_at = models.DateTimeField(_("用户确认时间"), null=True, blank=True)
    answered_from = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)
    confirmed = models.BooleanField(_("用户确认服务内容属实"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        _("满意程度"),
        choices=SatisfactionSurvey.Score.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("意见和建议"), blank=True)
    complaint = models.OneToOneField(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="confirmation"
    )
    survey = models.ForeignKey(
        SatisfactionSurvey, null=True, blank=True, on_delete=models.SET_NULL, related_name="confirmations"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("用户确认")
        verbose_name_plural = _("用户确认")


# --- field records behind the form items (SPEC §11; core.field_records) ---------------------------------


class RoutineReportKind(models.TextChoices):
    """例行报告: the monthly reports of the field staff, the regional summaries of a regional supervisor."""

    SERVICE_MONTHLY = "service_monthly", _("服务月报")
    QUALITY_NOTICE = "quality_notice", _("用户质量信息通报")
    REGION_MONTHLY = "region_monthly", _("区域月度工作总结")
    REGION_ANNUAL = "region_annual", _("区域年度工作总结")


class ReportVerdict(models.TextChoices):
    PENDING = "pending", _("待审阅")
    QUALIFIED = "qualified", _("合格")
    UNQUALIFIED = "unqualified", _("不合格")


class RoutineReport(models.Model):
    """A routine report handed in (服务月报, 用户质量信息通报, 区域月度/年度工作总结), with its due date and
    the leader's verdict on its form (按照格式; 总结不合格)."""

    employee = models.ForeignKey(
        EMPLOYEE, verbose_name=_("员工"), on_delete=models.PROTECT, related_name="routine_reports"
    )
    kind = models.CharField(_("报告类型"), max_length=20, choices=RoutineReportKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(
        _("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    content = models.TextField(_("报告内容"))
    due_on = models.DateField(_("应交日期"))
    submitted_on = models.DateField(_("提交日期"))
    verdict = models.CharField(
        _("审阅结果"), max_length=12, choices=ReportVerdict.choices, default=ReportVerdict.PENDING
    )
    review_note = models.CharField(_("审阅意见"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审阅时间"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("例行报告")
        verbose_name_plural = _("例行报告")
        ordering = ["-year", "-month", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "kind", "year", "month"], name="service_one_routine_report"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}-{self.month:02d}"

    @property
    def is_late(self) -> bool:
        return self.submitted_on > self.due_on


class CustomerVisit(models.Model):
    """客户走访: a visit to a customer to keep the relationship (区域管理: 客户走访不及时)."""

    employee = models.ForeignKey(
        EMPLOYEE, verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="customer_visits"
    )
    date = models.DateField(_("走访日期"))
    customer = models.CharField(_("用户单位"), max_length=200)
    contact = models.CharField(_("接待人"), max_length=50, blank=True)
    content = models.TextField(_("走访内容"))
    follow_up = models.CharField(_("需跟进事项"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("客户走访")
        verbose_name_plural = _("客户走访")
        ordering = ["-date", "-id"]


class MarketInfoKind(models.TextChoices):
    MARKET = "market", _("本区域营销信息")
    COMPETITOR = "competitor", _("竞争对手产品信息")


class MarketInfo(models.Model):
    """营销信息, 竞争对手产品信息: what the field staff gathered in their region (信息传递)."""

    employee = models.ForeignKey(
        EMPLOYEE, verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="market_info"
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("信息类型"), max_length=12, choices=MarketInfoKind.choices)
    subject = models.CharField(_("主题"), max_length=200)
    content = models.TextField(_("内容"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("营销与竞争对手信息")
        verbose_name_plural = _("营销与竞争对手信息")
        ordering = ["-date", "-id"]


class AttendanceKind(models.TextChoices):
    LEFT_POST = "left_post", _("未经允许,私自离开工作地点")
    LATE = "late", _("迟到")
    EARLY = "early", _("早退")
    ABSENT = "absent", _("旷工")
    PHONE_CHAT = "phone_chat", _("电话闲聊")


class AttendanceException(models.Model):
    """考勤异常, recorded by the employee's leader (工作纪律, 工作安排; 区域主管: 考勤不力)."""

    employee = models.ForeignKey(
        EMPLOYEE, verbose_name=_("员工"), on_delete=models.PROTECT, related_name="attendance_exceptions"
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("异常类型"), max_length=12, choices=AttendanceKind.choices)
    note = models.CharField(_("情况说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考勤异常")
        verbose_name_plural = _("考勤异常")
        ordering = ["-date", "-id"]


class PaidService(models.Model):
    """有偿服务 (§3.3.4): charged only with the leader's approval; the money is handed in in full."""

    employee = models.ForeignKey(
        EMPLOYEE, verbose_name=_("服务工程师"), on_delete=models.PROTECT, related_name="paid_services"
    )
    order = models.ForeignKey(
        WorkOrder, verbose_name=_("工单"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    customer = models.CharField(_("用户单位"), max_length=200)
    content = models.CharField(_("服务内容"), max_length=200)
    amount = models.DecimalField(
        _("收费金额(元)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    charged_on = models.DateField(_("收费日期"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("领导同意日期"), null=True, blank=True)
    handed_in = models.DecimalField(_("已上缴(元)"), max_digits=10, decimal_places=2, default=Decimal(0))
    handed_in_on = models.DateField(_("上缴日期"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("有偿服务")
        verbose_name_plural = _("有偿服务")
        ordering = ["-charged_on", "-id"]


class Escalation(models.Model):
    """较大问题汇报 (§3.4.2): a larger problem reported to the leader with the engineer's proposal and the
    customer's request; the leader's decision follows."""

    employee = models.ForeignKey(
        EMPLOYEE, verbose_name=_("汇报人"), on_delete=models.PROTECT, related_name="escalations"
    )
    order = models.ForeignKey(
        WorkOrder, verbose_name=_("工单"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    found_at = models.DateTimeField(_("发现时间"))
    reported_at = models.DateTimeField(_("汇报时间"))
    problem = models.TextField(_("问题"))
    proposal = models.TextField(_("本人处理意见"))
    customer_request = models.CharField(_("用户要求"), max_length=200, blank=True)
    support_needed = models.BooleanField(_("需他人支援"), default=False)
    decision = models.TextField(_("领导决定"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("较大问题汇报")
        verbose_name_plural = _("较大问题汇报")
        ordering = ["-reported_at", "-id"]


class ExpenseClaim(models.Model):
    """报销 (§3.4.3): a trip's expenses claimed against its travel advance (借款), approved by the leader."""

    employee = models.ForeignKey(
        EMPLOYEE, verbose_name=_("报销人"), on_delete=models.PROTECT, related_name="expense_claims"
    )
    order = models.ForeignKey(
        WorkOrder, verbose_name=_("工单"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    advance = models.DecimalField(
        _("借款(元)"), max_digits=10, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    amount = models.DecimalField(
        _("报销金额(元)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    returned_on = models.DateField(_("返回单位日期"))
    submitted_on = models.DateField(_("提交日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报销")
        verbose_name_plural = _("报销")
        ordering = ["-submitted_on", "-id"]

    @property
    def balance(self) -> Decimal:
        """Positive: the employee pays back the rest of the advance; negative: the company pays out."""
        return self.advance - self.amount
