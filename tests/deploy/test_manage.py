"""manage.py in a shell with no configuration: development settings for commands, while
the web server still refuses to start without a secret key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def bare_environment() -> dict[str, str]:
    drop = {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def test_makemigrations_check_runs_without_any_configuration():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=BASE_DIR,
        env=bare_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_the_web_application_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import sosvet.wsgi"],
        cwd=BASE_DIR,
        env={**bare_environment(), "DJANGO_SETTINGS_MODULE": "sosvet.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment" in result.stderr
