"""Health of the installation: the database and the background worker's heartbeat.

``health_report()`` is what ``/health/`` returns; ``heartbeat_record()`` and
``heartbeat_remove()`` are what ``manage.py worker`` writes. Nothing here touches
personal data: the report holds statuses, counts and times only.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Heartbeat rows of workers that died without removing their row are deleted after this.
STALE_HEARTBEAT_RETENTION = datetime.timedelta(days=7)


# --- writes (the worker) ------------------------------------------------------------------


def heartbeat_record(
    *, worker_id: str, queues: str = "", started_at: datetime.datetime | None = None
) -> WorkerHeartbeat:
    """Record that the worker ``worker_id`` is alive now (one upsert)."""
    now = timezone.now()
    with transaction.atomic():
        heartbeat, _created = WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"last_seen_at": now, "queues": queues[:255]},
            create_defaults={
                "last_seen_at": now,
                "started_at": started_at or now,
                "queues": queues[:255],
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
            },
        )
    return heartbeat


def heartbeat_remove(*, worker_id: str) -> None:
    """Forget a worker that stopped cleanly."""
    with transaction.atomic():
        WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def heartbeats_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the rows of workers not seen for a week (they died without cleaning up)."""
    cutoff = (now or timezone.now()) - STALE_HEARTBEAT_RETENTION
    with transaction.atomic():
        deleted, _ = WorkerHeartbeat.objects.filter(last_seen_at__lt=cutoff).delete()
    return deleted


# --- reads (the health endpoint) ----------------------------------------------------------


def worker_required() -> bool:
    """Whether background work needs a worker process (the database tasks backend)."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


@dataclass(frozen=True)
class HealthReport:
    healthy: bool
    body: dict[str, Any]


def _seconds(delta: datetime.timedelta) -> int:
    return max(0, int(delta.total_seconds()))


def _database_check() -> dict[str, Any]:
    # The cheapest round trip that proves the connection works.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok"}


def _worker_check(now: datetime.datetime) -> dict[str, Any]:
    max_age = settings.HEALTH_WORKER_MAX_AGE_SECONDS
    if not worker_required():
        # Tasks run inside the web process (immediate backend): there is no worker.
        return {"status": "not_used"}
    cutoff = now - datetime.timedelta(seconds=max_age)
    rows = list(WorkerHeartbeat.objects.order_by("-last_seen_at").values_list("last_seen_at"))
    alive = sum(1 for (seen,) in rows if seen >= cutoff)
    result: dict[str, Any] = {"max_age_seconds": max_age, "alive": alive}
    if not rows:
        result.update(status="missing", last_heartbeat=None, age_seconds=None)
        return result
    last = rows[0][0]
    result.update(
        status="ok" if last >= cutoff else "stale",
        last_heartbeat=last.isoformat(),
        age_seconds=_seconds(now - last),
    )
    return result


def _queue_check(now: datetime.datetime) -> dict[str, Any]:
    """Tasks waiting to run: their number and how long the oldest has waited."""
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "ready": ready.count(),
        "oldest_ready_age_seconds": _seconds(now - oldest) if oldest else None,
    }


def health_report() -> HealthReport:
    """The installation's health: HTTP 200 when ``healthy``, else 503.

    Unhealthy when the database does not answer, or when the database tasks backend is
    in use and no worker has sent a heartbeat within ``HEALTH_WORKER_MAX_AGE_SECONDS``.
    The waiting tasks are reported for monitoring but do not decide the status.
    """
    now = timezone.now()
    checks: dict[str, Any] = {}
    try:
        checks["database"] = _database_check()
    except DatabaseError:
        logger.warning("Health check: the database does not answer", exc_info=True)
        checks["database"] = {"status": "error"}
        checks["worker"] = {"status": "unknown"}
        return HealthReport(healthy=False, body=_body(False, now, checks))
    try:
        checks["worker"] = _worker_check(now)
        if checks["worker"]["status"] != "not_used":
            checks["queue"] = _queue_check(now)
    except DatabaseError:
        logger.warning("Health check: reading the worker heartbeat failed", exc_info=True)
        checks["worker"] = {"status": "unknown"}
        return HealthReport(healthy=False, body=_body(False, now, checks))
    healthy = checks["worker"]["status"] in ("ok", "not_used")
    return HealthReport(healthy=healthy, body=_body(healthy, now, checks))


def _body(healthy: bool, now: datetime.datetime, checks: dict[str, Any]) -> dict[str, Any]:
    return {"status": "ok" if healthy else "unhealthy", "time": now.isoformat(), "checks": checks}
