"""The recorded facts of an employee's month, read from the areas' §11 selectors (service, parts,
repair) and turned into ``rules.Finding``s with their evidence records.

A source is read only when the employee's form has a target for it, and each selector at most once
per employee (``MonthFacts`` memoises).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales import punctuation
from aftersales.core.field_records import shortfall
from aftersales.core.periods import Month
from aftersales.evidence import rules
from aftersales.evidence.rules import Evidence, Finding
from aftersales.organisation.models import Employee
from aftersales.parts import selectors as parts
from aftersales.repair import selectors as repair
from aftersales.repair.models import RepairJob
from aftersales.repair.selectors import RepairKpis
from aftersales.service import record_selectors as records
from aftersales.service import selectors as service
from aftersales.service.models import (
    AttendanceKind,
    CustomerVisit,
    MarketInfo,
    PhoneOffIncident,
    RoutineReportKind,
)
from aftersales.service.record_services import setting


def _day(moment: date | datetime) -> str:
    return (timezone.localdate(moment) if isinstance(moment, datetime) else moment).isoformat()


def _finding(evidence: Iterable[Evidence]) -> Finding:
    """A count of records (occurred / did not occur)."""
    rows = tuple(evidence)
    return Finding(Decimal(len(rows)) if rows else None, rows)


class MonthFacts:
    """The facts of ``employee``'s ``month``, as of ``now`` (open items age, open answers run on)."""

    def __init__(self, employee: Employee, month: Month, now: datetime) -> None:
        self.employee, self.month, self.now = employee, month, now

    def finding(self, source: str) -> Finding:
        return _READERS[source](self)

    # --- service (SPEC §8) -----------------------------------------------------------------------

    def complaints(self) -> Finding:
        """Verified complaints for which service is responsible (态度, 能力: 经核实后属实)."""
        rows = [
            c
            for c in service.complaints_for(self.employee, self.month.year, self.month.month)
            if c.service_responsibility
        ]
        evidence = [
            Evidence("complaint", c.complaint_id, f"{c.complainant}：{c.content}", _day(c.received_at))
            for c in rows
        ]
        # a complaint the customer filed on the confirmation page: their own answer is evidence too
        evidence += [
            Evidence("service_report", c.answered_report_id, _answer_label(c), _day(c.received_at))
            for c in rows
            if c.answered_report_id is not None
        ]
        return Finding(Decimal(len(rows)) if rows else None, tuple(evidence))

    def late_incidents(self) -> Finding:
        rows = service.late_incidents_for(self.employee, self.month.year, self.month.month, self.now)
        return _finding(
            Evidence("incident", i.incident_id, _incident_label(i), _day(i.occurred_at)) for i in rows
        )

    def phone_offs(self) -> Finding:
        counted = service.phone_off_count(self.employee, self.month.year, self.month.month)
        records = PhoneOffIncident.objects.filter(pk__in=counted.incident_ids).order_by("date", "pk")
        return _finding(Evidence("phone_off", r.pk, _phone_off_label(r.note), _day(r.date)) for r in records)

    def complaint_responses(self) -> Finding:
        rows = service.complaint_response_days(self.employee, self.month.year, self.month.month, self.now)
        return _responses("complaint", _("用户投诉"), rows)

    def quality_responses(self) -> Finding:
        rows = service.quality_response_days(self.employee, self.month.year, self.month.month)
        return _responses("quality_report", _("现场质量信息"), rows)

    # --- warranty parts (SPEC §9) --------------------------------------------------------------

    @cached_property
    def _open_items(self) -> list[parts.OpenItem]:
        """Open warranty items as the month closed (or now, while it runs)."""
        return parts.parts_open_items_for(self.employee, as_of=min(self.month.end, self.now))

    def parts_unsettled(self) -> Finding:
        """Parts issued and still not written off once the return deadline has passed."""
        deadline = parts.OLD_PART_RETURN_DAYS
        return _finding(
            _requisition(item) for item in self._open_items if item.outstanding and item.age_days > deadline
        )

    def old_parts_missing(self) -> Finding:
        return _finding(_requisition(item) for item in self._open_items if item.overdue)

    # --- repairs (SPEC §10) --------------------------------------------------------------------

    @cached_property
    def _kpis(self) -> RepairKpis | None:
        if not repair.technicians().filter(pk=self.employee.pk).exists():
            return None  # the lead of the group is not measured as a technician
        return repair.repair_kpis_for(self.employee, self.month.year, self.month.month)

    @cached_property
    def _jobs(self) -> dict[int, RepairJob]:
        ids = self._kpis.evidence_job_ids if self._kpis else ()
        return RepairJob.objects.in_bulk(ids)

    def seven_day(self) -> Finding:
        kpis = self._kpis
        if kpis is None or kpis.seven_day_rate is None:
            return Finding(None)
        on_time = set(kpis.on_time_jobs)
        note = {True: _("7日内完成"), False: _("未在7日内完成")}
        return Finding(
            kpis.seven_day_rate, self._job_evidence(kpis.seven_day_jobs, lambda pk: note[pk in on_time])
        )

    def second_repair(self) -> Finding:
        kpis = self._kpis
        if kpis is None or kpis.second_repair_rate is None:
            return Finding(None)
        returned = self._job_evidence(kpis.returned_jobs, lambda pk: _("该产品在返修期内再次返修"))
        completed = self._job_evidence(kpis.completed_jobs, lambda pk: _("本月完成"))
        return Finding(kpis.second_repair_rate, returned + completed)

    def _job_evidence(self, ids: Iterable[int], note: Callable[[int], str]) -> tuple[Evidence, ...]:
        jobs = [self._jobs[pk] for pk in ids if pk in self._jobs]
        return tuple(
            Evidence("repair_job", job.pk, _job_label(job, note(job.pk)), _day(job.received_at))
            for job in sorted(jobs, key=lambda job: (job.received_at, job.pk))
        )

    # --- field records (service.record_selectors) --------------------------------------------------

    @property
    def _today(self) -> date:
        return timezone.localdate(self.now)

    def _ym(self) -> tuple[Employee, int, int]:
        return self.employee, self.month.year, self.month.month

    def left_post(self) -> Finding:
        rows = records.attendance_in(*self._ym(), (AttendanceKind.LEFT_POST,))
        return _finding(_attendance(r) for r in rows)

    def lateness(self) -> Finding:
        kinds = (AttendanceKind.LATE, AttendanceKind.EARLY, AttendanceKind.ABSENT, AttendanceKind.PHONE_CHAT)
        return _finding(_attendance(r) for r in records.attendance_in(*self._ym(), kinds))

    def support_needed(self) -> Finding:
        return _finding(
            Evidence(
                "escalation", e.pk, _("需他人支援：%(problem)s") % {"problem": e.problem}, _day(e.reported_at)
            )
            for e in records.support_escalations(*self._ym())
        )

    def written_complaints(self) -> Finding:
        return _finding(
            Evidence(
                "complaint",
                c.pk,
                _("书面质量投诉(事先未汇报)：%(who)s：%(content)s")
                % {"who": c.complainant, "content": c.content},
                _day(c.received_at),
            )
            for c in records.uncommunicated_written_complaints(*self._ym())
        )

    def routine_reports(self) -> Finding:
        kinds = (RoutineReportKind.SERVICE_MONTHLY, RoutineReportKind.QUALITY_NOTICE)
        return _finding(
            _report_due(d) for d in records.reports_due(*self._ym(), kinds, self._today) if d.failing
        )

    def region_summaries(self) -> Finding:
        kinds = (RoutineReportKind.REGION_MONTHLY, RoutineReportKind.REGION_ANNUAL)
        return _finding(
            _report_due(d) for d in records.reports_due(*self._ym(), kinds, self._today) if d.failing
        )

    def market_info(self) -> Finding:
        if not records.in_use(MarketInfo, "date", self.month.year, self.month.month):
            return Finding(None)
        rows = records.market_info_in(*self._ym())
        evidence = [
            Evidence(
                "market_info", r.pk, f"{r.get_kind_display()}{punctuation.colon()}{r.subject}", _day(r.date)
            )
            for r in rows
        ]
        return _shortfall(
            "market_info",
            _("本月营销与竞争对手信息"),
            len(rows),
            setting("MARKET_INFO_PER_MONTH", 1),
            evidence,
        )

    def customer_visits(self) -> Finding:
        if not records.in_use(CustomerVisit, "date", self.month.year, self.month.month):
            return Finding(None)
        rows = records.customer_visits_in(*self._ym())
        evidence = [
            Evidence("customer_visit", r.pk, _("走访%(customer)s") % {"customer": r.customer}, _day(r.date))
            for r in rows
        ]
        minimum = setting("CUSTOMER_VISITS_PER_MONTH", 2)
        return _shortfall("customer_visit", _("本月客户走访"), len(rows), minimum, evidence)

    def paid_services(self) -> Finding:
        labels = {"unapproved": _("未经领导同意"), "not_handed_in": _("未如数按时上缴")}
        return _finding(
            Evidence(
                "paid_service",
                b.record.pk,
                _("有偿服务 %(customer)s %(amount)s元：%(what)s")
                % {
                    "customer": b.record.customer,
                    "amount": b.record.amount,
                    "what": punctuation.comma().join(str(labels[x]) for x in b.breaches),
                },
                _day(b.record.charged_on),
            )
            for b in records.paid_service_breaches(*self._ym(), self._today)
        )

    def expense_claims(self) -> Finding:
        return _finding(_advance(row) for row in records.unsettled_advances(*self._ym(), self._today))

    def late_escalations(self) -> Finding:
        return _finding(_escalation(e) for e in records.late_escalations(*self._ym()))

    def region_complaints(self) -> Finding:
        rows = records.region_complaints(*self._ym())
        if len(rows) < setting("REGION_COMPLAINTS_PER_MONTH", 2):
            return Finding(None)
        return _finding(
            Evidence(
                "complaint",
                c.pk,
                punctuation.colon().join((c.employee.name, c.complainant, c.content)),
                _day(c.received_at),
            )
            for c in rows
        )

    def region_unreported(self) -> Finding:
        attendance = [
            Evidence(
                "attendance",
                r.pk,
                _("%(name)s %(kind)s(非区域主管记录)")
                % {"name": r.employee.name, "kind": r.get_kind_display()},
                _day(r.date),
            )
            for r in records.region_attendance_by_others(*self._ym())
        ]
        escalations = [_escalation(e, named=True) for e in records.region_late_escalations(*self._ym())]
        return _finding([*attendance, *escalations])

    def filing_lags(self) -> Finding:
        rows = records.filing_lags(*self._ym(), self.now)
        evidence = tuple(
            Evidence(
                "call",
                row.entry.pk,
                (
                    _("来电来函 %(number)s：答复后%(days)s天归档")
                    if row.filed
                    else _("来电来函 %(number)s：尚未归档(已%(days)s天)")
                )
                % {"number": row.entry.number, "days": row.days},
                _day(cast(datetime, row.entry.answered_at)),  # answered: the rows are chosen by it
            )
            for row in rows
        )
        return Finding(rules.mean_days([row.days for row in rows]), evidence)


