"""The pay line's grade badge and pay figure (payroll_tags), as the pay sheet, the payroll index and
the line's page show them."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import timezone, translation

from aftersales.payroll.models import CloseLine
from aftersales.payroll.templatetags.payroll_tags import grade_badge, pay_figure


def line(**fields) -> CloseLine:
    values = {"computed_grade": "B", "pay": D("12345.5"), "held": False, "released_at": None, **fields}
    return CloseLine(**values)


@pytest.mark.parametrize(
    ("grade", "badge"),
    [
        ("A", "text-bg-success"),
        ("B", "text-bg-primary"),
        ("C", "text-bg-info"),
        ("D", "text-bg-warning"),
        ("E", "text-bg-danger"),
    ],
)
def test_each_grade_has_its_colour(grade, badge):
    assert grade_badge(line(computed_grade=grade)) == f'<span class="badge {badge}">{grade}</span>'


def test_no_grade_is_a_dash():
    assert grade_badge(line(computed_grade="")) == "—"


def test_an_override_shows_the_grade_given_and_its_reason_escaped():
    html = grade_badge(line(computed_grade="B", override_grade="A", override_reason='表现<突出>"'))
    assert html.startswith('<span class="badge text-bg-success">A</span> ')
    assert 'title="表现&lt;突出&gt;&quot;"' in html
    assert html.endswith(">改判</span>")


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):  # as on a page (the middleware activates the language)
        yield


def test_pay_has_two_decimals_grouped_by_thousands_in_both_languages():
    assert pay_figure(line()) == "12,345.50"  # 千分位, as the pay sheet PDF (Django's zh_Hans has none)
    with translation.override("en"):
        assert pay_figure(line()) == "12,345.50"


def test_pay_says_whether_it_is_held_or_released():
    held = pay_figure(line(held=True, held_reason="appealed"))
    assert held.startswith('12,345.50 <span class="badge text-bg-warning" title="')
    assert held.endswith(">暂缓</span>")
    released = line(held=True, released_at=timezone.now())
    assert pay_figure(released) == '12,345.50 <span class="badge text-bg-success">已解除</span>'
