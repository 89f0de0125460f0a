"""What bench/national.py and bench/load.py share: the database with the national-scale
dataset, the production-like environment, gunicorn, the db_worker, wrk, process memory.

The load generator is wrk (Debian package ``wrk``): a C program on epoll that costs a
small fraction of a core at these rates, so on a two-core machine nearly all the CPU is
left to gunicorn and PostgreSQL, and it records the latency of every request (its
percentiles come from ``bench/wrk_paths.lua``). A Python generator (threads and
http.client) would need most of a core itself at a thousand requests a second and would
hold the GIL while timing, which distorts the fast baseline most and so the ratio.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
WRK_SCRIPT = ROOT / "bench" / "wrk_paths.lua"
WORKDIR = Path(os.environ.get("SOSVET_BENCH_DIR", "/tmp/sosvet-bench"))

DATABASE = "sosvet_bench_national"
PG_ADMIN_DSN = "dbname=postgres user=postgres host=127.0.0.1 port=5432"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
#: bump when bench/dataset.py seeds different data: a stored dataset is then re-seeded
DATASET_VERSION = 2

MINIMAL_PATH = "/__bench__/minimal/"


def bench_env(*, port: int, workdir: Path = WORKDIR) -> dict[str, str]:
    """The production environment (deploy/env.example) on loopback, without TLS.

    DEBUG off, JSON logs of every request at INFO, PostgreSQL with persistent
    connections, static files from collectstatic with the manifest, the database task
    backend, the indicator section cache in a directory of the benchmark's own, the
    URLconf with the benchmark's minimal view (``bench.settings``). Only
    what needs HTTPS or a proxy is off: SSL redirect, secure cookies, BEHIND_PROXY.
    """
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": DATABASE_URL,
        "CONN_MAX_AGE": "600",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "BEHIND_PROXY": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        # The indicator section cache as in production (a directory shared by the
        # workers), in the benchmark's own directory.
        "INDICATOR_SECTION_CACHE_URL": (
            f"filecache://{workdir / 'indicator-sections'}?max_entries=2000"
        ),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_URL": "consolemail://",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "AXES_ENABLED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def log(message: str) -> None:
    print(message, flush=True)


def require_wrk() -> str:
    path = shutil.which("wrk")
    if not path:
        raise SystemExit(
            "wrk is not installed: apt-get install -y wrk (Debian package), then run again."
        )
    return path


# The database ----------------------------------------------------------------------------


def _admin():
    import psycopg2

    connection = psycopg2.connect(PG_ADMIN_DSN)
    connection.autocommit = True
    return connection


def stored_parameters() -> dict | None:
    """The parameters the benchmark database was seeded with (None: none usable)."""
    import psycopg2

    with contextlib.closing(_admin()) as admin, admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        if cursor.fetchone() is None:
            return None
    try:
        connection = psycopg2.connect(f"dbname={DATABASE} user=postgres host=127.0.0.1")
    except psycopg2.Error:
        return None
    with contextlib.closing(connection), connection.cursor() as cursor:
        try:
            cursor.execute("SELECT parameters FROM bench_meta")
        except psycopg2.Error:
            return None
        row = cursor.fetchone()
        return row[0] if row else None


def recreate_database() -> None:
    with contextlib.closing(_admin()) as admin, admin.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [DATABASE],
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        cursor.execute(f'CREATE DATABASE "{DATABASE}"')


def manage(env: dict, *args: str, quiet: bool = True) -> None:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=quiet,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write((result.stdout or "") + (result.stderr or ""))
        raise SystemExit(f"manage.py {' '.join(args)} failed")


def prepare_database(*, scale, env: dict, reseed: bool) -> str:
    """Seed the national dataset unless the database already holds it (same parameters,
    same dataset version); return "reused" or "seeded in N s"."""
    wanted = {**scale.as_dict(), "dataset_version": DATASET_VERSION}
    stored = None if reseed else stored_parameters()
    if stored is not None and stored.get("parameters") == wanted:
        log(f"Reusing the seeded database {DATABASE} ({stored.get('seeded_on')}).")
        manage(env, "migrate", "--no-input", "-v0")
        return "reused"
    log(f"Creating {DATABASE} and seeding it ({_describe(scale)}) …")
    started = time.perf_counter()
    recreate_database()
    manage(env, "migrate", "--no-input", "-v0")
    result = subprocess.run(
        [PYTHON, "-m", "bench.dataset", json.dumps(scale.as_dict())],
        env={**os.environ, **env},
        cwd=ROOT,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit("seeding failed")
    import psycopg2

    connection = psycopg2.connect(f"dbname={DATABASE} user=postgres host=127.0.0.1")
    connection.autocommit = True
    with contextlib.closing(connection), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CREATE TABLE bench_meta (parameters jsonb)")
        cursor.execute(
            "INSERT INTO bench_meta VALUES (%s)",
            [json.dumps({"parameters": wanted, "seeded_on": time.strftime("%Y-%m-%d %H:%M")})],
        )
    seconds = time.perf_counter() - started
    log(f"Seeded in {seconds:.0f} s (with migrations and VACUUM ANALYZE).")
    return f"seeded in {seconds:.0f} s"


def add_dataset_arguments(parser) -> None:
    """The national dataset's scale, and --reseed: what ``prepare`` reads from ``args``."""
    parser.add_argument("--councils", type=int, default=200)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--sessions-per-year", type=int, default=4)
    parser.add_argument("--reseed", action="store_true", help="drop and seed the database again")


