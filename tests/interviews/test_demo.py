"""The demo's interviews: some recorded (one with a training suggestion), some missing for the audit."""

from django.utils import timezone

from aftersales.core.interview_rules import Block, closes_block
from aftersales.core.periods import Month
from aftersales.demo import load_demo
from aftersales.interviews.demo import _closed_month_interviews
from aftersales.interviews.models import Interview, TrainingRequest, TrainingStatus
from aftersales.interviews.selectors import interview_audit


def test_the_demo_has_interviews_and_training_at_every_status_and_is_idempotent(demo):
    counts = (Interview.objects.count(), TrainingRequest.objects.count())
    assert counts[0] >= 2
    statuses = set(TrainingRequest.objects.filter(source="interview").values_list("status", flat=True))
    assert {TrainingStatus.REQUESTED, TrainingStatus.DONE} <= statuses
    load_demo()
    assert (Interview.objects.count(), TrainingRequest.objects.count()) == counts


def test_r_4_4_the_demo_leaves_interviews_missing_in_the_current_block(demo):
    block = Block.of(Month.of(timezone.localdate()))
    missing = {
        e.user.username for group in interview_audit(block.year, block.number) for e in group.employees
    }
    assert "engineer2" in missing and "engineer" not in missing


def test_r_4_4_when_the_closed_month_ends_its_block_nobody_is_left_to_flag(demo):
    """The demo closes the month before last for pay; when that month closes its block, everyone
    is interviewed in the block, so the audit would hold nobody's pay. (Run for a past day whose
    month before last closes its block, whatever today is.)"""
    this_month = Month.of(timezone.localdate())
    day = next(m.start.date() for m in (this_month, this_month.shift(-1)) if closes_block(m.shift(-2)))
    block = Block.of(Month.of(day).shift(-2))
    assert interview_audit(block.year, block.number, as_of=day)
    _closed_month_interviews(day)
    assert interview_audit(block.year, block.number, as_of=day) == []
    before = Interview.objects.count()
    _closed_month_interviews(day)  # idempotent: nobody is missing any more
    assert Interview.objects.count() == before


def test_when_the_closed_month_opens_its_block_the_demo_adds_no_interviews(demo):
    this_month = Month.of(timezone.localdate())
    day = next(m.start.date() for m in (this_month, this_month.shift(-1)) if not closes_block(m.shift(-2)))
    before = Interview.objects.count()
    _closed_month_interviews(day)
    assert Interview.objects.count() == before
