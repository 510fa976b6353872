"""Words for the pages: grade names, state colours, and errors of the rules core in the user's language."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales import punctuation
from aftersales.appraisal.models import State
from aftersales.core.forms import Template

GRADE_LABELS = {
    "A": gettext_lazy("非常杰出"),
    "B": gettext_lazy("出色"),
    "C": gettext_lazy("良好"),
    "D": gettext_lazy("合格"),
    "E": gettext_lazy("待改进"),
}

KIND_LABELS = {
    "deduction": gettext_lazy("关键行为扣分"),
    "choice": gettext_lazy("择一"),
    "band": gettext_lazy("按实测比率分档"),
    "goals": gettext_lazy("绩效协议目标"),
    "graded": gettext_lazy("分档评分"),
}

WORK_LABELS = {
    "place": gettext_lazy("工作地点"),
    "duration": gettext_lazy("工作持续时间"),
    "content": gettext_lazy("工作内容"),
    "result": gettext_lazy("完成情况"),
}
WORK_FORM_ROWS = 5  # the paper form has three numbered lines; two more to spare

STATE_CLASSES: dict[str, str] = {
    State.DRAFT: "text-bg-secondary",
    State.SELF_REPORTED: "text-bg-info",
    State.SCORED: "text-bg-primary",
    State.RETURNED: "text-bg-warning",
    State.REVIEWED: "text-bg-primary",
    State.APPEALED: "text-bg-danger",
    State.CONFIRMED: "text-bg-success",
    State.ARCHIVED: "text-bg-dark",
}


def grade_label(grade: str) -> str:
    return str(GRADE_LABELS.get(grade, ""))


def error_text(template: Template, field: str, message: str) -> str:
    """``entries.work_attitude: is required`` → ``工作态度：必须填写``."""
    if message == "is required":
        message = _("必须填写")
    parts = field.split(".")
    if len(parts) > 1 and parts[0] == "entries":
        section = template.section(parts[1].split("[")[0])
        if section is not None:
            return f"{section.name}{punctuation.colon()}{message}"
    return message


def snapshot_rows(template: Template, snapshot: dict[str, object]) -> list[dict[str, object]]:
    """The section scores of a history snapshot, with the texts of the items that decided them."""
    rows = []
    for stored in snapshot.get("section_scores") or []:  # type: ignore[attr-defined]
        section = template.section(stored["code"])
        texts = [item.text for code in stored.get("applied", []) if section and (item := section.item(code))]
        rows.append(
            {"name": stored["name"], "points": stored["points"], "score": stored["score"], "applied": texts}
        )
    return rows


def work_table(columns: tuple[str, ...], self_report: object) -> dict[str, object]:
    """The 工作情况 table of forms 4.1–4.3: column labels, the rows reported, blank rows to fill in."""
    reported = self_report.get("work", []) if isinstance(self_report, dict) else []
    return {
        "columns": [(key, WORK_LABELS[key]) for key in columns],
        "rows": [[row.get(key, "") for key in columns] for row in reported],
        "blank_rows": range(WORK_FORM_ROWS),
    }


def band_range(lower: object, upper: object) -> str:
    """A band's rates in words (R-2.2's half-open [lower, upper) is for developers): 70%以下,
    90%至100%以下, 100%及以上."""
    low, high = _percent(lower), _percent(upper)
    if low is None and high is None:
        return _("任意比率")
    if low is None:
        return _("%(upper)s%%以下") % {"upper": high}
    if high is None:
        return _("%(lower)s%%及以上") % {"lower": low}
    return _("%(lower)s%%至%(upper)s%%以下") % {"lower": low, "upper": high}


def _percent(value: object) -> str | None:
    if value is None or value == "":
        return None
    return format(Decimal(str(value)).normalize(), "f")
