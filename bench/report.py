"""Benchmark: render the annual report and work plan, and download an adopted one.

    .venv/bin/python bench/report.py [--renders 7] [--downloads 50] [--postgres]

Runs standalone with its own temporary SQLite database (``--postgres``: a fresh
``sosvet_bench_report`` database on 127.0.0.1). Loads the demo data (the Ptuj report
2023 + plan 2024) and builds a large report (40 members, 12 sessions, 60 conclusions),
then prints, each measured in a fresh process so that the first render is really cold
and the peak memory is the document's own:

- the render time of the whole pipeline (assembly from the database + template +
  WeasyPrint, PDF/A-2u, tagged): the first (cold) render and the median of the warm ones;
- the peak memory of that process (and its growth over the process before rendering);
- next to WeasyPrint's own time for a one-page document in the same run (same variant);

and the download time of an adopted report through the Django test client (the stored
bytes: no render may happen). Targets: the demo report under 1.5 s warm, adopted
downloads under 50 ms.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO_TARGET_SECONDS = 1.5
DOWNLOAD_TARGET_MS = 50

ONE_PAGE = """<!DOCTYPE html><html lang="sl"><head><meta charset="utf-8">
<title>Ena stran</title><style>@page {{ size: A4; margin: 25mm }}
html {{ font-family: "DejaVu Sans"; font-size: 10.5pt }}</style></head><body>
<h1>Vabilo na 3. sejo</h1>{paragraphs}</body></html>"""


def configure(database_url: str, media_root: Path) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": "sosvet.settings",
        "SECRET_KEY": "bench-secret-key-0123456789-0123456789-0123456789-0123456789",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "MANIFEST_STATIC": "0",
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "EMAIL_URL": "consolemail://",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    return env


def prepare_postgres() -> str:
    import psycopg2

    connection = psycopg2.connect("dbname=postgres user=postgres host=127.0.0.1")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS sosvet_bench_report")
        cursor.execute("CREATE DATABASE sosvet_bench_report")
    connection.close()
    return "postgres://postgres@127.0.0.1:5432/sosvet_bench_report"


def setup_django() -> None:
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux: VmHWM, which starts afresh at exec;
    ru_maxrss would carry the parent's peak over into the child)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# The measuring child ------------------------------------------------------------------------


def child(kind: str, renders: int) -> None:
    """Render one document ``renders + 1`` times in this fresh process; print JSON."""
    setup_django()
    import weasyprint  # noqa: F401  (imported before timing, as in a running server)

    from reports import annual
    from reports.documents import DEFAULT_PDF_VARIANT
    from reports.models import AnnualReport

    before = peak_rss_mb()
    if kind == "one-page":
        from weasyprint import HTML

        html = ONE_PAGE.format(paragraphs="<p>Spoštovani člani sosveta, vabimo vas.</p>" * 12)

        def render() -> tuple[bytes, float]:
            pdf = HTML(string=html).write_pdf(pdf_variant=DEFAULT_PDF_VARIANT, pdf_tags=True)
            return pdf, 0.0

    else:
        slug, year = {"demo": ("ptuj", 2023), "large": ("veliki", 2023)}[kind]
        report = AnnualReport.objects.select_related("council").get(council__slug=slug, year=year)

        def render() -> tuple[bytes, float]:
            started = time.perf_counter()
            snapshot = annual.report_snapshot(report=report)
            assembled = time.perf_counter() - started
            pdf = annual.report_pdf(council=report.council, snapshot=snapshot, is_draft=False)
            return pdf, assembled

    from pypdf import PdfReader

    times, assembly = [], []
    size = 0
    for _ in range(renders + 1):
        started = time.perf_counter()
        pdf, assembled = render()
        times.append(time.perf_counter() - started)
        assembly.append(assembled)
        size = len(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        json.dumps(
            {
                "cold": times[0],
                "warm": statistics.median(times[1:]),
                "assembly": statistics.median(assembly[1:]),
                "pages": pages,
                "size": size,
                "rss_before": before,
                "rss_peak": peak_rss_mb(),
            }
        )
    )


# The large council ------------------------------------------------------------------------


def make_large_council():
    """40 members of 10 organisations, 12 sessions held in 2023 with 60 conclusions and 60
    tasks, and a full plan for 2024."""
    from councils.models import Council, Membership, Organisation, Person, Term
    from reports.models import AnnualReport, PlannedSession, PlannedTopic
    from sessions.models import AgendaItem, Conclusion, Session, Task

    council = Council.objects.create(
        slug="veliki",
        name="Varnostni sosvet Mestne občine Velenje in sosednjih občin",
        short_name="VS Velenje",
        purpose="Sosvet skrbi za varnost občanov. " * 20,
    )
    term = Term.objects.create(
        council=council, start_date=datetime.date(2022, 12, 1), end_date=datetime.date(2026, 11, 30)
    )
    kinds = [k for k, _label in Organisation.Kind.choices]
    organisations = [
        Organisation.objects.create(
            council=council,
            name=f"Organizacija št. {n} – Šaleška dolina",
            kind=kinds[n % len(kinds)],
        )
        for n in range(10)
    ]
    for n in range(40):
        person = Person.objects.create(
            council=council,
            first_name=f"Člán{n}",
            last_name=f"Žužek-Øvrebø {n}",
            function="predstavnik organizacije v varnostnem sosvetu",
        )
        Membership.objects.create(
            council=council,
            person=person,
            organisation=organisations[n % 10],
            term=term,
            role="chair" if n == 0 else "member",
            kind="non_standing" if n % 7 == 6 else "standing",
            start_date=datetime.date(2022, 12, 1) if n % 5 else datetime.date(2023, 3, 1),
        )
    for month in range(1, 13):
        session = Session.objects.create(
            council=council,
            term=term,
            number=month,
            date=datetime.date(2023, month, 14),
            start_time=datetime.time(13, 0),
            place="Mestna hiša",
            status="held",
        )
        for position in range(1, 5):
            AgendaItem.objects.create(
                session=session,
                position=position,
                title=f"Varnostne razmere in ukrepi na področju {position} v mesecu {month}",
            )
        for number in range(1, 6):
            conclusion = Conclusion.objects.create(
                council=council, session=session, number=number, text="Sprejme se sklep."
            )
            Task.objects.create(
                council=council,
                conclusion=conclusion,
                title="Poročati o izvedbi",
                status="done" if number % 2 else "open",
                due_date=datetime.date(2023, 12, 31),
            )
    report = AnnualReport.objects.create(
        council=council,
        year=2023,
        intro_text="Uvod v poročilo. " * 80,
        membership_text="Članstvo je častno. " * 20,
        sessions_text="Na sejah smo obravnavali varnostne razmere. " * 20,
        planned_sessions_count=12,
        planned_sessions_explanation="Izvedene so bile vse načrtovane seje.",
        conclusion_text="Zaključek poročila. " * 60,
        implementation_text="Člani bodo vabljeni z vabilom.",
        prepared_by="Primož KOROŠAK",
        chair_name="Člán0 Žužek-Øvrebø 0",
        chair_function="župan\npredsednik varnostnega sosveta",
    )
    for month in range(1, 13):
        PlannedSession.objects.create(report=report, number=12 + month, month=month)
        PlannedTopic.objects.create(report=report, text=f"Tema meseca {month}", month=month)
    for organisation in organisations[:6]:
        PlannedTopic.objects.create(
            report=report, kind="presentation", organisation=organisation, text="Projekt"
        )
    adopted_at = Session.objects.filter(council=council).order_by("-date").first()
    return report, adopted_at


# Main -------------------------------------------------------------------------------------


def run_child(kind: str, renders: int, env: dict) -> dict:
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--renders", str(renders)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"the {kind} measurement failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_downloads(downloads: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from councils.models import CouncilRole
    from reports.documents import render_count
    from reports.models import ReportRevision

    mayors_office = get_user_model().objects.get(username="ptuj-zupanstvo")
    client = Client()
    client.force_login(mayors_office)
    result = {}
    for name, slug in (("demo", "ptuj"), ("large", "veliki")):
        revision = ReportRevision.objects.defer("pdf").get(
            report__council__slug=slug, report__year=2023
        )
        # The demo's mayor's office login reads the large council's reports too.
        CouncilRole.objects.get_or_create(
            council=revision.report.council, user=mayors_office, defaults={"role": "mayors_office"}
        )
        url = reverse(
            "reports:revision_pdf",
            kwargs={"council_slug": slug, "year": 2023, "number": revision.number},
        )
        client.get(url)  # warm: session, URL resolver, templates of the middleware
        renders = render_count()
        timings = []
        for _ in range(downloads):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        result[name] = {
            "median_ms": statistics.median(timings) * 1000,
            "max_ms": max(timings) * 1000,
            "size": len(response.content),
            "identical": hashlib.sha256(response.content).hexdigest() == revision.sha256,
            "renders": render_count() - renders,
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=7, help="warm renders per document")
    parser.add_argument("--downloads", type=int, default=50)
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL on 127.0.0.1")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.renders)
        return

    workdir = Path(tempfile.mkdtemp(prefix="sosvet-bench-report-"))
    database_url = prepare_postgres() if args.postgres else f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = configure(database_url, workdir / "media")
    setup_django()
    from django.core.management import call_command

    from reports import services

    call_command("migrate", verbosity=0)
    call_command("load_demo", quiet_logins=True, stdout=io.StringIO())
    large, adopted_at = make_large_council()
    services.report_adopt(
        report=large, by=None, adopted_on=adopted_at.date, adopted_at_session=adopted_at
    )

    one_page = run_child("one-page", args.renders, env)
    demo = run_child("demo", args.renders, env)
    big = run_child("large", args.renders, env)
    downloads = measure_downloads(args.downloads)

    base = one_page["warm"]
    print(f"sosvet annual report benchmark ({'PostgreSQL' if args.postgres else 'SQLite'})")
    print(
        f"  WeasyPrint, one-page document      cold {one_page['cold'] * 1000:6.0f} ms"
        f"   warm {base * 1000:6.0f} ms   (PDF/A-2u, tagged; the baseline)"
    )
    for label, row in (("demo report (Ptuj 2023)", demo), ("large report (40/12/60)", big)):
        print(
            f"  {label:<34} cold {row['cold'] * 1000:6.0f} ms"
            f"   warm {row['warm'] * 1000:6.0f} ms"
            f"   ({row['pages']} pages, {row['size'] / 1024:.0f} KiB;"
            f" assembly {row['assembly'] * 1000:.0f} ms;"
            f" {row['warm'] / base:.1f}× one page)"
        )
        print(
            f"  {'':<34} peak memory {row['rss_peak']:.0f} MiB"
            f" (process before rendering {row['rss_before']:.0f} MiB,"
            f" +{row['rss_peak'] - row['rss_before']:.0f} MiB)"
        )
    for label, row in downloads.items():
        print(
            f"  adopted {label} download            median {row['median_ms']:6.1f} ms"
            f"   max {row['max_ms']:.1f} ms   ({row['size'] / 1024:.0f} KiB,"
            f" identical bytes: {row['identical']}, renders: {row['renders']})"
        )
    ok = (
        demo["warm"] < DEMO_TARGET_SECONDS
        and all(row["median_ms"] < DOWNLOAD_TARGET_MS for row in downloads.values())
        and all(row["identical"] and row["renders"] == 0 for row in downloads.values())
    )
    print(
        f"  targets: demo warm < {DEMO_TARGET_SECONDS} s, adopted download < "
        f"{DOWNLOAD_TARGET_MS} ms, stored bytes served      " + ("OK" if ok else "FAILED")
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
