"""Benchmark: where the public council page's time goes, in one process (issue 6).

    .venv/bin/python bench/page_costs.py [--councils-measured 40] [--batches 7]

On the national dataset of bench/national.py (seeded or reused the same way), through
Django's test client in this process — no gunicorn, no wrk, no other process competing —
it prints the CPU time (``time.process_time``: this process only, PostgreSQL's work not
included) of

- the minimal view (the whole middleware stack) and the public council page, with and
  without the indicator section cache;
- each part of the page: every selector it calls (each one query, or two), the links and
  texts computed for the template, the template without the indicator section;
- the floor of the tools: the simplest query the page makes (a council's municipalities)
  through the ORM and the same SQL through a cursor, and the base template alone.

Each figure is the fastest of ``--batches`` batches over the same councils (the least
disturbed by the rest of the machine).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402


def fastest(function, *, batches: int, repeat: int) -> float:
    """Milliseconds of CPU per call of ``function``: the fastest of ``batches`` batches of
    ``repeat`` calls, after one call to warm up."""
    function()
    best = float("inf")
    for _ in range(batches):
        started = time.process_time()
        for _ in range(repeat):
            function()
        best = min(best, (time.process_time() - started) / repeat)
    return 1000 * best


def measure(*, slugs: list[str], batches: int = 7) -> dict[str, float]:
    """{figure: milliseconds of CPU}, over the public pages of ``slugs``."""
    from django.db import connection
    from django.template.loader import get_template
    from django.test import Client, RequestFactory
    from django.test.utils import override_settings
    from django.urls import reverse
    from django.utils import translation

    from councils import public_indicators, public_selectors, public_views
    from councils.models import Municipality
    from reports.selectors import reports_published
    from sessions import public_selectors as session_selectors

    client = Client()
    paths = [reverse("public:council", args=[slug]) for slug in slugs]
    result: dict[str, float] = {}

    def pages() -> None:
        for path in paths:
            client.get(path)

    count = len(paths)
    result["minimal view"] = fastest(
        lambda: client.get(harness.MINIMAL_PATH), batches=batches, repeat=100
    )
    for label, cached in (("cache on", True), ("cache off", False)):
        with override_settings(INDICATOR_SECTION_CACHE=cached):
            result[f"public page, {label}"] = fastest(pages, batches=batches, repeat=1) / count

    councils = [public_selectors.council_page_get(slug=slug) for slug in slugs]
    municipalities = {c.pk: public_selectors.municipalities_of(council=c) for c in councils}

    def each(function):
        return lambda: [function(council) for council in councils]

    parts = {
        "council with its working groups": lambda c: public_selectors.council_page_get(slug=c.slug),
        "founding municipalities": lambda c: public_selectors.municipalities_of(council=c),
        "past sessions with their minutes": lambda c: list(
            session_selectors.sessions_past_public_page(council=c, page=None, per_page=10)
        ),
        "upcoming sessions with their agenda": lambda c: session_selectors.sessions_upcoming_public(
            council=c
        ),
        "published reports": lambda c: reports_published(council=c),
        "members": lambda c: public_selectors.members_public(council=c),
        "indicator values (the section's key)": lambda c: public_indicators.indicator_section(
            council=c, municipalities=[(m.pk, m.name) for m in municipalities[c.pk]]
        ),
    }
    with translation.override("sl"):
        for label, function in parts.items():
            result[f"  {label}"] = fastest(each(function), batches=batches, repeat=1) / count

        request = RequestFactory().get(paths[0])
        view = public_views.CouncilPageView()
        view.setup(request, council_slug=slugs[0])
        view.council = councils[0]
        context = view.get_context_data()
        result["  links and texts (sessions, reports)"] = fastest(
            lambda: (
                public_views._link_sessions(councils[0], context["past_sessions"]),
                public_views._link_reports(councils[0], context["reports"]),
            ),
            batches=batches,
            repeat=20,
        )
        context["indicators"] = ""
        template = get_template(public_views.CouncilPageView.template_name)
        result["  template without the indicator section"] = fastest(
            lambda: template.render(context, request), batches=batches, repeat=20
        )
        base = get_template("base.html")
        result["base template alone"] = fastest(
            lambda: base.render({}, request), batches=batches, repeat=50
        )

    council = councils[0]
    result["simplest query through the ORM"] = fastest(
        lambda: list(Municipality.objects.filter(councils=council).order_by("name")),
        batches=batches,
        repeat=200,
    )
    sql, params = (
        Municipality.objects.filter(councils=council).order_by("name").query.sql_with_params()
    )

    def cursor_query():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    result["the same SQL through a cursor"] = fastest(cursor_query, batches=batches, repeat=200)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_dataset_arguments(parser)
    parser.add_argument("--councils-measured", type=int, default=40)
    parser.add_argument("--batches", type=int, default=7)
    args = parser.parse_args()

    env = harness.bench_env(port=8765)
    scale, dataset = harness.prepare(args=args, env=env)
    from councils.models import Council

    slugs = list(
        Council.objects.filter(is_published=True)
        .order_by("slug")
        .values_list("slug", flat=True)[: args.councils_measured]
    )
    figures = measure(slugs=slugs, batches=args.batches)
    print()
    print(
        f"sosvet public page costs: {scale.councils} councils × {scale.years} years ({dataset}),"
        f" {len(slugs)} councils measured, CPU of this process per page (fastest of"
        f" {args.batches} batches)"
    )
    for label, ms in figures.items():
        print(f"  {label:<46} {ms:7.2f} ms")
    print(
        "  bench/national.py's target, a tenth of the minimal view's throughput, leaves the"
        " page ten times what the minimal view costs under gunicorn (its WSGI handling and"
        " request log included, about 0.8 ms): about 8 ms, PostgreSQL's work included."
    )


if __name__ == "__main__":
    main()
