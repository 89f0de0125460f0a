"""Runs the real background worker once (``db_worker --batch``) and reports its cost.

Used by bench/convene.py in a separate process, so that the worker's peak memory and
its PDF renders are its own. Prints one JSON line.
"""

import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sosvet.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from reports.documents import render_count  # noqa: E402

started = time.perf_counter()
call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
elapsed = time.perf_counter() - started
print(
    json.dumps(
        {
            "seconds": elapsed,
            "renders": render_count(),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )
)
