"""Natural employee-number order (R-3.3, R-5.3): runs of digits compare as integers (E9 before E10),
then the text as is; "the lower employee number" takes the extra unit of an equal remainder."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from aftersales.core.grading import Grade
from aftersales.core.ordering import natural_key
from aftersales.core.pay import PayMember, allocate_pay
from aftersales.payroll.calculation import CloseRules, Member, close_pool

D = Decimal
numbers = st.text(alphabet="E0129a-", max_size=8)
QUOTAS = {Grade.A: D(4), Grade.B: D(6), Grade.C: D(60), Grade.D: D(20), Grade.E: D(10)}


def rules(**changes: object) -> CloseRules:
    base = CloseRules(
        pay_ratio=D("0.30"),
        rounding_unit=D(1),
        quotas=QUOTAS,
        score_cap=D(100),
        coefficient=D(1),
        head_in_pool=True,
        grade_factor_categories=frozenset(),
    )
    return base.but(**changes)


def member(employee_id: int, number: str, score: str) -> Member:
    """A member of a pool at salary 10, so S = 3 at 30 % (R-5.1)."""
    return Member(employee_id, number, "tech_support", standard_salary=D(10), form_total=D(score))


def test_r3_3_digits_compare_as_integers():
    """R-3.3: E9 before E10 (text order would put E10 first)."""
    assert natural_key("E9") < natural_key("E10")
    assert sorted(["E10", "E9", "E100", "E1"], key=natural_key) == ["E1", "E9", "E10", "E100"]
    assert sorted(["SH-10-2", "SH-9-10", "SH-9-2"], key=natural_key) == ["SH-9-2", "SH-9-10", "SH-10-2"]


def test_r3_3_equal_numbers_are_ordered_by_their_text():
    """R-3.3: "then the text as is": E09 and E9 are both nine, so the text decides (E09 < E9)."""
    assert natural_key("E09") < natural_key("E9") < natural_key("E10")
    assert natural_key("E9") < natural_key("e9")  # text as is: upper case before lower case
    assert sorted(["9", "E", "", "E9a", "E9"], key=natural_key) == ["", "9", "E", "E9", "E9a"]


@given(numbers, numbers, numbers)
def test_r3_3_property_the_order_is_total_and_consistent(a, b, c):
    """R-3.3: comparable always (no text compared with an integer), equal keys only for equal
    numbers, antisymmetric and transitive."""
    ka, kb, kc = natural_key(a), natural_key(b), natural_key(c)
    assert (ka == kb) == (a == b)
    assert (ka < kb) + (kb < ka) + (ka == kb) == 1
    if ka <= kb and kb <= kc:
        assert ka <= kc
    assert sorted([a, b, c], key=natural_key) == sorted(sorted([a, b, c]), key=natural_key)


@given(st.text(alphabet="EAB-", max_size=3), st.integers(0, 10**12), st.integers(0, 10**12))
def test_r3_3_property_digits_after_the_same_prefix_compare_as_integers(prefix, m, n):
    assert (natural_key(f"{prefix}{m}") < natural_key(f"{prefix}{n}")) == (m < n)


def test_r5_3_equal_remainders_go_to_the_naturally_lower_number():
    """R-5.3: members listed in natural order (E9 before E10), the equal remainder goes to E9."""
    numbers = ["E10", "E9"]
    ordered = sorted(numbers, key=natural_key)
    members = [PayMember(D(5), D(1)) for _ in ordered]
    pays = dict(zip(ordered, allocate_pay(members, department_coefficient=D("0.5")).pays, strict=True))
    assert pays == {"E9": D(3), "E10": D(2)}


def test_r5_3_close_pool_gives_the_equal_remainder_to_e9_not_e10():
    """R-3.3, R-5.3: close_pool orders its members naturally, whatever order they come in."""
    members = [member(1, "E10", "100"), member(2, "E9", "100")]
    result = close_pool(members, rules(coefficient=D("0.5")))  # S = 3, 3; P = 3: 1.5 each
    assert [line.member.number for line in result.lines] == ["E9", "E10"]
    assert [line.pay for line in result.lines] == [D(2), D(1)]


@given(st.lists(st.integers(1, 200), min_size=2, max_size=12, unique=True), st.randoms())
def test_r5_3_property_extra_units_go_to_the_naturally_lowest_numbers(suffixes, random):
    """R-5.3: equal S and f — everyone gets ⌊P/n⌋ and the P mod n naturally lowest one more,
    whatever order the pool is given in."""
    members = [member(i, f"E{n}", "80") for i, n in enumerate(suffixes)]
    random.shuffle(members)
    result = close_pool(members, rules(coefficient=D("0.9")))
    total, count = int(result.distributable), len(members)
    expected = sorted(suffixes)
    assert [line.member.number for line in result.lines] == [f"E{n}" for n in expected]
    assert [line.pay for line in result.lines] == [
        D(total // count + (1 if rank < total % count else 0)) for rank in range(count)
    ]
