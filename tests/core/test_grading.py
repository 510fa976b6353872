"""R-3.2 absolute grades and R-3.3 forced distribution."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.core.errors import RuleError
from aftersales.core.grading import (
    DEFAULT_QUOTAS,
    GRADES,
    Grade,
    absolute_grade,
    forced_distribution,
    forced_targets,
    largest_remainder,
)

D = Decimal


def reference_largest_remainder(total, weights):
    """The straightforward method in exact fractions (the core's former implementation): the
    integer implementation must give the same shares, bit for bit."""
    weight_sum = sum((Fraction(w) for w in weights), Fraction(0))
    if total < 0 or weight_sum <= 0 or any(w < 0 for w in weights):
        raise RuleError("nothing to share by")
    exact = [total * Fraction(w) / weight_sum for w in weights]
    shares = [int(share) for share in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in by_remainder[: total - sum(shares)]:
        shares[index] += 1
    return tuple(shares)


def reference_above(scores):
    """above(e) of R-3.3 counted directly: members with a strictly higher score."""
    return [sum(1 for other in scores if other > score) for score in scores]


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", "A"),
        ("90", "A"),
        ("89.99", "B"),
        ("80", "B"),
        ("79.9", "C"),
        ("70", "C"),
        ("69.5", "D"),
        ("60", "D"),
        ("59.99", "E"),
        ("0", "E"),
    ],
)
def test_r3_2_absolute_grade_boundaries(score, grade):
    assert absolute_grade(D(score)) == grade


def test_r3_2_grade_names_and_coefficients():
    assert [g.label for g in GRADES] == ["非常杰出", "出色", "良好", "合格", "待改进"]
    assert [g.coefficient for g in GRADES] == [D("1.0"), D("0.9"), D("0.8"), D("0.7"), D("0.6")]


def test_largest_remainder_gives_leftovers_to_largest_fractions_then_earliest():
    assert largest_remainder(10, [D(1), D(1), D(1)]) == (4, 3, 3)
    assert largest_remainder(3, [D(1), D(2)]) == (1, 2)


def test_largest_remainder_refuses_nothing_to_share_by():
    with pytest.raises(RuleError):
        largest_remainder(5, [D(0), D(0)])


@pytest.mark.parametrize(
    ("size", "targets"),
    [
        (0, [0, 0, 0, 0, 0]),
        (2, [0, 0, 1, 1, 0]),  # the CONTRACTS.md example: fractions .08 .12 .2 .4 .2 after C's 1
        (5, [0, 0, 3, 1, 1]),
        (10, [0, 1, 6, 2, 1]),
        (20, [1, 1, 12, 4, 2]),
        (100, [4, 6, 60, 20, 10]),
    ],
)
def test_r3_3_targets_by_largest_remainder(size, targets):
    assert list(forced_targets(size).values()) == targets


def test_r3_3_equal_fractions_favour_the_better_grade():
    quotas = {Grade.A: D(50), Grade.B: D(50), Grade.C: D(0), Grade.D: D(0), Grade.E: D(0)}
    assert forced_targets(1, quotas)[Grade.A] == 1


@pytest.mark.parametrize(
    "quotas",
    [
        {**DEFAULT_QUOTAS, Grade.E: D(11)},
        {**DEFAULT_QUOTAS, Grade.A: D(-4), Grade.C: D(68)},
        {g: q for g, q in DEFAULT_QUOTAS.items() if g != Grade.E},
    ],
)
def test_r3_3_quotas_must_cover_all_grades_and_sum_to_100(quotas):
    with pytest.raises(RuleError):
        forced_targets(10, quotas)


def test_r3_3_a_tie_straddling_a_boundary_takes_the_better_grade():
    # targets for 10: B 1, C 6, D 2, E 1 → T_B 1, T_C 7, T_D 9, T_E 10
    scores = [D(s) for s in (99, 98, 97, 96, 95, 94, 93, 93, 50, 40)]
    result = forced_distribution(scores)
    assert "".join(m.grade for m in result.members) == "BCCCCCCCDE"
    tied = result.members[7]
    assert (tied.rank, tied.group_size, tied.quota, tied.target) == (7, 10, D(60), 6)


def test_r3_3_contract_example_two_members():
    result = forced_distribution([D("91.5"), D("78")])
    assert [m.grade for m in result.members] == [Grade.C, Grade.D]
    assert [m.rank for m in result.members] == [1, 2]


def test_r3_3_everyone_equal_gets_the_best_grade_with_a_place():
    result = forced_distribution([D(80)] * 10)
    assert {m.grade for m in result.members} == {Grade.B}


scores_strategy = st.lists(
    st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False), max_size=40
)


@st.composite
def quotas_strategy(draw):
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=4, max_size=4)))
    bounds = [0, *cuts, 100]
    return {g: D(bounds[i + 1] - bounds[i]) for i, g in enumerate(GRADES)}


@given(scores_strategy, quotas_strategy())
def test_r3_3_property_monotone_and_ties_share(scores, quotas):
    grades = [m.grade for m in forced_distribution(scores, quotas).members]
    rank = {g: i for i, g in enumerate(GRADES)}
    for i, a in enumerate(scores):
        for j, b in enumerate(scores):
            if a == b:
                assert grades[i] == grades[j]
            elif a > b:
                assert rank[grades[i]] <= rank[grades[j]]


@given(st.lists(st.integers(0, 1000), unique=True, max_size=40), quotas_strategy())
def test_r3_3_property_distinct_scores_fill_the_targets_exactly(scores, quotas):
    result = forced_distribution([D(s) / 10 for s in scores], quotas)
    counts = {g: sum(1 for m in result.members if m.grade == g) for g in GRADES}
    assert counts == dict(result.targets)
    assert sum(result.targets.values()) == len(scores)


# weights as the close makes them (S × f: Decimals of varied exponents), Fractions, and zeros;
# small values make equal remainders frequent
weight_strategy = st.one_of(
    st.decimals(min_value=0, max_value=10**6, places=6, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=100, places=0, allow_nan=False, allow_infinity=False),
    st.integers(0, 5).map(D),
    st.builds(lambda m, e: D(m).scaleb(e), st.integers(0, 10**4), st.integers(-8, 3)),
    st.fractions(min_value=0, max_value=50, max_denominator=12),
)


@given(st.integers(0, 10**7), st.lists(weight_strategy, min_size=1, max_size=60))
def test_largest_remainder_equals_the_fraction_reference(total, weights):
    try:
        expected = reference_largest_remainder(total, weights)
    except RuleError:
        with pytest.raises(RuleError):
            largest_remainder(total, weights)
        return
    shares = largest_remainder(total, weights)
    assert shares == expected
    assert all(type(share) is int for share in shares)
    assert sum(shares) == total


@given(st.integers(-5, 5), st.lists(st.integers(-3, 3).map(D), max_size=6))
def test_largest_remainder_refuses_like_the_reference(total, weights):
    try:
        expected = reference_largest_remainder(total, weights)
    except RuleError:
        with pytest.raises(RuleError):
            largest_remainder(total, weights)
        return
    assert largest_remainder(total, weights) == expected


def test_largest_remainder_ties_go_to_the_earlier_entry():
    assert largest_remainder(1, [D(1), D(1), D(1)]) == (1, 0, 0)
    assert largest_remainder(2, [D(1), D("1.00"), Fraction(1), D(1)]) == (1, 1, 0, 0)
    assert largest_remainder(5, [D("0.5"), D("1.5"), D("0.5"), D("1.5")]) == (1, 2, 0, 2)


@given(scores_strategy, quotas_strategy())
def test_r3_3_rank_is_one_plus_the_strictly_higher_scores(scores, quotas):
    members = forced_distribution(scores, quotas).members
    assert [m.rank - 1 for m in members] == reference_above(scores)
