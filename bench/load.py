"""Benchmark: a sustained load on the national-scale dataset (issue 7).

    .venv/bin/python bench/load.py [--duration 600] [--clients 20] [--reseed]

Uses the database of bench/national.py (``sosvet_bench_national``, seeded or reused the
same way), serves it with gunicorn in its production configuration and runs the
background worker (``manage.py db_worker``) beside it, as in production. Then 20
concurrent clients (wrk, one connection and one thread each) load it for ``--duration``
seconds (default 10 minutes):

- half are the public: the portal's index and its search, councils' public pages (also
  their second page of sessions), public session pages and annual reports;
- the others are signed in (each logs in through the sign-in form first and keeps its
  session cookie): secretaries and members of different councils, on the dashboard and
  on the session pages (the list, a session, its minutes).

It prints requests per second, p50/p95/p99 latency, the errors (any answer other than 200,
and socket errors; target zero) by kind of page, and the resident memory (VmRSS) of each
process — the gunicorn master, every worker, the db_worker — after the warm-up and at the
end (target: flat). Baselines measured in the same run, in the same gunicorn: the minimal
Django view at the same concurrency (throughput), and each kind of page with one client
alone (latency without load).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402
from bench.dataset import BENCH_PASSWORD  # noqa: E402

PATHS_PER_CLIENT = 60


# What the clients request ----------------------------------------------------------------


def public_paths(rng: random.Random, count: int) -> list[str]:
    """A public visitor's walk: the index, searches, councils' pages, sessions, reports."""
    from django.urls import reverse

    from councils.models import Council
    from reports.models import ReportRevision
    from sessions.models import Session

    councils = list(Council.objects.filter(is_published=True).values_list("pk", "slug"))
    sessions = list(
        Session.objects.filter(status="closed").values_list("council__slug", "pk").order_by("pk")
    )
    reports = list(
        ReportRevision.objects.filter(published_at__isnull=False)
        .values_list("report__council__slug", "report__year")
        .order_by("pk")
    )
    words = ["Bistrica", "Loka", "Gora", "Nova", "sosvet", "Polje"]
    paths = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.1:
            paths.append(reverse("public:index"))
        elif roll < 0.15:
            paths.append(reverse("public:index") + "?" + urlencode({"q": rng.choice(words)}))
        elif roll < 0.45:
            _pk, slug = rng.choice(councils)
            path = reverse("public:council", kwargs={"council_slug": slug})
            paths.append(path + ("?page=2" if rng.random() < 0.2 else ""))
        elif roll < 0.8:
            slug, pk = rng.choice(sessions)
            paths.append(reverse("public:session", kwargs={"council_slug": slug, "pk": pk}))
        else:
            slug, year = rng.choice(reports)
            paths.append(reverse("public:report", kwargs={"council_slug": slug, "year": year}))
    return paths


def signed_in_paths(rng: random.Random, slug: str, kind: str, count: int) -> list[str]:
    """A signed-in user's pages: the dashboard, or the council's session pages."""
    from django.urls import reverse

    from sessions.models import Session

    if kind == "dashboard":
        return [reverse("dashboard")]
    sessions = list(
        Session.objects.filter(council__slug=slug, status__in=["closed", "held"])
        .order_by("-date")
        .values_list("pk", flat=True)[:12]
    )
    paths = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.3:
            paths.append(reverse("sessions:session_list", kwargs={"council_slug": slug}))
        elif roll < 0.7:
            pk = rng.choice(sessions)
            paths.append(
                reverse("sessions:session_detail", kwargs={"council_slug": slug, "pk": pk})
            )
        else:
            pk = rng.choice(sessions)
            paths.append(reverse("sessions:minutes", kwargs={"council_slug": slug, "pk": pk}))
    return paths


# Signing in -------------------------------------------------------------------------------


def sign_in(port: int, username: str, password: str = BENCH_PASSWORD) -> str:
    """Sign in through the form (CSRF cookie and token, as a browser does); return the
    Cookie header that carries the session."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/accounts/login/")
    answer = connection.getresponse()
    page = answer.read().decode()
    cookies = SimpleCookie()
    for header in answer.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if answer.status != 200 or token is None or "csrftoken" not in cookies:
        raise SystemExit(f"the sign-in page answered {answer.status} without a CSRF token")
    body = urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    )
    cookie = f"csrftoken={cookies['csrftoken'].value}"
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    answer = connection.getresponse()
    answer.read()
    for header in answer.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    connection.close()
    if answer.status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"signing in as {username} failed ({answer.status})")
    return f"{cookie}; sessionid={cookies['sessionid'].value}"