def prepare(*, args, env: dict):
    """What both load benchmarks do first: wrk present, static files collected (the
    dataset's PDFs read the stylesheet through them), the national dataset seeded or
    reused, Django set up in this process. Returns the scale and how the dataset was
    obtained ("reused" or "seeded in N s")."""
    from bench.dataset import Scale

    require_wrk()
    WORKDIR.mkdir(parents=True, exist_ok=True)
    scale = Scale(
        councils=args.councils, years=args.years, sessions_per_year=args.sessions_per_year
    )
    collectstatic(env)
    dataset = prepare_database(scale=scale, env=env, reseed=args.reseed)
    setup_django(env)
    return scale, dataset


def _describe(scale) -> str:
    return (
        f"{scale.councils} councils, {scale.years} years, {scale.sessions_per_year} sessions a year"
    )


def collectstatic(env: dict) -> None:
    manage(env, "collectstatic", "--no-input", "-v0")


def setup_django(env: dict) -> None:
    """Django in this process, on the benchmark database (its own requests not logged)."""
    os.environ.update({**env, "LOG_LEVEL": "WARNING"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# Processes -------------------------------------------------------------------------------


def stop_process(process: subprocess.Popen | None, log=None) -> None:
    """SIGTERM (graceful, as systemd stops it), SIGKILL after 30 s; close its log."""
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if log:
        log.close()


class Server:
    """gunicorn with the project's production configuration (deploy/gunicorn.conf.py)."""

    def __init__(self, *, env: dict, port: int, workers: int, threads: int, max_requests: int):
        self.env, self.port = env, port
        self.workers, self.threads, self.max_requests = workers, threads, max_requests
        self.process: subprocess.Popen | None = None
        self.log_path = WORKDIR / "gunicorn.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **os.environ,
            **self.env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_THREADS": str(self.threads),
            "GUNICORN_MAX_REQUESTS": str(self.max_requests),
            "GUNICORN_MAX_REQUESTS_JITTER": str(self.max_requests // 10),
        }
        WORKDIR.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [GUNICORN, "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "sosvet.wsgi"],
            env=env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base_url + MINIMAL_PATH, timeout=2) as answer:
                    if answer.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within 60 s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        return children(self.process.pid) if self.process else []

    def stop(self) -> None:
        stop_process(self.process, getattr(self, "_log", None))


class Worker:
    """``manage.py db_worker``: the background worker, as in production."""

    def __init__(self, *, env: dict):
        self.env = env
        self.process: subprocess.Popen | None = None
        self.log_path = WORKDIR / "db_worker.log"

    def start(self) -> None:
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [PYTHON, str(ROOT / "manage.py"), "db_worker"],
            env={**os.environ, **self.env},
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        time.sleep(3)
        if self.process.poll() is not None:
            raise SystemExit(f"db_worker exited; see {self.log_path}")

    def stop(self) -> None:
        stop_process(self.process, getattr(self, "_log", None))


@contextlib.contextmanager
def running(*processes) -> Iterator[None]:
    started = []
    try:
        for process in processes:
            process.start()
            started.append(process)
        yield
    finally:
        for process in reversed(started):
            process.stop()


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux: /proc/<pid>/task/*/children)."""
    result = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            result += [int(c) for c in (task / "children").read_text().split()]
    return sorted(result)


def rss_mib(pid: int) -> float | None:
    """Resident memory of a process (VmRSS from /proc/<pid>/status), MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat), seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_backends(database: str = DATABASE) -> list[int]:
    """The PostgreSQL server processes serving connections to ``database``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            pids.append(int(entry.name))
    return pids


class CpuMeter:
    """CPU time used by gunicorn (master and workers) and by PostgreSQL's backends of the
    benchmark database between ``start()`` and ``stop()``."""

    def __init__(self, server: Server):
        self.server = server

    def _sample(self) -> dict[str, dict[int, float]]:
        web = [self.server.process.pid, *self.server.worker_pids()]
        return {
            "gunicorn": {pid: cpu_seconds(pid) for pid in web},
            "postgres": {pid: cpu_seconds(pid) for pid in postgres_backends()},
        }

    def start(self) -> None:
        self.before = self._sample()

    def stop(self) -> dict[str, float]:
        after = self._sample()
        return {
            kind: sum(seconds - self.before[kind].get(pid, 0.0) for pid, seconds in now.items())
            for kind, now in after.items()
        }


# wrk ------------------------------------------------------------------------------------


def write_clients(path: Path, clients: list[tuple[str, str, list[str]]]) -> None:
    """clients: (kind, cookie header or "", paths) — the file bench/wrk_paths.lua reads."""
    with path.open("w") as out:
        for kind, cookie, paths in clients:
            out.write("\t".join([kind, cookie or "-", *paths]) + "\n")


def run_wrk(
    *,
    base_url: str,
    clients: list[tuple[str, str, list[str]]],
    seconds: int,
    connections: int,
    threads: int,
    name: str,
    on_progress: Callable[[], None] | None = None,
) -> dict:
    """Run wrk against the clients' paths; return its JSON summary (plus req/s)."""
    wrk = require_wrk()
    clients_file = WORKDIR / f"clients-{name}.tsv"
    write_clients(clients_file, clients)
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_SCRIPT),
        base_url,
        "--",
        str(clients_file),
        str(threads),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if on_progress is not None:
        while process.poll() is None:
            on_progress()
            time.sleep(1)
    stdout, stderr = process.communicate()
    line = next((x for x in stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if process.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({process.returncode}):\n{stdout}\n{stderr}")
    result = json.loads(line[len("WRK_JSON ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    # Every answer other than 200 (this includes wrk's own non-2xx/3xx count) and every
    # socket error.
    result["errors"] = sum(result["socket_errors"].values()) + sum(
        result["errors_by_kind"].values()
    )
    return result


def ms(microseconds: float) -> str:
    return f"{microseconds / 1000:7.1f} ms"
