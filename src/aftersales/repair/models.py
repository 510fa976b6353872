"""Repair jobs (返修, SPEC §10). The KPIs of R-10.2, R-10.3 and the ranking of R-3.4 are computed by
``aftersales.core.repair_kpis`` from :meth:`RepairJob.to_domain` (see selectors.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.core import repair_kpis
from aftersales.organisation.models import Employee


class RepairJob(models.Model):
    """A repair job (返修单, R-10.1): a unit received for repair, its technician and the result."""

    unit_serial = models.CharField(_("产品编号"), max_length=60, db_index=True)
    product = models.CharField(_("产品"), max_length=100)
    fault = models.TextField(_("故障现象"), blank=True)
    received_at = models.DateTimeField(_("接收时间"))
    technician = models.ForeignKey(
        Employee, verbose_name=_("返修技术员"), on_delete=models.PROTECT, related_name="repair_jobs"
    )
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    result = models.TextField(_("返修结果"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("返修单")
        verbose_name_plural = _("返修单")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["technician", "received_at"]),
            models.Index(fields=["completed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completed_at__isnull=True)
                | models.Q(completed_at__gte=models.F("received_at")),
                name="repair_job_completed_after_received",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.unit_serial}"

    @property
    def number(self) -> str:
        return f"FX{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None

    def to_domain(self, technician: str | None = None) -> repair_kpis.RepairJob:
        """The core's job; ``technician`` labels it (default: the technician's id)."""
        label = str(self.technician_id) if technician is None else technician
        return repair_kpis.RepairJob(self.unit_serial, label, self.received_at, self.completed_at)
