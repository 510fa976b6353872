"""R-6.4 the reasons catalogue, seeded with articles 9–15 of document 3 in the source's wording."""

from pathlib import Path

import pytest
from django.utils import translation

from aftersales.core import discipline as rules
from aftersales.discipline.models import Kind, RewardReason

SOURCE = Path("/work/shared/seed/seed-cleaned.txt")


@pytest.mark.django_db
def test_r6_4_articles_9_to_15_are_seeded():
    assert sorted(set(RewardReason.objects.values_list("article", flat=True))) == list(range(9, 16))
    assert all(RewardReason.objects.values_list("active", flat=True))


@pytest.mark.django_db
def test_r6_4_article_14_is_split_into_its_five_rules():
    clauses = RewardReason.objects.filter(article=14).order_by("clause")
    assert [(r.clause, r.suggested_kind) for r in clauses] == [
        (1, Kind.MERIT),
        (2, Kind.MERIT),
        (3, Kind.MAJOR_MERIT),
        (4, Kind.MERIT),
        (5, Kind.MAJOR_MERIT),
    ]
    assert clauses[2].text == "连续三年度达成业绩目标者,记大功一次。"
    assert clauses[2].label == "第十四条第三款"


@pytest.mark.django_db
def test_r6_4_a_profit_of_100k_earns_a_further_major_merit():
    """Art. 9 and 10: merit when adopted, a further major merit at ≥ 10 万元 within a year."""
    for article in (9, 10):
        kinds = list(RewardReason.objects.filter(article=article).values_list("suggested_kind", flat=True))
        assert kinds == [Kind.MERIT, Kind.MAJOR_MERIT]
    assert RewardReason.objects.get(article=11).label == "第十一条"
    with translation.override("en"):  # the catalogue is cited in the reader's numbering
        assert RewardReason.objects.get(article=11).label == "Art. 11"
        assert RewardReason.objects.get(article=14, clause=3).label == "Art. 14(3)"


@pytest.mark.django_db
@pytest.mark.skipif(not SOURCE.exists(), reason="the source documents are not on this machine")
def test_r6_4_wording_is_the_sources():
    text = SOURCE.read_text(encoding="utf-8")
    missing = [reason.label for reason in RewardReason.objects.all() if reason.text not in text]
    assert missing == []


def test_r6_1_kinds_are_the_cores():
    assert set(Kind.values) == {kind.value for kind in rules.Kind}