_READERS: dict[str, Callable[[MonthFacts], Finding]] = {
    rules.COMPLAINT: MonthFacts.complaints,
    rules.INCIDENT: MonthFacts.late_incidents,
    rules.PHONE_OFF_SOURCE: MonthFacts.phone_offs,
    rules.PARTS_UNSETTLED: MonthFacts.parts_unsettled,
    rules.OLD_PART_MISSING: MonthFacts.old_parts_missing,
    rules.SEVEN_DAY: MonthFacts.seven_day,
    rules.SECOND_REPAIR: MonthFacts.second_repair,
    rules.COMPLAINT_RESPONSE: MonthFacts.complaint_responses,
    rules.QUALITY_RESPONSE: MonthFacts.quality_responses,
    rules.LEFT_POST: MonthFacts.left_post,
    rules.LATENESS: MonthFacts.lateness,
    rules.SUPPORT_NEEDED: MonthFacts.support_needed,
    rules.WRITTEN_COMPLAINT: MonthFacts.written_complaints,
    rules.ROUTINE_REPORTS: MonthFacts.routine_reports,
    rules.MARKET_INFO: MonthFacts.market_info,
    rules.PAID_SERVICE: MonthFacts.paid_services,
    rules.EXPENSE_CLAIM: MonthFacts.expense_claims,
    rules.ESCALATION_LATE: MonthFacts.late_escalations,
    rules.REGION_COMPLAINTS: MonthFacts.region_complaints,
    rules.CUSTOMER_VISITS: MonthFacts.customer_visits,
    rules.REGION_SUMMARY: MonthFacts.region_summaries,
    rules.REGION_UNREPORTED: MonthFacts.region_unreported,
    rules.FILING_LAG: MonthFacts.filing_lags,
}


