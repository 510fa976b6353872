"""HR edits a form in the app (issue 10 item 5; SPEC §2: forms are versioned data, an appraisal pins
its version): copy the latest version, change it with the core's validation, preview it and its PDF,
see the difference to the version before, publish it from a month on — the months before keep
their version."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftersales.appraisal import services as appraisal_services
from aftersales.appraisal.models import Appraisal
from aftersales.core.builtin_forms import REPAIR
from aftersales.core.forms import to_dict
from aftersales.core.periods import Month
from aftersales.formdefs.models import FormDraft, FormTemplate, first_day
from aftersales.formdefs.services import template_publish
from aftersales.organisation.models import Department

pytestmark = pytest.mark.django_db
LEAVE_POST = "sections[4].items[0].deduction"  # 4.3 工作纪律: 未经允许,私自离开工作地点 −5


class _Form(HTMLParser):
    """The fields a browser would post from the page's form ``form_id`` (buttons left out)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif self.inside and tag == "input" and attrs.get("type") not in ("submit", "button"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif self.inside and tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""
        elif self.inside and tag == "select":
            self._select = attrs["name"]
        elif self._select and tag == "option" and ("selected" in attrs or self._select not in self.fields):
            self.fields[self._select] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def posted(page, form_id: str = "draft-form") -> dict[str, str]:
    parser = _Form(form_id)
    parser.feed(page.content.decode())
    return parser.fields


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True
    ).stdout
    return "".join(text.decode().split())  # table cells wrap their text over lines


def this_month() -> Month:
    return Month.of(timezone.now())


def test_hr_copies_edits_sees_the_error_fixes_compares_and_publishes_from_next_month(hr):
    """SPEC §2 / R-2.1: the whole cycle through the pages, then R-4 period opening honours it."""
    index = hr.get(reverse("formdefs:index"))
    assert index.status_code == 200 and "返修人员绩效考核表" in index.content.decode()
    editor_url = hr.post(reverse("formdefs:copy", args=["repair"]))["Location"]
    fields = posted(hr.get(editor_url))
    assert fields[LEAVE_POST] == "5"

    # a deduction of 0 is refused next to its input, and what was typed stays
    fields |= {LEAVE_POST: "0", "sections[4].items[1].text": "存在迟到、早退、旷工现象"}
    assert hr.post(editor_url, fields).status_code == 302
    page = hr.get(editor_url)
    html = page.content.decode()
    assert (
        f'<div class="invalid-feedback d-block field-error" data-field="{LEAVE_POST}">须大于0</div>' in html
    )
    assert posted(page)[LEAVE_POST] == "0"
    assert posted(page)["sections[4].items[1].text"] == "存在迟到、早退、旷工现象"
    draft = FormDraft.objects.get(code="repair")
    assert hr.get(reverse("formdefs:draft-publish", args=[draft.pk])).status_code == 302  # not yet

    # fixed: saved, and the diff shows old → new
    hr.post(editor_url, posted(page) | {LEAVE_POST: "8"})
    assert "field-error" not in hr.get(editor_url).content.decode()
    diff = hr.get(reverse("formdefs:draft-diff", args=[draft.pk])).content.decode()
    assert "未经允许,私自离开工作地点" in diff and "扣分" in diff
    assert '<span class="text-decoration-line-through text-muted">5</span> → <strong>8</strong>' in diff
    assert "存在迟到、早退、旷工现象" in diff

    # published from next month on
    next_month = this_month().shift(1)
    answer = hr.post(
        reverse("formdefs:draft-publish", args=[draft.pk]),
        {"effective_month": str(next_month), "note": "离岗扣8分"},
    )
    assert answer.status_code == 302
    v2 = FormTemplate.objects.get(code="repair", version=2)
    assert (v2.effective_from, v2.note, v2.published_by.username) == (
        first_day(next_month),
        "离岗扣8分",
        "hr",
    )
    assert v2.definition["sections"][4]["items"][0]["deduction"] == "8"
    assert not FormDraft.objects.filter(code="repair").exists()

    # this month keeps version 1; the effective month gets version 2
    department = Department.objects.get(code="as")
    opened = {}
    for month in (this_month(), next_month):
        period = appraisal_services.period_open(
            actor=get_user_model().objects.get(username="hr"),
            department=department,
            year=month.year,
            month=month.month,
        )
        versions = Appraisal.objects.filter(period=period, template_code="repair")
        opened[month] = set(versions.values_list("template_version", flat=True))
    assert opened == {this_month(): {1}, next_month: {2}}


