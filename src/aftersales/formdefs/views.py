"""HR's pages of the appraisal forms (namespace `formdefs`, mounted at /formdefs/): every form with
its version in force and its history; a draft copied from the latest version, edited, previewed
(page and PDF), compared with the version before and published from a month on.

Thin: parse, call one selector or action, render. Everyone but HR is refused (403) on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.appraisal.entries import section_views
from aftersales.appraisal.presentation import KIND_LABELS
from aftersales.core.errors import RuleError
from aftersales.core.forms import GRADINGS, SECTION_KINDS, Template, to_dict
from aftersales.core.periods import Month
from aftersales.formdefs import editor, selectors, services
from aftersales.formdefs.diff import FormDiff, template_diff
from aftersales.formdefs.forms import PublishForm
from aftersales.formdefs.layout import editor_page
from aftersales.formdefs.messages import rule_message
from aftersales.formdefs.models import FormDraft, FormTemplate
from aftersales.printing import render_appraisal_pdf

GRADING_LABELS = dict(FormTemplate.Grading.choices)


def _this_month() -> Month:
    return Month.of(timezone.now())


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Every form: the version in force this month, versions that take effect later, the history."""
    selectors.require_form_editor(request.user)
    month = _this_month()
    context = {"forms": selectors.forms_overview(month), "month": month}
    return render(request, "formdefs/index.html", context)


@require_POST
@login_required
def copy(request: HttpRequest, code: str) -> HttpResponse:
    """复制现行版本: the latest version of the form becomes a draft of the next one."""
    selectors.require_form_editor(request.user)
    version = selectors.latest_version(code)
    if version is None:
        raise Http404
    draft, created = services.draft_copy(version=version, actor=request.user)
    if not created:
        messages.info(request, _("此表已有草稿，请继续编辑或删除后重新复制。"))
    return redirect("formdefs:draft", pk=draft.pk)


# ---------------------------------------------------------------------------------------------
# The draft


def _draft_context(draft: FormDraft, active: str, **extra: Any) -> dict[str, Any]:
    latest = selectors.latest_version(draft.code)
    return {"draft": draft, "latest": latest, "active": active, **extra}