# ---------------------------------------------------------------------------------------------
# Labels of the evidence records (one line each, as the panel shows them)


def _incident_label(incident: service.IncidentEvidence) -> str:
    late = [
        text
        for flag, text in (
            (incident.phone_late, _("24小时内未电话通知")),
            (incident.report_late, _("48小时内无专题报告")),
        )
        if flag
    ]
    return _("重大行车事故：%(late)s") % {"late": punctuation.comma().join(late)}


def _answer_label(complaint: service.ComplaintEvidence) -> str:
    return _("用户本人在确认页投诉(满意程度 %(score)s/5)，见服务报告的签字、照片与到达签到") % {
        "score": complaint.customer_score
    }


def _phone_off_label(note: str) -> str:
    return _("手机关机：%(note)s") % {"note": note} if note else _("手机关机")


def _responses(kind: str, what: str, rows: list[service.ResponseEvidence]) -> Finding:
    evidence = tuple(
        Evidence(kind, row.object_id, _response_label(what, row), _day(row.raised_at)) for row in rows
    )
    return Finding(rules.mean_days([row.days for row in rows]), evidence)


def _response_label(what: str, row: service.ResponseEvidence) -> str:
    if row.answered:
        return _("%(what)s：%(days)s天后答复") % {"what": what, "days": row.days}
    return _("%(what)s：尚未答复(已%(days)s天)") % {"what": what, "days": row.days}


