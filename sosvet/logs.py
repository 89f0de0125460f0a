"""Structured logging: request context on every record, JSON lines in production.

- ``RequestLogMiddleware`` (first in ``MIDDLEWARE``) gives every request an id (the
  proxy's ``X-Request-ID`` when it is well-formed, else a new one), returns it in the
  response's ``X-Request-ID`` header and logs one line per request (``sosvet.request``:
  method, path, status, duration, user id).
- ``RequestContextFilter`` (on the console handler) adds ``request_id``, ``method``,
  ``path`` and ``user_id`` to every record logged while a request is handled, and
  removes secrets: path segments that are tokens (URL parameters whose name contains
  ``token``, such as the RSVP link and the password-reset link) are replaced by
  ``[redacted]`` in the path, the message and the traceback. Query strings are never
  logged. Passwords, e-mail bodies and tokens are never logged by this project's code.
- ``JsonFormatter`` writes one JSON object per line (python-json-logger): ``timestamp``
  (UTC, ISO 8601), ``level``, ``logger``, ``message``, the request fields when there
  are any, other ``extra`` fields, and ``exception`` (the formatted traceback).

``LOG_FORMAT`` chooses ``json`` (default when ``DEBUG=0``) or ``text``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

REDACTED = "[redacted]"
REQUEST_FIELDS = ("request_id", "method", "path", "user_id")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

_current_request: ContextVar = ContextVar("sosvet_current_request", default=None)

request_logger = logging.getLogger("sosvet.request")


def _secrets(request) -> list[str]:
    """The token values in this request's URL (never to appear in a log)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return []
    return [
        str(value)
        for name, value in match.kwargs.items()
        if "token" in name.lower() and value and len(str(value)) >= 4
    ]


def _redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def _user_id(request):
    """The signed-in user's id, only if the request already loaded the user.

    Logging must not cost a query, so a user nobody asked for stays unknown.
    """
    from django.utils.functional import empty

    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty:
        return None
    return getattr(wrapped, "pk", None)


class RequestContextFilter(logging.Filter):
    """Adds the current request's fields to a record and redacts its secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        from django.http import HttpRequest

        request = getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            request = _current_request.get()
        if request is None:
            for field in REQUEST_FIELDS:
                if not hasattr(record, field):
                    setattr(record, field, None)
            return True
        secrets = _secrets(request)
        record.request_id = getattr(request, "request_id", None)
        record.method = request.method
        record.path = _redact(request.path, secrets)
        record.user_id = _user_id(request)
        if secrets:
            message = record.getMessage()
            redacted = _redact(message, secrets)
            if redacted != message:
                record.msg, record.args = redacted, ()
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = _redact(record.exc_text, secrets)
                record.exc_info = None
        return True


class JsonFormatter(_BaseJsonFormatter):
    """One JSON object per line; fields without a value are left out."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s")
        kwargs.setdefault(
            "rename_fields", {"levelname": "level", "name": "logger", "exc_info": "exception"}
        )
        kwargs.setdefault("timestamp", True)
        # The request object Django attaches to its records is replaced by our fields.
        kwargs.setdefault(
            "reserved_attrs", [*RESERVED_ATTRS, "request", "server_time", "color_message"]
        )
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data):
        return {key: value for key, value in log_data.items() if value is not None}


class TextFormatter(logging.Formatter):
    """The development format, with the request id when there is one."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        super().__init__(*args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = getattr(record, "request_id", None)
        return f"{text} [request {request_id}]" if request_id else text


def logging_config(*, log_format: str, level: str) -> dict:
    """The ``LOGGING`` dictionary for ``settings.py``."""
    json_format = log_format == "json"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "sosvet.logs.RequestContextFilter"}},
        "formatters": {
            "json": {"()": "sosvet.logs.JsonFormatter"},
            "text": {"()": "sosvet.logs.TextFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_format else "text",
                "filters": ["request_context"],
                # JSON lines go to stdout (collected by journald or the container runtime).
                "stream": "ext://sys.stdout" if json_format else "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own console handlers would print a second, unstructured copy.
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            "django.server": {"handlers": ["console"], "level": level, "propagate": False},
            "django.db.backends": {"level": "WARNING"},
            "weasyprint": {"level": "WARNING"},
            "weasyprint.progress": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            "mail.log": {"level": "WARNING"},
        },
    }


class RequestLogMiddleware:
    """Request id and one log line per request; the first middleware."""

    # Probes poll these every few seconds: logged at DEBUG so they do not flood the log.
    quiet_paths = ("/health/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supplied = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        reset = _current_request.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            level = logging.DEBUG if request.path in self.quiet_paths else logging.INFO
            if request_logger.isEnabledFor(level):
                request_logger.log(
                    level,
                    "%s %s %s",
                    request.method,
                    _redact(request.path, _secrets(request)),
                    response.status_code,
                    extra={
                        "status": response.status_code,
                        "duration_ms": round((time.monotonic() - started) * 1000, 1),
                        "route": getattr(request.resolver_match, "route", None)
                        if getattr(request, "resolver_match", None)
                        else None,
                    },
                )
            return response
        finally:
            _current_request.reset(reset)
