"""R-8.1 service timeliness, satisfaction and complaint rate per month, region and engineer."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.core.periods import SHANGHAI, Month
from aftersales.core.sla import Milestone
from aftersales.service import selectors, services
from aftersales.service.models import Channel
from tests.service.conftest import HOUR, order_request

pytestmark = pytest.mark.django_db
MAY = Month(2024, 5)


def at(day: int, hour: int = 8, month: int = 5) -> datetime:
    return datetime(2024, month, day, hour, 0, tzinfo=SHANGHAI)


def make(people, received, engineers, milestone_after=None, resolve=False, survey=None, **request):
    """An order received at ``received``, dispatched to ``engineers``; its required milestone
    reached ``milestone_after`` hours later (None: never)."""
    order = services.order_receive(
        request=order_request(received_at=received, **request), actor=people.u["dispatcher"]
    )
    staff = [people.e[name] for name in engineers]
    order = services.order_dispatch(
        order=order, actor=people.u["dispatcher"], engineers=staff, in_charge=staff[0], at=received
    )
    engineer = staff[0].user
    if milestone_after is not None:
        reached = received + milestone_after * HOUR
        required = Milestone(order.required_milestone)
        order = services.order_record_milestone(order=order, actor=engineer, milestone=required, at=reached)
        if required is not Milestone.ON_SITE:
            order = services.order_record_milestone(
                order=order, actor=engineer, milestone=Milestone.ON_SITE, at=reached
            )
    if resolve:
        order = services.order_resolve(order=order, actor=engineer, at=order.on_site_at)
    if survey:
        score, day = survey
        services.survey_record(
            order=order, actor=people.u["dispatcher"], respondent="刘工", score=score, at=day
        )
    return order


@pytest.fixture
def may(people):
    other = {"fault": "other", "distance_km": None}
    make(people, at(2), ["engineer"], 20, resolve=True, survey=(5, at(6)))  # on site in time
    make(people, at(3), ["engineer3"], 13, resolve=True, survey=(3, at(7)), **other)  # reply late
    make(people, at(30, 20), ["engineer"])  # on site due May 31, never: missed
    make(people, at(30, 22, month=4), ["engineer2"], 1, **other)  # received in April, due in May: met
    make(people, at(31, 20), ["engineer2"], **other)  # due in June: not in May's timeliness
    make(people, at(15), ["engineer", "engineer2"], 10)  # two engineers, met
    cancelled = make(people, at(16), ["engineer"])
    services.order_cancel(order=cancelled, actor=people.u["dispatcher"], reason="用户取消")
    for employee, founded in (("engineer", True), ("engineer3", False)):
        complaint = services.complaint_record(
            actor=people.u["dispatcher"],
            employee=people.e[employee],
            received_at=at(10),
            channel=Channel.PHONE,
            complainant="刘工",
            content="服务不及时",
        )
        services.complaint_verify(
            complaint=complaint, actor=people.u["regional"], founded=founded, note="核实"
        )


def _rows(rows):
    return {row.label: row for row in rows}


def test_r8_1_totals_of_the_month(people, may):
    table = selectors.service_kpis(people.u["head"], MAY)
    assert len(table.total.due) == 5  # the cancelled order and the one due in June do not count
    assert table.total.timeliness == Decimal(60)  # 3 met of 5
    assert table.total.satisfaction == Decimal(50)  # scores 5 and 3
    assert table.total.received == 5
    assert table.total.complaint_rate == Decimal(20)  # 1 verified complaint / 5 orders received
    assert table.total.meets() == {"timeliness": False, "satisfaction": False, "complaint_rate": False}


def test_r8_1_per_region_and_engineer(people, may):
    table = selectors.service_kpis(people.u["head"], MAY)
    regions, engineers = _rows(table.regions), _rows(table.engineers)
    assert regions["华北区域"].timeliness == Decimal(75)  # 赵磊's and 孙涛's orders: 3 of 4
    assert regions["华南区域"].timeliness == Decimal(0)
    assert engineers["赵磊"].timeliness == Decimal(200) / 3  # 2 of 3
    assert engineers["孙涛"].timeliness == Decimal(100)
    assert engineers["赵磊"].complaint_rate == Decimal(100) / 3  # 1 complaint / 3 orders
    assert engineers["周鹏"].complaints == 0  # the unfounded complaint does not count
    assert engineers["周鹏"].satisfaction == Decimal(0)


def test_r8_1_an_engineer_sees_only_their_own_row(people, may):
    table = selectors.service_kpis(people.u["engineer"], MAY)
    assert [row.label for row in table.engineers] == ["赵磊"]
    assert len(table.total.due) == 3  # only the orders 赵磊 was sent on


def test_r8_1_nothing_in_a_month_is_no_rate_not_zero(people):
    table = selectors.service_kpis(people.u["head"], Month(2019, 1))
    assert (table.total.timeliness, table.total.satisfaction, table.total.complaint_rate) == (
        None,
        None,
        None,
    )
    assert table.total.meets() == {"timeliness": None, "satisfaction": None, "complaint_rate": None}


def test_kpis_take_a_constant_number_of_queries(people, may):
    def count() -> int:
        head = get_user_model().objects.get(username="head")  # a new request: no cached roles or reach
        with CaptureQueriesContext(connection) as queries:
            selectors.service_kpis(head, MAY)
        return len(queries)

    before = count()
    make(people, at(20), ["engineer3", "engineer2"], 5, resolve=True, survey=(4, at(21)))
    make(people, at(21), ["engineer"], 2, resolve=True, survey=(5, at(22)))
    # the user's reach (employee, roles, departments headed or run), then 4 queries: orders with
    # their surveys, assignments with engineers, complaints, the employees the user may see
    assert count() == before


def test_r8_2_while_the_month_runs_a_deadline_to_come_has_not_fallen(people, may):
    """An open order due on May 31 is missed at the month's close, but not yet on May 20."""
    table = selectors.service_kpis(people.u["head"], MAY, now=at(20))
    assert len(table.total.due) == 4  # the order due May 31 20:00 is not counted yet
    assert table.total.timeliness == Decimal(75)