def _requisition(item: parts.OpenItem) -> Evidence:
    requisition = item.requisition
    label = _("%(number)s %(part)s ×%(quantity)s：发料%(age)s天，未销帐%(open)s，旧件未返回%(missing)s") % {
        "number": requisition.number,
        "part": requisition.part.name,
        "quantity": requisition.quantity,
        "age": item.age_days,
        "open": item.outstanding,
        "missing": item.old_parts_missing,
    }
    return Evidence("requisition", requisition.pk, label, _day(cast(datetime, requisition.issued_at)))


def _job_label(job: RepairJob, note: str) -> str:
    completed = (
        timezone.localtime(job.completed_at).strftime("%Y-%m-%d %H:%M") if job.completed_at else _("未完成")
    )
    return _("%(number)s %(unit)s %(product)s：接收%(received)s，完成%(completed)s，%(note)s") % {
        "number": job.number,
        "unit": job.unit_serial,
        "product": job.product,
        "received": timezone.localtime(job.received_at).strftime("%Y-%m-%d %H:%M"),
        "completed": completed,
        "note": note,
    }


def _attendance(record: Any) -> Evidence:
    note = f"{punctuation.colon()}{record.note}" if record.note else ""
    return Evidence("attendance", record.pk, f"{record.get_kind_display()}{note}", _day(record.date))


def _report_due(due: records.ReportDue) -> Evidence:
    period = str(due.year) if due.kind == RoutineReportKind.REGION_ANNUAL else f"{due.year}-{due.month:02d}"
    what = f"{RoutineReportKind(due.kind).label} {period}"
    report = due.report
    if report is None:
        label = _("%(what)s：应于%(due)s提交，未提交") % {"what": what, "due": due.due_on.isoformat()}
        return Evidence("routine_report_missing", 0, label, due.due_on.isoformat())
    if report.is_late:
        label = _("%(what)s：应于%(due)s提交，%(submitted)s才提交") % {
            "what": what,
            "due": due.due_on.isoformat(),
            "submitted": report.submitted_on.isoformat(),
        }
    else:
        label = _("%(what)s：审阅不合格：%(note)s") % {"what": what, "note": report.review_note}
    return Evidence("routine_report", report.pk, label, report.submitted_on.isoformat())


def _shortfall(kind: str, what: str, count: int, minimum: int, evidence: list[Evidence]) -> Finding:
    """Fewer records than the month's minimum: the shortfall, with the records there are and a line
    saying what is missing (its page lists the records)."""
    missing = shortfall(count, minimum)
    if not missing:
        return Finding(None)
    summary = _("%(what)s%(count)s次，少于规定的%(minimum)s次") % {
        "what": what,
        "count": count,
        "minimum": minimum,
    }
    return Finding(Decimal(missing), (Evidence(f"{kind}_summary", 0, summary, ""), *evidence))


def _advance(row: records.UnsettledAdvance) -> Evidence:
    if row.claim is not None:
        claim = row.claim
        label = _(
            "报销逾期：%(returned)s返回，应于%(deadline)s前报销，%(submitted)s才提交(借款%(advance)s元)"
        ) % {
            "returned": claim.returned_on.isoformat(),
            "deadline": row.deadline.isoformat(),
            "submitted": claim.submitted_on.isoformat(),
            "advance": claim.advance,
        }
        return Evidence("expense_claim", claim.pk, label, claim.submitted_on.isoformat())
    order = row.order
    assert order is not None
    label = _("工单%(number)s借款%(advance)s元：应于%(deadline)s前报销，未报销") % {
        "number": order.number,
        "advance": order.travel_advance,
        "deadline": row.deadline.isoformat(),
    }
    return Evidence("order", order.pk, label, row.deadline.isoformat())


def _escalation(record: Any, named: bool = False) -> Evidence:
    hours = (record.reported_at - record.found_at).total_seconds() / 3600
    label = _("较大问题发现后%(hours)s小时才汇报：%(problem)s") % {
        "hours": int(hours),
        "problem": record.problem,
    }
    if named:
        label = f"{record.employee.name}{punctuation.colon()}{label}"
    return Evidence("escalation", record.pk, label, _day(record.reported_at))
