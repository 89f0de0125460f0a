"""deploy/gunicorn.conf.py: gunicorn's own messages go through the project's logging
configuration (sosvet.logs), as JSON lines by default."""

from __future__ import annotations

import json
import logging
import logging.config
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


@pytest.fixture
def restore_logging():
    yield
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_gunicorn_logs_through_the_project_configuration(
    monkeypatch, capsys, restore_logging, log_format
):
    monkeypatch.setenv("LOG_FORMAT", log_format)
    monkeypatch.setenv("LOG_LEVEL", "info")
    conf = runpy.run_path(str(CONF))

    assert conf["accesslog"] is None
    assert conf["logconfig_dict"]["loggers"]["gunicorn.access"]["handlers"] == []
    logging.config.dictConfig(conf["logconfig_dict"])
    logging.getLogger("gunicorn.error").info("Booting worker with pid: %s", 42)

    captured = capsys.readouterr()
    if log_format == "json":
        record = json.loads(captured.out.strip().splitlines()[-1])
        assert record["logger"] == "gunicorn.error" and record["level"] == "INFO"
        assert record["message"] == "Booting worker with pid: 42"
    else:
        assert "Booting worker with pid: 42" in captured.err
