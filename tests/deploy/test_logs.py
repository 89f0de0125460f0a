"""Structured logs: JSON lines, request context, redacted tokens, tracebacks as a field."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from sosvet.logs import REDACTED, JsonFormatter, RequestContextFilter, TextFormatter

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_log():
    """Records of the root and ``django`` loggers as JSON lines, as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    loggers = [logging.getLogger(), logging.getLogger("django")]
    for logger in loggers:
        logger.addHandler(handler)
    old_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.INFO)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    lines.text = stream.getvalue
    yield lines
    for logger in loggers:
        logger.removeHandler(handler)
    logging.getLogger().setLevel(old_level)


def _request_lines(lines):
    return [line for line in lines if line["logger"] == "sosvet.request"]


def test_request_is_logged_as_one_json_object_per_line(client, json_log, secretary):
    client.force_login(secretary)
    response = client.get(reverse("dashboard"), HTTP_X_REQUEST_ID="proxy-id-123")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-id-123"
    [line] = _request_lines(json_log())
    assert line["level"] == "INFO"
    assert line["message"] == "GET /dashboard/ 200"
    assert line["method"] == "GET"
    assert line["path"] == "/dashboard/"
    assert line["status"] == 200
    assert line["route"] == "dashboard/"
    assert line["request_id"] == "proxy-id-123"
    assert line["user_id"] == secretary.pk
    assert line["timestamp"].endswith("+00:00")
    assert isinstance(line["duration_ms"], float)


def test_request_id_is_generated_when_missing_or_malformed(client, json_log):
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID="bad id\nwith newline")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32 and request_id.isalnum()
    [line] = _request_lines(json_log())
    assert line["request_id"] == request_id
    # Nobody signed in and the page did not need the user: no user id, and no query for it.
    assert "user_id" not in line


def test_warnings_of_a_request_carry_its_context(client, json_log):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="r-404")
    lines = json_log()
    [warning] = [line for line in lines if line["logger"] == "django.request"]
    assert warning["level"] == "WARNING"
    assert warning["message"] == "Not Found: /no-such-page/"
    assert warning["request_id"] == "r-404"
    assert warning["status_code"] == 404
    # Django's request object is not dumped into the line.
    assert "request" not in warning
    assert "WSGIRequest" not in json_log.text()


def test_tokens_in_urls_are_redacted(client, json_log):
    token = "Zm9vYmFyLXNlY3JldC10b2tlbg:1tXyZa:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
    client.get(reverse("rsvp", kwargs={"token": token}))
    client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "c0ffee-s3cret-tok"})
    )
    text = json_log.text()
    assert token not in text
    assert "c0ffee-s3cret-tok" not in text
    paths = [line["path"] for line in _request_lines(json_log())]
    assert paths == [f"/rsvp/{REDACTED}/", f"/accounts/reset/MQ/{REDACTED}/"]


def test_passwords_are_not_logged(client, json_log):
    client.post(reverse("login"), {"username": "nobody", "password": "Hunter2-Secret!"})
    assert "Hunter2-Secret!" not in json_log.text()
    assert _request_lines(json_log())[0]["message"] == "POST /accounts/login/ 200"


def test_exception_is_a_field_with_the_traceback():
    formatter = JsonFormatter()
    try:
        raise ValueError("broken thing")
    except ValueError:
        record = logging.getLogger("sosvet.test").makeRecord(
            "sosvet.test", logging.ERROR, __file__, 1, "It failed: %s", ("x",), sys.exc_info()
        )
    RequestContextFilter().filter(record)
    data = json.loads(formatter.format(record))
    assert data["message"] == "It failed: x"
    assert data["level"] == "ERROR"
    assert data["logger"] == "sosvet.test"
    assert data["exception"].startswith("Traceback (most recent call last):")
    assert "ValueError: broken thing" in data["exception"]
    assert "\n" not in formatter.format(record)


def test_text_format_shows_the_request_id():
    record = logging.makeLogRecord({"msg": "hello", "levelname": "INFO", "name": "x"})
    record.request_id = "abc"
    assert TextFormatter().format(record).endswith("INFO x hello [request abc]")


def test_production_settings_write_json_lines_to_stdout(tmp_path):
    """A separate process with DEBUG=0: every line it prints on stdout is a JSON object."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sosvet.settings",
        "DEBUG": "0",
        "SECRET_KEY": "log-test-" + "k" * 50,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "LOG_LEVEL": "DEBUG",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MANIFEST_STATIC": "0",
    }
    env.pop("LOG_FORMAT", None)
    script = (
        "import django\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "client = Client()\n"
        "assert client.get('/health/').status_code == 200\n"
        "assert client.get('/no-such-page/').status_code == 404\n"
        "import logging\n"
        "try:\n"
        "    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    logging.getLogger('sosvet.check').exception('Division failed')\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    lines = [json.loads(line) for line in completed.stdout.splitlines() if line.strip()]
    assert all(isinstance(line, dict) for line in lines)
    by_message = {line["message"]: line for line in lines}
    assert by_message["GET /health/ 200"]["level"] == "DEBUG"
    assert by_message["GET /no-such-page/ 404"]["status"] == 404
    assert by_message["Not Found: /no-such-page/"]["logger"] == "django.request"
    assert "ZeroDivisionError" in by_message["Division failed"]["exception"]
    for line in lines:
        assert {"timestamp", "level", "logger", "message"} <= set(line)
