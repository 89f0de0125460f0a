"""Benchmark: the public council page on a national-scale dataset (issue 6).

    .venv/bin/python bench/national.py [--seconds 30] [--rounds 2] [--reseed]

Seeds about 200 councils with ten years of members, sessions, approved and published
minutes, conclusions, tasks, safety indicators and published annual reports into the
PostgreSQL database ``sosvet_bench_national`` on 127.0.0.1 (bench/dataset.py; created,
and re-created with ``--reseed`` or when the parameters change; otherwise reused), then
serves the project with gunicorn in its production configuration (deploy/gunicorn.conf.py,
DEBUG off, JSON request logs, persistent connections) and measures with wrk at 10
concurrent clients, in the same run and the same gunicorn:

- the baseline: a minimal Django view (``bench/urls.py``: the whole middleware stack, no
  database, no template), served only by the benchmark's URLconf (``bench.settings``);
- the public council page (``public:council``, /javno/<slug>/) of every council in turn,
  uncached (the project has no page cache).

The page's indicator section comes from the indicator section cache
(``councils/public_indicators.py``) in production; the benchmark measures the page twice,
each time in a gunicorn of its own next to its own minimal view: with the cache (emptied
first, so the warm-up fills it) and without it (``INDICATOR_SECTION_CACHE=0``: the
section rendered on every request). ``--indicator-cache on|off`` measures one of them.

It prints requests per second, p50/p95/p99 latency and the CPU time per request
(gunicorn, PostgreSQL) of both, and the ratio of the throughputs. Targets: the public
page at no less than 1/10 of the minimal view's throughput, p95 under 100 ms. Before the
load it measures one client alone, and counts the page's queries: that is where a miss
is explained. The machine's load average is printed too: other work on the machine
takes CPU from the server and shows in the figures. The exit status is the verdict on
the production configuration (with the cache) when it was measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402
from bench.dataset import Scale  # noqa: E402

RATIO_TARGET = 0.1
P95_TARGET_MS = 100.0


def public_paths() -> list[str]:
    """Every published council's public page; fails clearly while the page is missing."""
    from django.urls import NoReverseMatch, reverse

    from councils.models import Council

    slugs = list(
        Council.objects.filter(is_published=True).order_by("slug").values_list("slug", flat=True)
    )
    if not slugs:
        raise SystemExit("The benchmark database has no published council.")
    try:
        return [reverse("public:council", kwargs={"council_slug": slug}) for slug in slugs]
    except NoReverseMatch as error:
        raise SystemExit(
            "The public council page (URL name 'public:council', /javno/<slug>/) does not "
            f"resolve: {error}. It is part of issue 6; the benchmark needs it."
        ) from error


#: INDICATOR_SECTION_CACHE of each configuration measured
INDICATOR_CACHE = {"on": "1", "off": "0"}


def clear_indicator_cache() -> None:
    """Empty the indicator section cache (the benchmark's own directory, bench_env)."""
    from django.core.cache import caches

    from councils.public_indicators import CACHE_ALIAS

    caches[CACHE_ALIAS].clear()


def query_counts(paths: list[str], samples: int = 20) -> dict:
    """The queries of the minimal view and of the public page of ``samples`` councils,
    with and without the indicator section cache (in this process, through the test
    client, after one warm-up request)."""
    from django.test.utils import override_settings

    result = {}
    for mode, value in INDICATOR_CACHE.items():
        with override_settings(INDICATOR_SECTION_CACHE=value == "1"):
            counts = _query_counts(paths, samples)
        result["minimal"] = counts["minimal"]
        result[f"public-{mode}"] = counts["public"]
    return result


