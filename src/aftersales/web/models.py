"""Records of the web layer that are not business data: which periodic job ran when (the scheduler's
lock) and which create requests were answered already (idempotent creates)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JobRun(models.Model):
    """One run of a periodic job for one due slot (a day, a month). The unique pair is the lock: of
    several processes that find the job due, the one whose insert succeeds runs it."""

    job = models.CharField(max_length=64)
    slot = models.CharField(max_length=16, help_text="the due slot, e.g. 2026-12-06 or 2026-12")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="job_run_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot}"


class AnsweredRequest(models.Model):
    """The first answer to a create request that carried a one-use key — the form token of a page or
    the ``Idempotency-Key`` header of the API. A replay with the same key by the same user gets this
    answer again instead of creating a second record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=128)
    path = models.CharField(max_length=512)
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=128, blank=True)
    location = models.CharField(max_length=1024, blank=True)
    body = models.BinaryField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="answered_request_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