def test_publishing_before_a_month_with_opened_appraisals_is_refused_on_the_page(hr, draft):
    """SPEC §2: earlier months keep their version — a month with appraisals on the form is past."""
    hr_user = get_user_model().objects.get(username="hr")
    appraisal_services.period_open(
        actor=hr_user, department=Department.objects.get(code="as"), year=2025, month=6
    )
    opened = Appraisal.objects.filter(template_code="repair").latest("period__year", "period__month").period
    answer = hr.post(
        reverse("formdefs:draft-publish", args=[draft.pk]),
        {"effective_month": opened.label, "note": "试行"},
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert f"{opened.label}已开启使用本表的考核" in html
    assert str(opened.as_month.shift(1)) in html
    assert not FormTemplate.objects.filter(code="repair", version=2).exists()


def test_preview_lays_the_draft_out_as_the_appraisal_page(hr, draft):
    fields = posted(hr.get(reverse("formdefs:draft", args=[draft.pk])))
    hr.post(reverse("formdefs:draft", args=[draft.pk]), fields | {"sections[4].items[0].text": "擅自离岗"})
    html = hr.get(reverse("formdefs:draft-preview", args=[draft.pk])).content.decode()
    assert 'id="section-work_discipline"' in html  # appraisal/_sections.html
    assert "擅自离岗" in html and "七日返修" in html


def test_pdf_preview_prints_the_changed_item(hr, draft):
    fields = posted(hr.get(reverse("formdefs:draft", args=[draft.pk])))
    hr.post(
        reverse("formdefs:draft", args=[draft.pk]), fields | {"sections[4].items[0].text": "擅自离开返修工位"}
    )
    answer = hr.get(reverse("formdefs:draft-pdf", args=[draft.pk]))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = pdf_text(answer.content)
    assert "返修人员绩效考核表" in text and "擅自离开返修工位" in text
    assert "未经允许" not in text


def test_a_published_version_shows_its_form_pdf_and_what_it_changed(hr):
    definition = to_dict(REPAIR)
    definition["sections"][4]["items"][1]["deduction"] = "3"
    v2 = template_publish(definition=definition, actor=None, note="迟到扣3分")
    html = hr.get(reverse("formdefs:version", args=[v2.pk])).content.decode()
    assert "与第1版相比" in html
    assert '<span class="text-decoration-line-through text-muted">5</span> → <strong>3</strong>' in html
    answer = hr.get(reverse("formdefs:version-pdf", args=[v2.pk]))
    assert answer["Content-Type"] == "application/pdf"
    assert "存在迟到,早退,旷工,电话闲聊现象" in pdf_text(answer.content)


def test_editor_buttons_add_move_and_remove_rows(hr, draft):
    url = reverse("formdefs:draft", args=[draft.pk])
    hr.post(url, posted(hr.get(url)) | {"op": "add-item:4"})
    draft.refresh_from_db()
    assert [item["code"] for item in draft.definition["sections"][4]["items"]] == [
        "leave_post",
        "lateness_absence",
        "item_3",
    ]
    page = hr.get(url)
    assert 'data-field="sections[4].items[2].text">必须填写' in page.content.decode()
    hr.post(url, posted(page) | {"op": "up-item:4:2"})
    hr.post(url, posted(hr.get(url)) | {"op": "remove-item:4:1"})
    draft.refresh_from_db()
    assert [item["code"] for item in draft.definition["sections"][4]["items"]] == [
        "leave_post",
        "lateness_absence",
    ]


def test_a_second_copy_opens_the_draft_there_is(hr, draft):
    answer = hr.post(reverse("formdefs:copy", args=["repair"]), follow=True)
    assert answer.redirect_chain[-1][0] == reverse("formdefs:draft", args=[draft.pk])
    assert FormDraft.objects.filter(code="repair").count() == 1


def test_discarding_the_draft(hr, draft):
    assert hr.post(reverse("formdefs:draft-discard", args=[draft.pk])).status_code == 302
    assert not FormDraft.objects.filter(pk=draft.pk).exists()


def test_the_menu_offers_the_forms_to_hr_only(client, personas):
    for username, shown in (("hr", True), ("head", False), ("engineer", False)):
        client.force_login(get_user_model().objects.get(username=username))
        assert ('id="nav-formdefs"' in client.get(reverse("web:home")).content.decode()) is shown


# ---------------------------------------------------------------------------------------------
# Only HR (SPEC §1): everyone else gets 403 on every page


@pytest.mark.parametrize("username", ["engineer", "regional", "head", "outsider"])
def test_r_1_1_nobody_but_hr_opens_a_form_page(client, personas, username):
    hr = get_user_model().objects.get(username="hr")
    from aftersales.formdefs.services import draft_copy

    v1 = FormTemplate.objects.get(code="repair", version=1)
    draft, _ = draft_copy(version=v1, actor=hr)
    client.force_login(get_user_model().objects.get(username=username))
    pages = [
        ("get", reverse("formdefs:index")),
        ("post", reverse("formdefs:copy", args=["repair"])),
        ("get", reverse("formdefs:version", args=[v1.pk])),
        ("get", reverse("formdefs:version-pdf", args=[v1.pk])),
    ]
    for name in ("draft", "draft-preview", "draft-pdf", "draft-diff", "draft-publish"):
        pages.append(("get", reverse(f"formdefs:{name}", args=[draft.pk])))
    for name in ("draft", "draft-publish", "draft-discard"):
        pages.append(("post", reverse(f"formdefs:{name}", args=[draft.pk])))
    refused = {url: getattr(client, method)(url).status_code for method, url in pages}
    assert set(refused.values()) == {403}, refused
    assert FormDraft.objects.get(pk=draft.pk).definition == draft.definition


# ---------------------------------------------------------------------------------------------
# Query counts (STYLE.md): the list does not grow with the number of versions

# 1 session  2 user  3 the user's groups (HR?)  4 every version with its publisher (no definitions)
# 5 the drafts with their authors. The menu asks nothing more of HR; whether the password must be
# changed first is kept in the session at sign-in (no query).
INDEX_QUERIES = 5


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("formdefs:index")).status_code == 200
    return len(queries)


def test_the_list_page_queries_do_not_grow_with_versions(hr, draft):
    assert _list_queries(hr) == INDEX_QUERIES
    definition = to_dict(REPAIR)
    for points in ("6", "7", "8", "9"):
        definition["sections"][4]["items"][0]["deduction"] = points
        template_publish(definition=definition, actor=None, note=f"v{points}")
    assert FormTemplate.objects.filter(code="repair").count() == 5
    assert _list_queries(hr) == INDEX_QUERIES
