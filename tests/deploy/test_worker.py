"""``manage.py worker``: db_worker with a heartbeat row for /health/."""

from __future__ import annotations

import datetime
import io
import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sosvet import health
from sosvet.management.commands.worker import HeartbeatThread
from sosvet.models import WorkerHeartbeat

from .tasks import count_heartbeats

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_heartbeat_record_creates_then_refreshes_one_row():
    first = health.heartbeat_record(worker_id="w1", queues="default")
    assert first.pid and first.hostname
    WorkerHeartbeat.objects.filter(pk=first.pk).update(
        last_seen_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    second = health.heartbeat_record(worker_id="w1", queues="default")
    assert second.pk == first.pk
    assert WorkerHeartbeat.objects.count() == 1
    second.refresh_from_db()
    assert timezone.now() - second.last_seen_at < datetime.timedelta(minutes=1)
    assert second.started_at == first.started_at


@pytest.mark.django_db
def test_heartbeat_remove_and_prune():
    health.heartbeat_record(worker_id="stopped")
    health.heartbeat_record(worker_id="dead")
    health.heartbeat_record(worker_id="alive")
    WorkerHeartbeat.objects.filter(worker_id="dead").update(
        last_seen_at=timezone.now() - datetime.timedelta(days=8)
    )
    health.heartbeat_remove(worker_id="stopped")
    assert health.heartbeats_prune() == 1
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


@pytest.mark.django_db
def test_heartbeat_thread_beats_until_stopped():
    thread = HeartbeatThread(worker_id="t1", queues="default", interval=3600)
    thread.start_beating()
    try:
        assert WorkerHeartbeat.objects.get().worker_id == "t1"
        assert thread.is_alive()
    finally:
        thread.stop()
    assert not thread.is_alive()


@pytest.mark.django_db
def test_heartbeat_failure_is_logged_not_raised(monkeypatch, caplog):
    from django.db import OperationalError

    def boom(**kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr(health, "heartbeat_record", boom)
    HeartbeatThread(worker_id="t2", queues="", interval=1).beat()
    assert "Worker heartbeat could not be recorded" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_worker_runs_tasks_with_a_heartbeat_and_removes_it_when_done(settings):
    settings.TASKS = DATABASE_TASKS
    result = count_heartbeats.enqueue()
    call_command(
        "worker",
        "--batch",
        "--no-startup-delay",
        "--worker-id",
        "test-worker",
        "--heartbeat-interval",
        "1",
        stdout=io.StringIO(),
    )
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL"
    # The task saw the worker's own heartbeat row ...
    assert row.return_value == 1
    assert row.worker_ids == ["test-worker"]
    # ... and the worker removed it when it stopped.
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_heartbeat_thread_refreshes_the_row_on_its_own_connection():
    thread = HeartbeatThread(worker_id="t3", queues="default", interval=0.05)
    thread.start_beating()
    try:
        first = WorkerHeartbeat.objects.get(worker_id="t3").last_seen_at
        deadline = time.monotonic() + 30
        while WorkerHeartbeat.objects.get(worker_id="t3").last_seen_at == first:
            assert time.monotonic() < deadline, "the thread never beat again"
            time.sleep(0.05)
    finally:
        thread.stop()
    assert not thread.is_alive()