# Memory -----------------------------------------------------------------------------------


class MemoryWatch:
    """VmRSS of the gunicorn master, its workers and the db_worker: snapshots and peaks."""

    def __init__(self, server: harness.Server, worker: harness.Worker):
        self.server, self.worker = server, worker
        self.peaks: dict[str, float] = {}
        self.seen_workers: set[int] = set()

    def processes(self) -> dict[str, int]:
        result = {"gunicorn master": self.server.process.pid}
        for number, pid in enumerate(self.server.worker_pids(), start=1):
            result[f"gunicorn worker {number} ({pid})"] = pid
            self.seen_workers.add(pid)
        result["db_worker"] = self.worker.process.pid
        return result

    def snapshot(self) -> dict[str, float]:
        result = {}
        for name, pid in self.processes().items():
            rss = harness.rss_mib(pid)
            if rss is not None:
                result[name] = rss
                self.peaks[name] = max(self.peaks.get(name, 0.0), rss)
        return result


# Main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=600, help="seconds of load (default 600)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--warmup", type=int, default=20, help="seconds before the start")
    harness.add_dataset_arguments(parser)
    cpus = os.cpu_count() or 1
    parser.add_argument("--workers", type=int, default=min(2 * cpus + 1, 8))
    parser.add_argument("--gunicorn-threads", type=int, default=4)
    parser.add_argument(
        "--max-requests",
        type=int,
        default=0,
        help="recycle workers after this many requests (production: 2000). Default 0: the "
        "same workers live through the whole run, so their memory at the end is comparable "
        "with the start",
    )
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    env = harness.bench_env(port=args.port)
    scale, dataset = harness.prepare(args=args, env=env)
    from django.urls import reverse

    from councils.models import Council

    reverse("public:council", kwargs={"council_slug": "x"})  # fails clearly if missing
    rng = random.Random(args.seed)
    public_count = args.clients // 2
    signed_count = args.clients - public_count
    slugs = list(Council.objects.order_by("slug").values_list("slug", flat=True))

    server = harness.Server(
        env=env,
        port=args.port,
        workers=args.workers,
        threads=args.gunicorn_threads,
        max_requests=args.max_requests,
    )
    worker = harness.Worker(env=env)
    with harness.running(server, worker):
        watch = MemoryWatch(server, worker)
        started_memory = watch.snapshot()
        harness.log(f"Signing in {signed_count} users …")
        clients: list[tuple[str, str, list[str]]] = [
            ("public", "", public_paths(rng, PATHS_PER_CLIENT)) for _ in range(public_count)
        ]
        for number in range(signed_count):
            index = number * (len(slugs) // max(signed_count, 1)) % len(slugs)
            role = "tajnik" if number % 2 == 0 else "clan"
            cookie = sign_in(args.port, f"bench-{role}-{index + 1:03d}")
            kind = "dashboard" if number % 3 == 0 else "session"
            paths = signed_in_paths(rng, slugs[index], kind, PATHS_PER_CLIENT)
            clients.append((kind, cookie, paths))

        common = {"base_url": server.base_url, "connections": args.clients}
        harness.log(f"Warming up ({args.warmup} s) …")
        harness.run_wrk(
            clients=clients, seconds=args.warmup, threads=args.clients, name="warm", **common
        )
        harness.log("Baselines: the minimal view (10 s), each kind of page alone (5 s each) …")
        minimal = harness.run_wrk(
            clients=[("minimal", "", [harness.MINIMAL_PATH])],
            seconds=10,
            threads=2,
            name="minimal",
            **common,
        )
        alone = {}
        for kind in ("public", "dashboard", "session"):
            mine = [c for c in clients if c[0] == kind][:1]
            if mine:
                alone[kind] = harness.run_wrk(
                    base_url=server.base_url,
                    clients=mine,
                    seconds=5,
                    connections=1,
                    threads=1,
                    name=f"alone-{kind}",
                )
        start_memory = watch.snapshot()
        samples = []
        last = [0.0]

        def progress() -> None:
            now = time.monotonic()
            if now - last[0] >= 10:
                last[0] = now
                samples.append(sum(watch.snapshot().values()))

        harness.log(f"Load: {args.clients} clients for {args.duration} s …")
        load = harness.run_wrk(
            clients=clients,
            seconds=args.duration,
            threads=args.clients,
            name="load",
            on_progress=progress,
            **common,
        )
        end_memory = watch.snapshot()
        recycled = len(watch.seen_workers) - args.workers

    ok = report(
        args=args,
        scale=scale,
        dataset=dataset,
        clients=clients,
        minimal=minimal,
        alone=alone,
        load=load,
        memory=(started_memory, start_memory, end_memory, watch.peaks),
        samples=samples,
        recycled=recycled,
    )
    sys.exit(0 if ok else 1)


def report(*, args, scale, dataset, clients, minimal, alone, load, memory, samples, recycled):
    started, start, end, peaks = memory
    load_average = os.getloadavg()
    kinds = {}
    for kind, _cookie, _paths in clients:
        kinds[kind] = kinds.get(kind, 0) + 1
    print()
    print(
        f"sosvet load benchmark: PostgreSQL {harness.DATABASE}, {scale.councils} councils × "
        f"{scale.years} years ({dataset}); {args.duration} s, {args.clients} clients ("
        + ", ".join(f"{count} {kind}" for kind, count in kinds.items())
        + ")"
    )
    print(
        f"  gunicorn (deploy/gunicorn.conf.py): {args.workers} workers × {args.gunicorn_threads}"
        f" threads, max_requests {args.max_requests or 'off'}; db_worker running; "
        f"{os.cpu_count()} CPUs, load average at the end {load_average[0]:.2f}"
    )
    print(
        f"  load          {load['rps']:8.1f} req/s   p50 {harness.ms(load['p50_us'])}   p95 "
        f"{harness.ms(load['p95_us'])}   p99 {harness.ms(load['p99_us'])}   max "
        f"{harness.ms(load['max_us'])}   {load['requests']} requests"
    )
    by_kind = ", ".join(f"{k} {v}" for k, v in sorted(load["requests_by_kind"].items()))
    print(f"  requests by kind: {by_kind}")
    errors = load["errors"]
    detail = ", ".join(f"{k}: {v}" for k, v in sorted(load["errors_by_kind"].items()))
    sockets = ", ".join(f"{k} {v}" for k, v in load["socket_errors"].items() if v)
    print(
        f"  errors: {errors}"
        + (f" ({detail})" if detail else "")
        + (f"; socket errors: {sockets}" if sockets else "")
        + "   target 0: "
        + ("OK" if errors == 0 else "MISSED")
    )
    print(
        f"  baseline, minimal Django view at {args.clients} clients: {minimal['rps']:.1f} req/s"
        f" (p95 {harness.ms(minimal['p95_us']).strip()}); the load's throughput is "
        f"{load['rps'] / minimal['rps']:.3f} of it"
    )
    for kind, row in alone.items():
        print(
            f"  baseline, {kind} pages with one client alone: p50 {harness.ms(row['p50_us'])}, "
            f"p95 {harness.ms(row['p95_us'])}"
        )
    print(
        f"  under load the mix's p50 is {load['p50_us'] / max(alone['public']['p50_us'], 1):.1f}×"
        " the public pages' p50 alone"
    )
    print("  memory (VmRSS, MiB)       after start-up   after warm-up      at the end    change")
    flat = True
    for name in start:
        if name not in end:
            continue
        change = end[name] - start[name]
        share = change / start[name] if start[name] else 0.0
        flat = flat and share <= 0.1
        print(
            f"  {name:<26}{started.get(name, float('nan')):>12.1f}{start[name]:>16.1f}"
            f"{end[name]:>16.1f}{change:>+10.1f} ({share:+.0%}; peak {peaks.get(name, 0):.1f})"
        )
    total_start, total_end = sum(start.values()), sum(end.values())
    print(
        f"  {'all processes':<26}{sum(started.values()):>12.1f}{total_start:>16.1f}"
        f"{total_end:>16.1f}{total_end - total_start:>+10.1f}"
    )
    if samples:
        print(
            "  total every 10 s: "
            + " ".join(f"{s:.0f}" for s in samples[:: max(1, len(samples) // 20)])
        )
    if recycled > 0:
        print(f"  {recycled} worker(s) were recycled (max_requests) during the run")
    print(
        "  targets: zero errors, memory flat (every process within +10 % of its size after "
        "the warm-up): " + ("OK" if errors == 0 and flat else "MISSED")
    )
    return errors == 0 and flat


if __name__ == "__main__":
    main()
