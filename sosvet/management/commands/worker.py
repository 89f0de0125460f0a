"""``manage.py worker``: django-tasks-db's ``db_worker`` that also records a heartbeat.

django-tasks-db 0.13 keeps no record of its workers, so ``/health/`` could not tell a
running worker from a dead one. This command is ``db_worker`` unchanged (same options,
same loop, same signal handling) plus a daemon thread that upserts the worker's
``WorkerHeartbeat`` row every ``--heartbeat-interval`` seconds (default
``WORKER_HEARTBEAT_SECONDS``) on its own database connection, so a long task does not
delay it. A clean stop (SIGTERM, SIGINT, ``--batch`` or ``--max-tasks`` done) deletes
the row; a killed worker's row simply ages until ``/health/`` reports it stale.
"""

from __future__ import annotations

import logging
import os
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from sosvet import health

logger = logging.getLogger("sosvet.worker")


class HeartbeatThread(threading.Thread):
    """Writes the worker's heartbeat until stopped; a database error is logged, not fatal."""

    def __init__(self, *, worker_id: str, queues: str, interval: float) -> None:
        super().__init__(name="sosvet-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.queues = queues
        self.interval = interval
        self.started_at = timezone.now()
        self._stopped = threading.Event()

    def run(self) -> None:
        # The first heartbeat was written by start_beating() before the thread started.
        try:
            while not self._stopped.wait(self.interval):
                self.beat(refresh_connection=True)
        finally:
            # This thread's own connection (Django connections are per thread).
            connections.close_all()

    def beat(self, *, refresh_connection: bool = False) -> None:
        try:
            if refresh_connection:
                # This thread's connection: reopen it if it broke or is too old.
                close_old_connections()
            health.heartbeat_record(
                worker_id=self.worker_id, queues=self.queues, started_at=self.started_at
            )
        except DatabaseError:
            logger.warning("Worker heartbeat could not be recorded", exc_info=True)

    def start_beating(self) -> None:
        """Prune long-dead workers, write the first heartbeat now, then every interval."""
        try:
            health.heartbeats_prune()
        except DatabaseError:
            logger.warning("Old worker heartbeats could not be pruned", exc_info=True)
        self.beat()
        self.start()

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=10)


class Command(DbWorkerCommand):
    help = (
        "Run the database background worker (db_worker) and record its heartbeat for the "
        "health endpoint."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--heartbeat-interval",
            type=float,
            default=settings.WORKER_HEARTBEAT_SECONDS,
            help="Seconds between two heartbeats (default: WORKER_HEARTBEAT_SECONDS).",
        )

    def handle(self, *args, heartbeat_interval: float, **options) -> None:
        # With --reload the parent process only watches files; the child runs the loop.
        if options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(*args, **options)
        worker_id = options["worker_id"]
        heartbeat = HeartbeatThread(
            worker_id=worker_id,
            queues=options.get("queue_name") or "",
            interval=max(1.0, heartbeat_interval),
        )
        heartbeat.start_beating()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stop()
            try:
                health.heartbeat_remove(worker_id=worker_id)
            except DatabaseError:
                logger.warning("Worker heartbeat could not be removed", exc_info=True)
