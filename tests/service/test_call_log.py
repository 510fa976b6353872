"""The call and letter log (R-8.5): numbered in order of receipt, gapless per year, safe under concurrency."""

import threading
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from aftersales.core.periods import SHANGHAI
from aftersales.service import services
from aftersales.service.models import CallLogEntry, Channel


def _record(people, received_at, **extra):
    return services.call_log_record(
        actor=people.u["dispatcher"],
        received_at=received_at,
        channel=Channel.PHONE,
        caller="天津公交集团",
        content="询问保养周期",
        handler=people.e["support"],
        **extra,
    )


@pytest.mark.django_db
def test_r8_5_numbers_follow_receipt_and_restart_each_year(people):
    numbers = [
        _record(people, datetime(2020, 12, 31, 23, 0, tzinfo=SHANGHAI)).number,
        _record(people, datetime(2020, 12, 31, 23, 30, tzinfo=SHANGHAI)).number,
        _record(people, datetime(2021, 1, 1, 0, 10, tzinfo=SHANGHAI)).number,
        _record(people, datetime(2020, 6, 1, 8, 0, tzinfo=SHANGHAI)).number,  # recorded late: next number
    ]
    assert numbers == ["2020-0001", "2020-0002", "2021-0001", "2020-0003"]


@pytest.mark.django_db
def test_r8_5_a_failed_recording_leaves_no_gap(people):
    at = datetime(2024, 3, 1, 9, 0, tzinfo=SHANGHAI)
    first = _record(people, at)
    with pytest.raises(RuntimeError), transaction.atomic():
        _record(people, at)
        raise RuntimeError("the transaction that took a number is rolled back")
    second = _record(people, at)
    assert (first.sequence, second.sequence) == (1, 2)


@pytest.mark.django_db
def test_r8_5_an_unclear_call_is_clarified_before_the_answer(people):
    entry = _record(people, datetime(2024, 3, 1, 9, 0, tzinfo=SHANGHAI), unclear=True)
    with pytest.raises(ValidationError):
        services.call_log_answer(entry=entry, actor=people.u["support"], answer="已答复")
    with pytest.raises(ValidationError):  # filing comes after the answer
        services.call_log_file(entry=entry, actor=people.u["dispatcher"])
    services.call_log_answer(
        entry=entry, actor=people.u["support"], answer="已答复", clarification="已核实车号"
    )
    filed = services.call_log_file(entry=entry, actor=people.u["dispatcher"])
    assert filed.filed_at is not None and filed.clarification == "已核实车号"


@pytest.mark.django_db(transaction=True)
def test_r8_5_concurrent_recordings_get_distinct_gapless_numbers(people):
    """Eight threads record at once: numbers 1..8, each once (the counter row is locked).

    PostgreSQL only (`make test-postgres`): the in-memory SQLite test database answers concurrent
    writers with "table is locked" instead of waiting (on a file, SQLite serialises writers anyway).
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions: run with DATABASE_URL=postgres://…")
    at = datetime(2023, 6, 1, 9, 0, tzinfo=SHANGHAI)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            _record(people, at)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(CallLogEntry.objects.filter(year=2023).values_list("sequence", flat=True))
    assert sequences == list(range(1, 9))
