"""Settings of the benchmarks' gunicorn: the project's settings (from the environment, as
in production) with the benchmarks' URLconf, which adds a minimal view (``bench.urls``).

Production never loads this module, so it has no benchmark URL.
"""

from sosvet.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
