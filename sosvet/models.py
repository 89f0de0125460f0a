"""Site-wide models: the background workers' heartbeats (read by ``/health/``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last sign of life of one background worker process.

    ``manage.py worker`` (``db_worker`` with a heartbeat) writes its row every
    ``WORKER_HEARTBEAT_SECONDS`` and deletes it when it stops cleanly; ``/health/``
    reports the newest ``last_seen_at``. Host name and process id are for operators in
    the admin only; the health endpoint never shows them.
    """

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host name"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    queues = models.CharField(_("queues"), max_length=255, blank=True)
    started_at = models.DateTimeField(_("started at"))
    last_seen_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname or '?'}:{self.pid or '?'} ({self.worker_id})"
