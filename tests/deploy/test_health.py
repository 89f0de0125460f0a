"""The health endpoint: database, worker heartbeat, no personal data, no cookies."""

from __future__ import annotations

import datetime

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sosvet import health
from sosvet.models import WorkerHeartbeat
from sosvet.tasks import send_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings):
    """The production tasks backend: background work needs a worker."""
    settings.TASKS = DATABASE_TASKS
    settings.HEALTH_WORKER_MAX_AGE_SECONDS = 120


def _heartbeat(worker_id: str, seconds_ago: float) -> WorkerHeartbeat:
    seen = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname="worker-host-7.internal",
        pid=4242,
        queues="default",
        started_at=seen - datetime.timedelta(hours=1),
        last_seen_at=seen,
    )


def test_health_without_worker_when_tasks_run_in_the_web_process(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": {"status": "ok"}, "worker": {"status": "not_used"}}


def test_health_ok_with_a_fresh_heartbeat(client, database_tasks):
    _heartbeat("a" * 32, seconds_ago=10)
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    worker = body["checks"]["worker"]
    assert worker["status"] == "ok"
    assert worker["alive"] == 1
    assert worker["max_age_seconds"] == 120
    assert 10 <= worker["age_seconds"] <= 60
    assert body["checks"]["queue"] == {"ready": 0, "oldest_ready_age_seconds": None}


def test_health_503_when_the_newest_heartbeat_is_too_old(client, database_tasks):
    _heartbeat("old", seconds_ago=3600)
    _heartbeat("older", seconds_ago=7200)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["checks"]["database"] == {"status": "ok"}
    worker = body["checks"]["worker"]
    assert worker["status"] == "stale"
    assert worker["alive"] == 0
    assert worker["age_seconds"] >= 3600


def test_health_503_when_no_worker_ever_reported(client, database_tasks):
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {
        "status": "missing",
        "max_age_seconds": 120,
        "alive": 0,
        "last_heartbeat": None,
        "age_seconds": None,
    }


def test_health_worker_max_age_is_configurable(client, database_tasks, settings):
    _heartbeat("slow", seconds_ago=300)
    assert client.get(reverse("health")).status_code == 503
    settings.HEALTH_WORKER_MAX_AGE_SECONDS = 600
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["max_age_seconds"] == 600


def test_health_reports_waiting_tasks(client, database_tasks):
    _heartbeat("w", seconds_ago=5)
    send_email.enqueue(subject="S", body="B", to=["a@example.test"])
    send_email.enqueue(subject="S", body="B", to=["b@example.test"])
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(seconds=90))
    queue = client.get(reverse("health")).json()["checks"]["queue"]
    assert queue["ready"] == 2
    assert 90 <= queue["oldest_ready_age_seconds"] < 150


class _DeadConnection:
    def cursor(self):
        raise OperationalError("could not connect to server: Connection refused")


def test_health_503_when_the_database_does_not_answer(client, database_tasks, monkeypatch):
    monkeypatch.setattr(health, "connection", _DeadConnection())
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["checks"] == {"database": {"status": "error"}, "worker": {"status": "unknown"}}
    # The error's text (hosts, ports) is not shown.
    assert "refused" not in response.content.decode()


def test_health_shows_no_personal_or_host_data(client, database_tasks, secretary):
    WorkerHeartbeat.objects.all().delete()
    _heartbeat("worker-id-that-stays-private", seconds_ago=1)
    text = client.get(reverse("health")).content.decode()
    for private in ("worker-host-7", "4242", "worker-id-that-stays-private", "tajnik", "@"):
        assert private not in text


def test_health_sets_no_cookie_and_is_not_cached(client, secretary):
    response = client.get(reverse("health"))
    assert not response.cookies
    assert "Set-Cookie" not in response
    assert "no-cache" in response["Cache-Control"]
    # A signed-in browser's session is neither read nor renewed.
    client.force_login(secretary)
    response = client.get(reverse("health"))
    assert not response.cookies


def test_health_answers_get_and_head_only(client):
    assert client.head(reverse("health")).status_code == 200
    assert client.post(reverse("health")).status_code == 405


def test_health_is_not_redirected_to_https(client, settings):
    """Load balancers probe the application server over plain HTTP."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("login")).status_code == 301


def test_health_is_not_throttled_by_axes(client, settings):
    settings.AXES_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="tajnica")
    for _ in range(3):
        client.post(reverse("login"), {"username": "tajnica", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "tajnica", "password": "x"}).status_code == (
        429
    )
    for _ in range(20):
        assert client.get(reverse("health")).status_code == 200


@pytest.mark.parametrize("workers", [1, 3])
def test_health_query_count_is_constant(client, database_tasks, workers, django_assert_num_queries):
    for number in range(workers):
        _heartbeat(f"w{number}", seconds_ago=number)
    # SELECT 1, the heartbeats, the oldest waiting task, the number of waiting tasks.
    with django_assert_num_queries(4):
        assert client.get(reverse("health")).status_code == 200
