"""Full-width punctuation stays on the Chinese pages (docs/i18n.md, "Punctuation between pieces").

A `：` or `、` typed in a template next to a translated string shows in English too: "Employee
signature：…", "Wang (in charge)、Zhao". Punctuation between a label and its value or between the items
of a list therefore comes from the tags of `aftersales.ui.templatetags.punctuation`, which give the
Chinese mark in Chinese and the English one in English. These tests keep it that way: the tags themselves,
a scan of the templates for marks typed outside a translated string, and English pages that used to
show such a mark after English words (with the same pages in Chinese still showing the full-width marks).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

import aftersales
from aftersales import punctuation
from aftersales.appraisal.models import Agreement, Appraisal
from aftersales.service.models import WorkOrder

PACKAGE = Path(aftersales.__file__).resolve().parent
FULL_WIDTH = "：、，；（）"
# A full-width mark right after English: a letter, optionally a closing parenthesis or a closing tag
# ("in charge</span>、"). Chinese data such as a comment "邮件(出差途中)：…" does not match.
AFTER_ENGLISH = re.compile(rf"[A-Za-z](?:\)|</[a-z0-9]+>)?[{FULL_WIDTH}]")


# --- the tags -------------------------------------------------------------------------------------------
TAGS = (
    "{% load punctuation %}[{% colon %}][{% list_sep %}][{% comma %}][{% semicolon %}][{{ items|join_list }}]"
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "[：][、][，][；][甲、&lt;b&gt;]"),
        ("en", "[: ][, ][, ][; ][甲, &lt;b&gt;]"),
    ],
)
def test_tags_give_the_punctuation_of_the_language(language, expected):
    with translation.override(language):
        assert Template(TAGS).render(Context({"items": ["甲", "<b>"]})) == expected


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "甲、乙：丙，丁"), ("en", "甲, 乙: 丙, 丁")])
def test_python_code_joins_translated_pieces_with_the_same_marks(language, expected):
    """Error messages built in Python (a report's missing fields, a close's waiting departments)
    use aftersales.punctuation, which the tags use too."""
    with translation.override(language):
        text = f"{punctuation.join_list(['甲', '乙'])}{punctuation.colon()}丙{punctuation.comma()}丁"
        assert text == expected


def test_join_list_leaves_escaping_to_the_template():
    template = Template("{% load punctuation %}{% autoescape off %}{{ items|join_list }}{% endautoescape %}")
    with translation.override("en"):
        assert template.render(Context({"items": ["<b>", "c"]})) == "<b>, c"


# --- the templates ----------------------------------------------------------------------------------------
_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
_BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
_TRANSLATE = re.compile(r"\{%\s*trans(?:late)?\s+(?:\"[^\"]*\"|'[^']*').*?%\}", re.S)
_LITERAL = re.compile(r"_\((?:\"[^\"]*\"|'[^']*')\)")


def outside_translation(source: str) -> str:
    """The template with comments and translated strings blanked out (line numbers kept)."""
    for pattern in (_COMMENT, _BLOCK, _TRANSLATE, _LITERAL):
        source = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source)
    return source


def test_outside_translation_keeps_only_what_is_typed_around_translated_strings():
    source = (
        '{% translate "签字" %}：{# 注：#}{% blocktranslate %}共 {{ n }} 项，{% endblocktranslate %}'
        '{{ x|default:_("无，") }}、'
    )
    assert [c for c in outside_translation(source) if c in FULL_WIDTH] == ["：", "、"]


def test_no_full_width_punctuation_is_typed_outside_a_translated_string():
    templates = sorted(PACKAGE.glob("*/templates/**/*.html"))
    assert len(templates) > 50
    typed = []
    for path in templates:
        text = outside_translation(path.read_text(encoding="utf-8"))
        for number, line in enumerate(text.splitlines(), 1):
            if any(mark in line for mark in FULL_WIDTH):
                typed.append(f"{path.relative_to(PACKAGE)}:{number}")
    assert not typed, (
        "full-width punctuation typed in a template shows in English too; put it inside the translated "
        f"string or use {{% colon %}}/{{% list_sep %}}/{{% comma %}}/{{% semicolon %}}/|join_list: {typed}"
    )


# --- pages in English -------------------------------------------------------------------------------------
def _pages() -> None:
    """A month of 售后服务部 with a returned form (孙涛's), a confirmed one with the supervisor's comment
    (赵磊's), 张伟's signed agreement, an order shared by two engineers and an interview."""
    from django.utils import timezone

    from aftersales.appraisal import services
    from aftersales.appraisal.models import Goal
    from aftersales.organisation.models import Department
    from aftersales.service import services as service_services
    from tests.appraisal.helpers import advance
    from tests.interviews.helpers import record
    from tests.service.conftest import order_request

    hr = get_user_model().objects.get(username="hr")
    period = services.period_open(actor=hr, department=Department.objects.get(code="as"), year=2025, month=1)
    form = {a.employee.user.username: a for a in period.appraisals.select_related("employee__user")}
    advance(form["engineer2"], "returned")
    confirmed = advance(form["engineer"], "confirmed")
    Appraisal.objects.filter(pk=confirmed.pk).update(supervisor_comment="工作认真,响应及时")
    supervisor = form["support"].employee.supervisor
    agreement = Agreement.objects.get(
        period=period, employee=form["support"].employee
    )  # opened with the month
    if not agreement.goals.exists():
        Goal.objects.create(agreement=agreement, order=0, title="完成技术文档", weight=70)
    Agreement.objects.filter(pk=agreement.pk).update(
        employee_signed_at=timezone.now(),
        supervisor_signed_at=timezone.now(),
        supervisor_signed_by=supervisor.user,
    )
    dispatcher = get_user_model().objects.get(username="dispatcher")
    order = service_services.order_receive(request=order_request(), actor=dispatcher)
    engineers = [form["engineer"].employee, form["engineer2"].employee]
    service_services.order_dispatch(
        order=order, actor=dispatcher, engineers=engineers, in_charge=engineers[0]
    )
    record("engineer")


def pages_that_had_the_problem() -> list[tuple[str, str, list[str]]]:
    """(user, url, what the Chinese page shows) for pages that typed a mark after a translated string."""
    _pages()
    returned = Appraisal.objects.filter(state="returned").first()
    commented = Appraisal.objects.filter(state="confirmed").exclude(supervisor_comment="").first()
    agreement = Agreement.objects.filter(
        employee_signed_at__isnull=False, supervisor_signed_at__isnull=False
    ).first()
    shared = WorkOrder.objects.annotate(engineers=Count("assignments")).filter(engineers__gt=1).first()
    assert returned and commented and agreement and shared
    history = reverse("appraisal:history", args=[commented.pk])
    return [
        ("hr", reverse("interviews:index"), ["直接主管："]),
        ("hr", reverse("interviews:audit"), ["直接主管："]),
        ("hr", reverse("appraisal:agreement", args=[agreement.pk]), ["员工签字：", "主管签字："]),
        ("regional", reverse("appraisal:detail", args=[returned.pk]), ["部门负责人退回意见：</strong>"]),
        ("hr", reverse("appraisal:detail", args=[commented.pk]), ["主管评语：</strong>"]),
        ("hr", history, ["当时的表单：最终得分", "自评：</strong>"]),
        ("hr", reverse("service:order-detail", args=[shared.pk]), ["</span>、"]),
        ("hr", reverse("service:order-list"), ["(负责)、"]),
    ]


def get(client, username: str, url: str, language: str) -> str:
    client.force_login(get_user_model().objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_english_pages_show_no_full_width_punctuation_after_english(client, personas):
    pages = pages_that_had_the_problem()
    found = {}
    for username, url, _chinese in pages:
        html = get(client, username, url, "en")
        assert '<html lang="en">' in html, url
        hits = [html[max(0, m.start() - 40) : m.end() + 10] for m in AFTER_ENGLISH.finditer(html)]
        if hits:
            found[url] = hits
    assert not found, f"full-width punctuation after English text: {found}"


@pytest.mark.django_db
def test_the_same_pages_in_chinese_keep_their_full_width_punctuation(client, personas):
    for username, url, marks in pages_that_had_the_problem():
        html = get(client, username, url, "zh-hans")
        for mark in marks:
            assert mark in html, (url, mark)
