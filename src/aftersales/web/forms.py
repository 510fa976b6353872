"""What every page form shares: Bootstrap 5 classes on the widgets, the local date-time input and the
month field. Templates render these forms with ``web/_form_fields.html`` (a whole form) or
``web/_field.html`` (one field)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core.errors import RuleError
from aftersales.core.periods import Month

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # the stubs' str | lazy str (a dev dependency)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # the value of ``<input type="datetime-local">``
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # each field copies it


class BootstrapMixin:
    """Bootstrap classes on every widget (form-control, form-select, form-check-input), followed by
    ``size_class`` where a compact form sets one; a class given on the widget itself is kept."""

    fields: dict[str, forms.Field]
    size_class = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = " ".join(filter(None, (bootstrap_class(field.widget), self.size_class)))
            field.widget.attrs.setdefault("class", css)


def bootstrap_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    return "form-select" if isinstance(widget, forms.Select) else "form-control"


class FilterForm(forms.Form):
    """A list page's filter form (GET): what was filled in, for the list's selector."""

    def filters(self) -> dict[str, Any]:
        """The selector's keyword arguments; an invalid filter is ignored rather than refused."""
        self.is_valid()  # keeps the valid fields in cleaned_data
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def datetime_local_field(
    label: StrOrPromise, *, required: bool = True, initial: Callable[[], str] | None = None
) -> forms.DateTimeField:
    """A date and time picked in the browser's local-time input (Asia/Shanghai)."""
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeLocal(),
        input_formats=[DATETIME_FORMAT],
        initial=initial,
    )


def now_local() -> str:
    """Now, as the initial value of a ``DateTimeLocal`` input."""
    return timezone.localtime().strftime(DATETIME_FORMAT)


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (``<input type="month">``), cleaned to ``Month``."""

    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value: Any) -> Month | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return Month.parse(text)
        except RuleError:
            raise forms.ValidationError(_("请按 YYYY-MM 填写月份")) from None
