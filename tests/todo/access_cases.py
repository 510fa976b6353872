"""The to-do list and its bulk actions: everyone has a list of their own; a bulk action reaches only
the records of the caller's own list (tests/todo/test_todo.py checks what each row does)."""

from tests.access.cases import EVERYONE, Case


def _someones_form(world):
    from tests.results.factories import AppraisalFactory

    # an archived form of 赵磊: on no one's list, so it comes back refused on a 200 page of results
    appraisal = AppraisalFactory(employee=world.employees["employee"])
    return {"pk": appraisal.pk, "confirm": "1"}


CASES = [
    Case("todo:index", EVERYONE),
    Case("todo:count", EVERYONE),
    Case(
        "todo:bulk",
        EVERYONE,  # a page of per-row results; rows outside one's own list are refused (test_todo.py)
        kwargs=lambda world: {"key": "appraisal-archive"},
        method="post",
        data=_someones_form,
    ),
]
