"""Access matrix of the interview pages and API (R-1.1, R-4.4, R-7.5).

赵磊 (employee) is interviewed by 陈刚 (supervisor, his direct supervisor): only 陈刚 records and
corrects it; the employee, 陈刚, the head and HR see it; HR alone audits and plans training.
"""

from __future__ import annotations

from tests.access.cases import EVERYONE, STAFF_OF_DEPARTMENT, Case
from tests.interviews.helpers import TRAINING, fields, record

ONLY_SUPERVISOR = frozenset({"supervisor"})
ONLY_HR = frozenset({"hr"})


def _interview(world):
    return {"pk": record(**TRAINING).pk}


def _training(world):
    return {"pk": record(**TRAINING).training_request.pk}


def _planned_training(world):
    from aftersales.interviews.services import training_request_plan

    request = record(**TRAINING).training_request
    training_request_plan(request=request, planned_on=None, plan="内训", actor=world.users["hr"])
    return {"pk": request.pk}


def _form_data(world):
    data = {key: str(value) if value is not None else "" for key, value in fields().items()}
    data.update({"items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0", "items-0-phase_goals": "按时提交月报"})
    return data


def _api_data(world):
    data = {key: str(value) if value is not None else None for key, value in fields().items()}
    return data | {"items": [{"phase_goals": "按时提交月报"}]}


CASES = [
    Case("interviews:index", EVERYONE),
    Case("interviews:create", ONLY_SUPERVISOR, kwargs=lambda w: {"employee_pk": w.employees["employee"].pk}),
    Case(
        "interviews:create",
        ONLY_SUPERVISOR,
        kwargs=lambda w: {"employee_pk": w.employees["employee"].pk},
        method="post",
        data=_form_data,
    ),
    Case(
        "interviews:create",
        frozenset(),
        kwargs=lambda w: {"employee_pk": w.employees["outsider"].pk},
        label="outsider",
    ),
    Case("interviews:detail", STAFF_OF_DEPARTMENT, kwargs=_interview),
    Case("interviews:edit", ONLY_SUPERVISOR, kwargs=_interview),
    Case("interviews:pdf", STAFF_OF_DEPARTMENT, kwargs=_interview),
    Case("interviews:audit", ONLY_HR),
    Case("interviews:audit-flag", ONLY_HR, method="post", data=lambda w: {"year": "2026", "month": "4"}),
    Case("interviews:training-list", EVERYONE),
    Case("interviews:training-detail", STAFF_OF_DEPARTMENT, kwargs=_training),
    Case(
        "interviews:training-plan", ONLY_HR, kwargs=_training, method="post", data=lambda w: {"plan": "内训"}
    ),
    Case(
        "interviews:training-close",
        ONLY_HR,
        kwargs=_planned_training,
        method="post",
        data=lambda w: {"actual_effect": "已能独立处理"},
    ),
    Case("api-interviews:interview-list", EVERYONE),
    Case("api-interviews:interview-detail", STAFF_OF_DEPARTMENT, kwargs=_interview),
    Case("api-interviews:training-request-list", EVERYONE),
    Case("api-interviews:training-request-detail", STAFF_OF_DEPARTMENT, kwargs=_training),
    # API twins of the page acts (tests/api/test_twins.py)
    Case(
        "api-interviews:interview-create",
        ONLY_SUPERVISOR,
        kwargs=lambda w: {"pk": w.employees["employee"].pk},
        method="post",
        data=_api_data,
        json=True,
    ),
    Case(
        "api-interviews:interview-edit",
        ONLY_SUPERVISOR,
        kwargs=_interview,
        method="post",
        data=_api_data,
        json=True,
    ),
    Case(
        "api-interviews:audit-flag",
        ONLY_HR,
        method="post",
        data=lambda w: {"year": 2026, "month": 4},
        json=True,
    ),
    Case(
        "api-interviews:training-plan",
        ONLY_HR,
        kwargs=_training,
        method="post",
        data=lambda w: {"plan": "内训"},
        json=True,
    ),
    Case(
        "api-interviews:training-close",
        ONLY_HR,
        kwargs=_planned_training,
        method="post",
        data=lambda w: {"actual_effect": "已能独立处理"},
        json=True,
    ),
]
