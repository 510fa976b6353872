"""Which recorded facts propose which form entries (SPEC §11) — by the stable codes of the template.

A ``Finding`` is what the facts of one source say for an employee's month (how much, and which
records). A ``Target`` says where on a form a source lands: a deduction item found by its code, the
item of an exclusive group that the incident count picks (R-2.3), the band of the section measured
on a KPI (R-2.2, R-10.2, R-10.3), or the band of a section graded on a response time (form 4.5).
A target that the pinned template lacks proposes nothing (the repair form has no complaint item).

Plain Python on the rules core: no Django here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, Final

from aftersales.core.builtin_forms import PHONE_OFF
from aftersales.core.forms import (
    RESPONSE_DAYS,
    Item,
    Section,
    Template,
    band_for_rate,
    graded_item_for_response,
    group_item_for_incidents,
)

CENT: Final = Decimal("0.01")

# The source codes (models.Source); repeated here so the rules need no Django.
COMPLAINT: Final = "complaint"
INCIDENT: Final = "incident"
PHONE_OFF_SOURCE: Final = "phone_off"
PARTS_UNSETTLED: Final = "parts_unsettled"
OLD_PART_MISSING: Final = "old_part_missing"
SEVEN_DAY: Final = "seven_day"
SECOND_REPAIR: Final = "second_repair"
COMPLAINT_RESPONSE: Final = "complaint_response"
QUALITY_RESPONSE: Final = "quality_response"
# the field records (service.record_selectors; core.field_records for their deadlines)
LEFT_POST: Final = "left_post"
LATENESS: Final = "lateness"
SUPPORT_NEEDED: Final = "support_needed"
WRITTEN_COMPLAINT: Final = "written_complaint"
ROUTINE_REPORTS: Final = "routine_reports"
MARKET_INFO: Final = "market_info"
PAID_SERVICE: Final = "paid_service"
EXPENSE_CLAIM: Final = "expense_claim"
ESCALATION_LATE: Final = "escalation_late"
REGION_COMPLAINTS: Final = "region_complaints"
CUSTOMER_VISITS: Final = "customer_visits"
REGION_SUMMARY: Final = "region_summary"
REGION_UNREPORTED: Final = "region_unreported"
FILING_LAG: Final = "filing_lag"

# 资料维护 (form 4.5) graded on the days a record waited to be filed: t ≤ 1 规范及时 · 1 < t < 7 较及时,
# 滞后2-3天 · t ≥ 7 滞后7天以上 (decision: the source leaves 3–7 days open; the middle band takes them).
FILING_BOUNDS: Final = (Decimal(1), Decimal(7))


@dataclass(frozen=True)
class Evidence:
    """One record behind a proposal: its kind (complaint, incident, phone_off, requisition,
    repair_job, quality_report), id, a one-line description and its date (YYYY-MM-DD)."""

    kind: str
    id: int
    label: str
    date: str

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "label": self.label, "date": self.date}


@dataclass(frozen=True)
class Finding:
    """The month's facts of one source: ``measured`` (a count, a rate in percent, days) is None
    when the source says nothing (no records, or a KPI that does not apply)."""

    measured: Decimal | None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Draft:
    """A proposal before it is stored: the entry for ``section`` (decimals still ``Decimal``) and
    what it rests on."""

    source: str
    section: Section
    item: Item
    value: Any
    measured: Decimal
    evidence: tuple[Evidence, ...] = field(default=())


# ---------------------------------------------------------------------------------------------
# Targets


@dataclass(frozen=True)
class DeductionItem:
    """A key behaviour (关键行为) by item code: proposed when at least one record shows it."""

    code: str

    def section_in(self, template: Template) -> Section | None:
        return next(
            (s for s in template.sections if s.kind == "deduction" and s.item(self.code) is not None), None
        )

    def draft(self, source: str, section: Section, finding: Finding) -> Draft | None:
        item = section.item(self.code)
        if item is None or not finding.measured:
            return None
        return Draft(source, section, item, item.code, finding.measured, finding.evidence)


@dataclass(frozen=True)
class IncidentGroup:
    """An exclusive group whose month count picks the item (R-2.3: 手机关机 1–2 → −3, ≥ 3 → −5)."""

    group: str

    def section_in(self, template: Template) -> Section | None:
        return next((s for s in template.sections if any(item.group == self.group for item in s.items)), None)

    def draft(self, source: str, section: Section, finding: Finding) -> Draft | None:
        if not finding.measured:
            return None
        item = group_item_for_incidents(section, self.group, int(finding.measured))
        if item is None:
            return None
        return Draft(source, section, item, item.code, finding.measured, finding.evidence)


@dataclass(frozen=True)
class MeasuredBand:
    """The band section measured on a KPI (form 4.3): the entry is the rate (R-2.2)."""

    measure: str

    def section_in(self, template: Template) -> Section | None:
        return next((s for s in template.sections if s.kind == "band" and s.measure == self.measure), None)

    def draft(self, source: str, section: Section, finding: Finding) -> Draft | None:
        if finding.measured is None:  # not applicable: no entry, no deduction
            return None
        item = band_for_rate(section, finding.measured)
        rate = _form_rate(section, finding.measured, item)
        return Draft(source, section, item, rate, rate, finding.evidence)


@dataclass(frozen=True)
class ResponseGraded:
    """A daily-work section of form 4.5 graded on the response time t in days.

    The band follows from t (t ≤ 1, 1 < t < 3, t ≥ 3); the proposed score is the top of the band,
    which the supervisor may lower within the band when accepting.
    """

    section_code: str

    def section_in(self, template: Template) -> Section | None:
        section = template.section(self.section_code)
        if section is None or section.kind != "graded" or section.measure != RESPONSE_DAYS:
            return None
        return section

    def draft(self, source: str, section: Section, finding: Finding) -> Draft | None:
        if finding.measured is None:
            return None
        item = graded_item_for_response(section, finding.measured)
        value = {"item": item.code, "score": item.max, "days": finding.measured}
        return Draft(source, section, item, value, finding.measured, finding.evidence)


@dataclass(frozen=True)
class LagGraded:
    """A graded section whose bands follow a lag in days (资料维护: t ≤ 1 · 1 < t < 7 · t ≥ 7).

    The proposed score is the top of the band, as for ``ResponseGraded``.
    """

    section_code: str
    bounds: tuple[Decimal, Decimal] = FILING_BOUNDS

    def section_in(self, template: Template) -> Section | None:
        section = template.section(self.section_code)
        if section is None or section.kind != "graded" or len(section.items) != 3:
            return None
        return section

    def draft(self, source: str, section: Section, finding: Finding) -> Draft | None:
        if finding.measured is None:
            return None
        low, high = self.bounds
        index = 0 if finding.measured <= low else 1 if finding.measured < high else 2
        item = section.items[index]
        value = {"item": item.code, "score": item.max, "days": finding.measured}
        return Draft(source, section, item, value, finding.measured, finding.evidence)


Target = DeductionItem | IncidentGroup | MeasuredBand | ResponseGraded | LagGraded

# Where each source lands (SPEC §11). Item codes name the same behaviour on every form
# (core.builtin_forms): the 用户交流 complaint item, the 重大行车事故 item, the 配件管理 items.
TARGETS: Final[Mapping[str, Target]] = {
    COMPLAINT: DeductionItem("verified_complaint"),
    INCIDENT: DeductionItem("incident_not_reported"),
    PHONE_OFF_SOURCE: IncidentGroup(PHONE_OFF),
    # 配件管理帐目混乱,未能准确掌握现场配件的消耗情况: a part issued and not accounted for
    PARTS_UNSETTLED: DeductionItem("parts_ledger_disorder"),
    # 《配件数据库》使用不力(,故障品返回不及时): the old part not brought back in time
    OLD_PART_MISSING: DeductionItem("parts_database_misuse"),
    SEVEN_DAY: MeasuredBand("seven_day_completion_rate"),
    SECOND_REPAIR: MeasuredBand("second_repair_rate"),
    COMPLAINT_RESPONSE: ResponseGraded("complaint_handling"),
    QUALITY_RESPONSE: ResponseGraded("website_maintenance"),
    # 未经允许,私自离开工作地点 (4.1, 4.2 工作安排; 4.3, 4.4 工作纪律)
    LEFT_POST: DeductionItem("leave_post"),
    # 存在迟到,早退,旷工,电话闲聊现象 (4.3, 4.4 工作纪律)
    LATENESS: DeductionItem("lateness_absence"),
    # 因个人能力原因未能完成所布置的故障查处工作,需他人支援: an escalation that asked for support
    SUPPORT_NEEDED: DeductionItem("fault_needs_support"),
    # 常驻用户 … 书面形式投诉而服务人员没有提前和部门沟通的
    WRITTEN_COMPLAINT: DeductionItem("written_complaint_uncommunicated"),
    # 服务月报,用户质量信息通报等例行报告未能按照格式及时完成
    ROUTINE_REPORTS: DeductionItem("routine_reports_late"),
    # 对本区域营销信息,竞争对手产品信息收集工作不力的
    MARKET_INFO: DeductionItem("market_info_weak"),
    # 违反区域营销服务中心管理条例: 有偿服务 (§3.3.4), 报销 (§3.4.3), 较大问题汇报 (§3.4.2)
    PAID_SERVICE: DeductionItem("centre_rules_breach"),
    EXPENSE_CLAIM: DeductionItem("centre_rules_breach"),
    ESCALATION_LATE: DeductionItem("centre_rules_breach"),
    # 4.2 区域管理
    REGION_COMPLAINTS: DeductionItem("region_disorder"),
    CUSTOMER_VISITS: DeductionItem("customer_visits_lacking"),
    REGION_SUMMARY: DeductionItem("region_summary_late"),
    REGION_UNREPORTED: DeductionItem("attendance_concealment"),
    # 4.5 资料维护
    FILING_LAG: LagGraded("document_maintenance"),
}


@dataclass(frozen=True)
class Placement:
    """A source that has a target on the form, with the target's section."""

    source: str
    section: Section
    target: Target

    def draft(self, finding: Finding) -> Draft | None:
        """The entry ``finding`` proposes, or None when the facts propose nothing."""
        return self.target.draft(self.source, self.section, finding)


