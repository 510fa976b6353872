"""The harness of "forms keep what was typed" (issue 11, item 6): one ``FormCase`` per form.

A case names the page of the form, the persona who fills it in, the values that make it valid where the
page offers none, and the one field to break. The harness reads the form off the page (so every value
the page proposes — an initial date, a pre-selected option — is posted back as the user would), fills
what is still empty, breaks the field and posts. The answer must be the form again (200 or 400, never
a redirect that loses the input), with the broken field — and only it — marked invalid, and every other
value that was posted shown again: ``value="…"``, a ``selected`` option, a ``checked`` box or the text
of a textarea.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

from django.utils import timezone

Values = dict[str, str | list[str]]


@dataclass(frozen=True)
class FormCase:
    url: str  # URL name of the page showing the form
    persona: str
    broken: tuple[str, str | list[str]]  # the field and the invalid value posted for it
    kwargs: Callable[[Any], dict[str, Any]] = lambda world: {}
    data: Callable[[Any], Values] = lambda world: {}  # valid values the page does not offer
    post_url: str = ""  # URL name the form posts to, when not the page itself
    post_kwargs: Callable[[Any], dict[str, Any]] | None = None  # its arguments, when not the page's
    form_id: str = ""  # the form's id, when the page holds several posting to the same URL
    label: str = ""
    skip: frozenset[str] = field(default_factory=frozenset)  # posted but not shown again by design

    @property
    def id(self) -> str:
        return self.label or self.url


@dataclass
class Control:
    tag: str
    attrs: dict[str, str]
    options: list[tuple[str, bool]] = field(default_factory=list)  # select: (value, selected)
    text: str = ""  # textarea

    @property
    def name(self) -> str:
        return self.attrs.get("name", "")

    @property
    def kind(self) -> str:
        return self.attrs.get("type", "text").lower() if self.tag == "input" else self.tag

    @property
    def invalid(self) -> bool:
        return self.attrs.get("aria-invalid") == "true" or "is-invalid" in self.attrs.get("class", "").split()


@dataclass
class Form:
    attrs: dict[str, str]
    controls: list[Control] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.loose: list[Control] = []  # controls outside any form (they still show values)
        self._form: Form | None = None
        self._select: Control | None = None
        self._option: tuple[str, bool] | None = None
        self._option_text = ""
        self._textarea: Control | None = None

    def _add(self, control: Control) -> None:
        (self._form.controls if self._form else self.loose).append(control)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(values)
            self.forms.append(self._form)
        elif tag == "input":
            self._add(Control("input", values))
        elif tag == "select":
            self._select = Control("select", values)
            self._add(self._select)
        elif tag == "option" and self._select is not None:
            self._option = (values.get("value"), "selected" in values)  # type: ignore[assignment]
            self._option_text = ""
        elif tag == "textarea":
            self._textarea = Control("textarea", values)
            self._add(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.text += data
        if self._option is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._select is not None and self._option is not None:
            value, selected = self._option
            self._select.options.append((self._option_text.strip() if value is None else value, selected))
            self._option = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.text.startswith("\n"):
                self._textarea.text = self._textarea.text[1:]
            self._textarea = None


def parse(html: str) -> _Parser:
    parser = _Parser()
    parser.feed(html)
    return parser


def find_form(html: str, action: str, form_id: str = "") -> Form:
    """The POST form of the page that posts to ``action`` (or has ``form_id``)."""
    for form in parse(html).forms:
        if form.attrs.get("method", "get").lower() != "post":
            continue
        if form_id and form.attrs.get("id") == form_id:
            return form
        if not form_id and form.attrs.get("action", "") in ("", action):
            return form
    raise AssertionError(f"no POST form to {action or form_id} on the page")


def _fill(control: Control) -> str:
    """A plausible value for an empty control, by its type."""
    now = timezone.localtime()
    return {
        "number": "1",
        "date": f"{now:%Y-%m-%d}",
        "datetime-local": f"{now - timedelta(hours=1):%Y-%m-%dT%H:%M}",
        "month": f"{now:%Y-%m}",
        "email": "someone@example.com",
        "tel": "13800000000",
    }.get(control.kind, "测试内容")


def values_of(form: Form) -> Values:
    """What the browser would post, with empty fields filled in by type."""
    values: dict[str, list[str]] = defaultdict(list)
    for control in form.controls:
        name = control.name
        if not name or control.kind in ("submit", "button", "file", "reset", "image"):
            continue
        if control.kind in ("checkbox", "radio"):
            if "checked" in control.attrs:
                values[name].append(control.attrs.get("value", "on"))
            continue
        if control.tag == "select":
            chosen = [value for value, selected in control.options if selected and value]
            first = [value for value, _selected in control.options if value]
            values[name].extend(chosen[:1] or first[:1] or [""])
            continue
        value = control.text if control.tag == "textarea" else control.attrs.get("value", "")
        if not value and control.kind != "hidden" and not name.endswith(("-DELETE", "-id")):
            value = _fill(control)
        values[name].append(value)
    return {name: items[0] if len(items) == 1 else items for name, items in values.items()}


def shown(html: str, name: str, value: str) -> bool:
    """``value`` is shown again in a control called ``name``."""
    page = parse(html)
    controls = [c for form in page.forms for c in form.controls] + page.loose
    for control in (c for c in controls if c.name == name):
        if control.kind in ("checkbox", "radio"):
            if control.attrs.get("value", "on") == value and "checked" in control.attrs:
                return True
        elif control.tag == "select":
            if (value, True) in control.options:
                return True
        elif control.tag == "textarea":
            if control.text.strip() == value.strip():
                return True
        elif control.attrs.get("value", "") == value:
            return True
    return False


def invalid_names(html: str) -> set[str]:
    page = parse(html)
    return {c.name for form in page.forms for c in form.controls if c.invalid} | {
        c.name for c in page.loose if c.invalid
    }