@require_http_methods(["GET", "POST"])
@login_required
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The structured editor: the whole draft is posted and kept as typed; a button adds, removes
    or moves a row; what the rules core refuses is shown next to the field it names."""
    item = selectors.get_draft_for_user(request.user, pk)
    if request.method == "POST":
        data = editor.data_from_post(request.POST)
        operation = request.POST.get("op", "save")
        if operation != "save":
            data = editor.apply(data, operation, request.POST.get("new-section-kind", ""))
        services.draft_save(draft=item, data=data, actor=request.user)
        if operation == "save":
            _saved_message(request, len(editor.check(data, item.code)))
        return redirect("formdefs:draft", pk=item.pk)
    errors = editor.check(item.definition, item.code)
    context = _draft_context(
        item,
        "edit",
        page=editor_page(item.definition, errors),
        gradings=[(code, GRADING_LABELS[code]) for code in GRADINGS],
        kinds=[(code, KIND_LABELS[code]) for code in SECTION_KINDS],
    )
    return render(request, "formdefs/draft.html", context)


def _saved_message(request: HttpRequest, errors: int) -> None:
    if errors:
        messages.warning(request, _("草稿已保存，但还有错误，改正后才能发布。"))
    else:
        messages.success(request, _("草稿已保存，可以预览、比较和发布。"))


_DraftPage = Callable[[HttpRequest, FormDraft, Template], HttpResponse]


def _valid_draft(page: _DraftPage) -> Callable[[HttpRequest, int], HttpResponse]:
    """A page of a draft that needs it valid: HR only (403), the draft as a template, or back to
    the editor with a message while the core still refuses it."""

    @wraps(page)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        item = selectors.get_draft_for_user(request.user, pk)
        try:
            template = editor.template_of(item.definition, item.code)
        except RuleError:
            messages.error(request, _("草稿还有错误，请先在编辑页改正。"))
            return redirect("formdefs:draft", pk=item.pk)
        return page(request, item, template)

    return view


def _diff_to_latest(draft: FormDraft, template: Template) -> FormDiff | None:
    latest = selectors.latest_version(draft.code)
    return template_diff(latest.to_domain(), template) if latest else None


@require_GET
@login_required
@_valid_draft
def draft_preview(request: HttpRequest, item: FormDraft, template: Template) -> HttpResponse:
    """The draft as the appraisal page lays the form out (read-only)."""
    context = _draft_context(item, "preview", template=template, sections=_sections(template))
    return render(request, "formdefs/draft_preview.html", context)


@require_GET
@login_required
@_valid_draft
def draft_pdf(request: HttpRequest, item: FormDraft, template: Template) -> HttpResponse:
    """The draft as a blank printed form."""
    return _pdf(template, f"form-{item.code}-draft.pdf")


@require_GET
@login_required
@_valid_draft
def draft_diff(request: HttpRequest, item: FormDraft, template: Template) -> HttpResponse:
    """What the draft changes against the latest published version."""
    context = _draft_context(item, "diff", diff=_diff_to_latest(item, template))
    return render(request, "formdefs/draft_diff.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@_valid_draft
def draft_publish(request: HttpRequest, item: FormDraft, template: Template) -> HttpResponse:
    """Publish the draft from a month on, with a note; the diff is shown once more beside."""
    earliest = services.earliest_effective_month(item.code)
    default = max(_this_month().shift(1), earliest) if earliest else _this_month().shift(1)
    form = PublishForm(request.POST or None, initial={"effective_month": str(default)})
    if request.method == "POST" and form.is_valid():
        try:
            published = services.draft_publish(
                draft=item,
                actor=request.user,
                effective_from=form.cleaned_data["effective_month"],
                note=form.cleaned_data["note"],
            )
        except RuleError as error:
            field = "effective_month" if error.field == "effective_from" else None
            form.add_error(field, rule_message(error.message))
        else:
            messages.success(
                request,
                _("已发布第%(version)s版，自%(month)s起生效。")
                % {"version": published.version, "month": published.effective_month},
            )
            return redirect("formdefs:index")
    diff = _diff_to_latest(item, template)
    context = _draft_context(item, "publish", form=form, diff=diff, earliest=earliest)
    return render(request, "formdefs/draft_publish.html", context)


@require_POST
@login_required
def draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_draft_for_user(request.user, pk)
    services.draft_discard(draft=item, actor=request.user)
    messages.info(request, _("草稿已删除。"))
    return redirect("formdefs:index")


# ---------------------------------------------------------------------------------------------
# A published version


@require_GET
@login_required
def version(request: HttpRequest, pk: int) -> HttpResponse:
    """A published version as the appraisal page lays it out, and what it changed."""
    row = selectors.get_version_for_user(request.user, pk)
    template = row.to_domain()
    before = selectors.previous_version(row)
    context = {
        "version": row,
        "before": before,
        "template": template,
        "sections": _sections(template),
        "diff": template_diff(before.to_domain(), template) if before else None,
    }
    return render(request, "formdefs/version.html", context)


@require_GET
@login_required
def version_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.get_version_for_user(request.user, pk)
    return _pdf(row.to_domain(), f"form-{row.code}-v{row.version}.pdf")


# ---------------------------------------------------------------------------------------------


def _sections(template: Template) -> list[Any]:
    """The sections as the appraisal page shows a blank form (appraisal/_sections.html)."""
    return section_views(template, {}, {}, (), {})


def _pdf(template: Template, filename: str) -> HttpResponse:
    """A blank printed form (printing.render_appraisal_pdf with no header values)."""
    document = render_appraisal_pdf(to_dict(template), header={})
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