def placements(template: Template, overrides: Mapping[str, str] | None = None) -> list[Placement]:
    """The sources that land on ``template``, in source order.

    ``overrides`` maps a source to another deduction item code (a setting, for HR's own forms).
    """
    found = []
    for source, target in _targets(overrides or {}).items():
        section = target.section_in(template)
        if section is not None:
            found.append(Placement(source, section, target))
    return found


def _targets(overrides: Mapping[str, str]) -> dict[str, Target]:
    """The targets with the deduction items of ``overrides`` (other sources cannot be redirected)."""
    redirected = {
        source: DeductionItem(code)
        for source, code in overrides.items()
        if isinstance(TARGETS.get(source), DeductionItem)
    }
    return {**TARGETS, **redirected}


def _form_rate(section: Section, rate: Decimal, band: Item) -> Decimal:
    """The rate to 0.01 %, as the form takes it, in the band of the exact rate: rounded, or cut
    down where rounding would cross into the next band (89.996 → 89.99, not 90.00)."""
    rounded = rate.quantize(CENT, ROUND_HALF_UP)
    return rounded if band_for_rate(section, rounded) == band else rate.quantize(CENT, ROUND_FLOOR)


def mean_days(days: list[Decimal]) -> Decimal | None:
    """The month's response time: the mean over the items (to 0.01 day), None without items."""
    if not days:
        return None
    return (sum(days, Decimal(0)) / len(days)).quantize(CENT, ROUND_HALF_UP)
