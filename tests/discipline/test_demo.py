"""The demo's rewards and penalties: a commendation for 赵磊, a demerit for 孙涛, one awaiting approval."""

from aftersales.demo import load_demo
from aftersales.discipline.models import DisciplineRecord, Kind, Status


def _records():
    return sorted(DisciplineRecord.objects.values_list("employee__name", "kind", "status"))


def test_demo_records(demo):
    assert _records() == [
        ("周鹏", Kind.MERIT, Status.PROPOSED),
        ("孙涛", Kind.DEMERIT, Status.APPROVED),
        ("赵磊", Kind.COMMENDATION, Status.APPROVED),
    ]


def test_demo_records_are_loaded_once(demo):
    before = _records()
    load_demo()
    assert _records() == before
