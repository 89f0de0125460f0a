#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sosvet.settings")
    # A shell with no configuration at all (no SECRET_KEY, no DEBUG, no .env file) is a
    # developer's checkout: commands such as `makemigrations --check` then run with the
    # development settings instead of refusing. Production always sets SECRET_KEY, so it
    # is never affected, and the web server (sosvet/wsgi.py) still refuses to start
    # without it.
    unconfigured = not any(name in os.environ for name in ("SECRET_KEY", "DEBUG"))
    if unconfigured and not (Path(__file__).resolve().parent / ".env").exists():
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
