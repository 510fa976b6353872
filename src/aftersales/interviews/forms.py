"""Forms of the interview pages: form 4.6, its three items, training planning and closing, the audit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aftersales.core.interview_rules import BLOCKS_PER_YEAR, Block
from aftersales.core.periods import Month
from aftersales.interviews.models import MAX_ITEMS, Interview, InterviewItem, TrainingRequest
from aftersales.interviews.services import INTERVIEW_FIELDS, ITEM_FIELDS
from aftersales.ui.forms import DATE_INPUT, BootstrapMixin

SHORT_TEXT = forms.Textarea(attrs={"rows": 2})


class StyledForm(BootstrapMixin):
    """Bootstrap classes on every widget, compact: the interview form is long."""

    size_class = "form-control-sm"


class InterviewForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Interview
        fields = INTERVIEW_FIELDS
        widgets = {
            "held_on": DATE_INPUT,
            "improvement_from": DATE_INPUT,
            "improvement_to": DATE_INPUT,
            "employee_remarks": SHORT_TEXT,
            "supervisor_remarks": SHORT_TEXT,
            "training_reason": SHORT_TEXT,
            "training_expected_effect": SHORT_TEXT,
            "other_resources": SHORT_TEXT,
        }


class InterviewItemForm(StyledForm, forms.ModelForm):
    class Meta:
        model = InterviewItem
        fields = ITEM_FIELDS
        widgets = {name: SHORT_TEXT for name in ITEM_FIELDS}


InterviewItemFormSet = forms.formset_factory(
    InterviewItemForm, extra=MAX_ITEMS, max_num=MAX_ITEMS, validate_max=True, absolute_max=MAX_ITEMS
)


def item_initial(interview: Interview | None) -> list[dict[str, Any]]:
    if interview is None:
        return []
    return [{name: getattr(item, name) for name in ITEM_FIELDS} for item in interview.items.all()]


class TrainingPlanForm(StyledForm, forms.ModelForm):
    class Meta:
        model = TrainingRequest
        fields = ["planned_on", "plan"]
        widgets = {"planned_on": DATE_INPUT, "plan": SHORT_TEXT}


class TrainingCloseForm(StyledForm, forms.ModelForm):
    class Meta:
        model = TrainingRequest
        fields = ["actual_effect"]
        widgets = {"actual_effect": SHORT_TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actual_effect"].required = True


def _default_block() -> Block:
    """The current block: who still needs an interview before its close."""
    return Block.of(Month.of(timezone.localdate()))


def _block_choices() -> list[tuple[int, str]]:
    """The two-month blocks of a year (1–2月 …), named in the reader's language when the form is shown."""
    return [
        (n, gettext("%(first)d–%(last)d月") % {"first": 2 * n - 1, "last": 2 * n})
        for n in range(1, BLOCKS_PER_YEAR + 1)
    ]


class AuditForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    block = forms.TypedChoiceField(
        label=_("面谈周期"),
        coerce=int,
        choices=_block_choices,
    )

    @classmethod
    def from_query(cls, query: Any) -> AuditForm:
        default = _default_block()
        data = {"year": query.get("year", default.year), "block": query.get("block", default.number)}
        return cls(data)


class FlagForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    month = forms.IntegerField(min_value=1, max_value=12)