def _query_counts(paths: list[str], samples: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    result = {}
    for name, urls in (("minimal", [harness.MINIMAL_PATH] * samples), ("public", paths[:samples])):
        client.get(urls[0])
        counts, sql_ms = [], []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            counts.append(len(captured.captured_queries))
            sql_ms.append(1000 * sum(float(q["time"]) for q in captured.captured_queries))
        result[name] = {
            "queries": statistics.median(counts),
            "queries_min": min(counts),
            "queries_max": max(counts),
            "sql_ms": statistics.median(sql_ms),
            "bytes": len(response.content),
        }
    return result


def measure(server: harness.Server, paths: list[str], args) -> dict:
    clients = {
        "minimal": [("minimal", "", [harness.MINIMAL_PATH])],
        "public": [("public", "", paths)],
    }
    meter = harness.CpuMeter(server)

    def metered(name: str, *, seconds: int, connections: int, threads: int) -> dict:
        meter.start()
        result = harness.run_wrk(
            base_url=server.base_url,
            clients=clients[name],
            seconds=seconds,
            connections=connections,
            threads=threads,
            name=name,
        )
        cpu = meter.stop()
        result["cpu_ms"] = {k: 1000 * s / max(result["requests"], 1) for k, s in cpu.items()}
        return result

    harness.log(f"Warming up ({args.warmup} s each) …")
    for name in clients:
        harness.run_wrk(
            base_url=server.base_url,
            clients=clients[name],
            seconds=args.warmup,
            connections=args.connections,
            threads=args.threads,
            name=f"warm-{name}",
        )
    harness.log("One client alone (5 s each): what one request costs …")
    alone = {name: metered(name, seconds=5, connections=1, threads=1) for name in clients}
    rounds = []
    for number in range(1, args.rounds + 1):
        harness.log(f"Round {number}: {args.seconds} s each, {args.connections} clients …")
        rounds.append(
            {
                name: metered(
                    name,
                    seconds=args.seconds,
                    connections=args.connections,
                    threads=args.threads,
                )
                for name in clients
            }
        )
    return {"alone": alone, "rounds": rounds}


def row_text(label: str, row: dict) -> str:
    return (
        f"  {label:<30} {row['rps']:8.1f} req/s   p50 {harness.ms(row['p50_us'])}"
        f"   p95 {harness.ms(row['p95_us'])}   p99 {harness.ms(row['p99_us'])}"
        f"   errors {row['errors']}   CPU/request: gunicorn {row['cpu_ms']['gunicorn']:.1f} ms,"
        f" PostgreSQL {row['cpu_ms']['postgres']:.1f} ms"
    )


def report(*, scale: Scale, dataset: str, args, costs: dict, results: dict) -> bool:
    load = os.getloadavg()
    print()
    print(
        f"sosvet national benchmark: PostgreSQL {harness.DATABASE}, {scale.councils} councils "
        f"× {scale.years} years ({dataset})"
    )
    print(
        f"  gunicorn (deploy/gunicorn.conf.py): {args.workers} workers × {args.gunicorn_threads}"
        f" threads (gthread), max_requests {args.max_requests or 'off'}; wrk {args.threads}"
        f" threads, {args.connections} connections, {args.seconds} s per figure;"
        f" {os.cpu_count()} CPUs, load average at the end {load[0]:.2f} {load[1]:.2f}"
    )
    for name, label in (
        ("minimal", "minimal view"),
        ("public-on", "public page, indicator section cache on"),
        ("public-off", "public page, indicator section cache off"),
    ):
        cost = costs[name]
        queries = f"{cost['queries']:.0f}"
        if cost["queries_min"] != cost["queries_max"]:
            queries += f" ({cost['queries_min']}–{cost['queries_max']})"
        print(
            f"  {label}: {queries} queries ({cost['sql_ms']:.1f} ms in the database), "
            f"{cost['bytes'] / 1024:.0f} KiB"
        )
    verdicts = {}
    for mode, result in results.items():
        print(f"  Indicator section cache {mode} (a gunicorn of its own):")
        print(row_text("one client, minimal view", result["alone"]["minimal"]))
        print(row_text("one client, public page", result["alone"]["public"]))
        ok = True
        for number, row in enumerate(result["rounds"], start=1):
            minimal, public = row["minimal"], row["public"]
            prefix = f"{number}: " if len(result["rounds"]) > 1 else ""
            print(row_text(f"{prefix}minimal Django view", minimal))
            print(row_text(f"{prefix}public council page", public))
            ratio = public["rps"] / minimal["rps"]
            cpu = {name: sum(row[name]["cpu_ms"].values()) for name in ("minimal", "public")}
            print(
                f"  {prefix}CPU per request (gunicorn + PostgreSQL): minimal"
                f" {cpu['minimal']:.1f} ms, public {cpu['public']:.1f} ms, ratio"
                f" {cpu['minimal'] / cpu['public']:.3f} (what the throughput ratio tends to"
                " when the server has the CPUs to itself)"
            )
            p95 = public["p95_us"] / 1000
            met = ratio >= RATIO_TARGET and p95 < P95_TARGET_MS and public["errors"] == 0
            ok = ok and met
            print(
                f"  {prefix}ratio public/minimal throughput {ratio:.3f} (1/{1 / ratio:.1f}),"
                f" public p95 {p95:.0f} ms; targets ≥ {RATIO_TARGET} and"
                f" < {P95_TARGET_MS:.0f} ms: " + ("OK" if met else "MISSED")
            )
        verdicts[mode] = ok
    print(
        "  Targets: "
        + "; ".join(
            f"indicator section cache {mode}: {'OK' if ok else 'MISSED'}"
            for mode, ok in verdicts.items()
        )
    )
    return verdicts.get("on", all(verdicts.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_dataset_arguments(parser)
    parser.add_argument("--seconds", type=int, default=30, help="length of each measurement")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up before the measurements")
    parser.add_argument("--rounds", type=int, default=2, help="minimal + public, repeated")
    parser.add_argument("--connections", type=int, default=10, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    cpus = os.cpu_count() or 1
    parser.add_argument(
        "--workers", type=int, default=min(2 * cpus + 1, 8), help="gunicorn workers"
    )
    parser.add_argument("--gunicorn-threads", type=int, default=4, help="threads per worker")
    parser.add_argument(
        "--max-requests",
        type=int,
        default=0,
        help="recycle workers after this many requests (production: 2000; default 0, never, "
        "so that no worker's start-up lands inside a measurement)",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--indicator-cache",
        choices=["both", "on", "off"],
        default="both",
        help="measure the page with the indicator section cache, without it, or both",
    )
    args = parser.parse_args()

    env = harness.bench_env(port=args.port)
    scale, dataset = harness.prepare(args=args, env=env)
    paths = public_paths()
    costs = query_counts(paths)

    modes = ["on", "off"] if args.indicator_cache == "both" else [args.indicator_cache]
    results = {}
    for mode in modes:
        harness.log(f"Indicator section cache {mode}:")
        if mode == "on":
            clear_indicator_cache()
        server = harness.Server(
            env={**env, "INDICATOR_SECTION_CACHE": INDICATOR_CACHE[mode]},
            port=args.port,
            workers=args.workers,
            threads=args.gunicorn_threads,
            max_requests=args.max_requests,
        )
        with harness.running(server):
            results[mode] = measure(server, paths, args)
    ok = report(scale=scale, dataset=dataset, args=args, costs=costs, results=results)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
