"""gunicorn settings for sosvet: ``gunicorn -c deploy/gunicorn.conf.py sosvet.wsgi``.

Every value can be changed without editing this file, through the environment (the
systemd unit reads /etc/sosvet/env). Sizing: each worker process holds one copy of
Django and WeasyPrint (about 120 MB); each thread serves one request at a time and keeps
one PostgreSQL connection open (CONN_MAX_AGE), so one web server uses up to
workers × threads connections.
"""

import multiprocessing
import os
import sys
from pathlib import Path

# The project (for its logging configuration), wherever gunicorn is started from.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sosvet.logs import logging_config  # noqa: E402


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# A UNIX socket handed over by systemd (sosvet-web.socket) takes precedence; otherwise
# gunicorn binds this address (several, comma-separated).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# A draft annual report is rendered to PDF inside the request (about a second); nothing
# else takes long. E-mail is never sent inside a request.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle workers now and then, so that memory stays flat over months.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Addresses allowed to set X-Forwarded-Proto (the reverse proxy). UNIX socket
# connections are always allowed.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No runtime control socket (it would live in the service user's home).
control_socket_disable = True

# Logs: the application logs every request itself (sosvet.request, tokens redacted), so
# gunicorn's access log stays off; its own messages go to stdout through the project's
# logging configuration (sosvet.logs: JSON lines unless LOG_FORMAT=text).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = logging_config(
    log_format=os.environ.get("LOG_FORMAT", "json"), level=loglevel.upper()
)
logconfig_dict["loggers"].update(
    {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        # "…/.env not found" at every start: the settings come from the environment.
        "environ": {"level": "WARNING"},
    }
)
