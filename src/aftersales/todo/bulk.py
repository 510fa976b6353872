"""Bulk actions (issue 11): one confirmation takes a step on many records, each row on its own —
all-or-nothing per row, audited as the single action is (the same service call), and a per-row
result: done, or refused with the reason the single action would have given.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aftersales.appraisal import services as appraisal_services
from aftersales.appraisal.models import Appraisal, ArchivedError
from aftersales.core.errors import RuleError
from aftersales.discipline import services as discipline_services
from aftersales.discipline.models import DisciplineRecord
from aftersales.parts import services as parts_services
from aftersales.parts.models import LedgerError, Requisition

# the most rows one bulk action takes (a page of the to-do list)
LIMIT = 200


@dataclass(frozen=True)
class Action:
    title: Promise
    button: Promise
    records: Callable[[], QuerySet[Any]]
    act: Callable[[Any, Any], object]
    label: Callable[[Any], str]


@dataclass(frozen=True)
class RowResult:
    pk: int
    label: str
    done: bool
    reason: str = ""


def _appraisal_label(appraisal: Appraisal) -> str:
    return f"{appraisal.employee.name} · {appraisal.period.label}"


ACTIONS: dict[str, Action] = {
    "appraisal-review": Action(
        _("批量审核考核表"),
        _("审核通过所选"),
        lambda: Appraisal.objects.select_related("period", "employee"),
        lambda record, actor: appraisal_services.appraisal_review(appraisal=record, actor=actor),
        _appraisal_label,
    ),
    "appraisal-archive": Action(
        _("批量归档考核表"),
        _("归档所选"),
        lambda: Appraisal.objects.select_related("period", "employee"),
        lambda record, actor: appraisal_services.appraisal_archive(appraisal=record, actor=actor),
        _appraisal_label,
    ),
    "discipline-approve": Action(
        _("批量批准奖惩"),
        _("批准所选"),
        lambda: DisciplineRecord.objects.select_related("employee"),
        lambda record, actor: discipline_services.record_approve(record=record, actor=actor),
        lambda record: f"{record.employee.name} · {record.get_kind_display()}",
    ),
    "requisition-approve": Action(
        _("批量审批领料"),
        _("批准所选"),
        lambda: Requisition.objects.select_related("engineer", "part", "store"),
        lambda record, actor: parts_services.requisition_approve(requisition=record, actor=actor),
        lambda record: f"{record.number} · {record.engineer.name} · {record.part.name} × {record.quantity}",
    ),
}

REFUSALS = (
    PermissionDenied,
    ValidationError,
    RuleError,
    LedgerError,
    ArchivedError,
    appraisal_services.ActionError,
)


def run(key: str, pks: Sequence[int], actor: Any, *, ready: Collection[int]) -> list[RowResult]:
    """Take action ``key`` on each record of ``pks`` (in the order given) that is among ``ready``
    (the actor's to-do items for it), each in its own transaction with the single action's own
    checks; a refusal leaves that row as it was and the others go on."""
    action = ACTIONS[key]
    wanted = [pk for pk in pks[:LIMIT] if pk in ready]
    records: dict[int, Model] = {record.pk: record for record in action.records().filter(pk__in=wanted)}
    results = []
    for pk in pks[:LIMIT]:
        record = records.get(pk)
        if record is None:  # done meanwhile, or never this actor's to do: named by number only
            results.append(RowResult(pk, f"#{pk}", False, str(_("已不在您的待办中"))))
            continue
        label = action.label(record)
        try:
            with transaction.atomic():
                action.act(record, actor)
        except REFUSALS as error:
            results.append(RowResult(pk, label, False, _reason(error)))
        else:
            results.append(RowResult(pk, label, True))
    return results


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or str(_("无权办理此步骤"))
