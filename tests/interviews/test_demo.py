"""The demo's interviews: some recorded (one with a training suggestion), some missing for the audit."""

from django.utils import timezone

from aftersales.core.interview_rules import Block
from aftersales.core.periods import Month
from aftersales.demo import load_demo
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
