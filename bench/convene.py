"""Benchmark: convene a session with 200 recipients against a loopback SMTP server.

    .venv/bin/python bench/convene.py [--recipients 200] [--postgres]

Prints the request time to queue the batch (the secretary's "send" request), the
worker's time to deliver it (``manage.py db_worker --batch`` in its own process), the
PDF renders per batch (must be 1) and the worker's peak memory, each next to a baseline
measured in the same run: the same request with 1 recipient, and plain ``smtplib``
sending the same number of messages of the same size over one connection (the floor
for any delivery code).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def configure(database_url: str, smtp_port: int) -> dict:
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
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    return env


def prepare_postgres() -> str:
    import psycopg2

    connection = psycopg2.connect("dbname=postgres user=postgres host=127.0.0.1")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS sosvet_bench")
        cursor.execute("CREATE DATABASE sosvet_bench")
    connection.close()
    return "postgres://postgres@127.0.0.1:5432/sosvet_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL on 127.0.0.1")
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.messages: list[tuple[str, int]] = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.rcpt_tos[0], len(envelope.content)))
            return "250 OK"

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()

    workdir = Path(tempfile.mkdtemp(prefix="sosvet-bench-"))
    database_url = prepare_postgres() if args.postgres else f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = configure(database_url, port)
    os.environ["MEDIA_ROOT"] = str(workdir / "media")

    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from councils.models import CouncilRole, Membership, Organisation, Person
    from sessions import selectors
    from sessions.models import AgendaItem, Delivery, Session
    from tests.factories import CouncilFactory, TermFactory, UserFactory

    call_command("migrate", verbosity=0)

    def make_council(slug: str, members: int):
        council = CouncilFactory(slug=slug, name=f"Varnostni sosvet {slug}")
        today = datetime.date.today()
        TermFactory(
            council=council,
            start_date=today - datetime.timedelta(days=365),
            end_date=today + datetime.timedelta(days=365 * 3),
        )
        secretary = UserFactory(username=f"tajnik-{slug}")
        CouncilRole.objects.create(council=council, user=secretary, role="secretary")
        organisation = Organisation.objects.create(council=council, name="Policijska postaja")
        for n in range(members):
            person = Person.objects.create(
                council=council,
                first_name=f"Član{n}",
                last_name="Šuštaršič",
                email=f"clan{n}@{slug}.example",
            )
            Membership.objects.create(
                council=council,
                person=person,
                organisation=organisation,
                start_date=today - datetime.timedelta(days=30),
            )
        session = Session.objects.create(
            council=council,
            number=1,
            date=today + datetime.timedelta(days=14),
            start_time=datetime.time(17, 0),
            end_time=datetime.time(19, 0),
            place="Mestna hiša, sejna soba",
        )
        for position, title in enumerate(
            [
                "Potrditev zapisnika prejšnje seje",
                "Varnostne razmere v občini v letu 2026",
                "Varnost šolskih poti – poročilo redarstva",
                "Zagotavljanje varnosti v času decembrskih praznikov",
                "Razno",
            ],
            start=1,
        ):
            AgendaItem.objects.create(session=session, position=position, title=title)
        return council, secretary, session

    def convene(council, secretary, session) -> float:
        client = Client()
        client.force_login(secretary)
        url = reverse(
            "sessions:invitation_send", kwargs={"council_slug": council.slug, "pk": session.pk}
        )
        memberships = [m.pk for m in selectors.invitation_default_people(session=session)]
        client.get(url)  # warm the templates and the session, as a secretary's preview does
        started = time.perf_counter()
        response = client.post(url, {"memberships": memberships, "guests": "", "message": ""})
        elapsed = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        return elapsed

    def run_worker() -> dict:
        result = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "_worker.py")],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])

    # Warm-up (imports, template compilation), then the baseline: one recipient.
    convene(*make_council("warmup", 1))
    run_worker()
    small = make_council("one", 1)
    base_request = convene(*small)
    base_worker = run_worker()
    sink.messages.clear()

    big = make_council("many", args.recipients)
    request_seconds = convene(*big)
    queued = Delivery.objects.filter(session=big[2]).count()
    worker = run_worker()
    received = [to for to, _size in sink.messages]
    sizes = [size for _to, size in sink.messages]
    statuses = sorted(set(Delivery.objects.filter(session=big[2]).values_list("status", flat=True)))

    # Floor: plain smtplib sending the same number of messages of the same size.
    average = sum(sizes) // max(len(sizes), 1)
    floor_started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n in range(len(received)):
            message = EmailMessage()
            message["From"] = "bench@example.org"
            message["To"] = f"floor{n}@example.org"
            message["Subject"] = "floor"
            message.set_content("x" * average)
            smtp.send_message(message)
    floor_seconds = time.perf_counter() - floor_started
    controller.stop()

    print(f"sosvet convening benchmark ({'PostgreSQL' if args.postgres else 'SQLite'})")
    print(f"  recipients queued                 {queued}")
    print(f"  e-mails received by SMTP          {len(received)} (unique: {len(set(received))})")
    print(f"  delivery statuses                 {', '.join(statuses)}")
    print(f"  average e-mail size               {average / 1024:.1f} KiB (PDF + calendar)")
    print(
        f"  request time to queue the batch   {request_seconds * 1000:.0f} ms"
        f"   (1 recipient: {base_request * 1000:.0f} ms,"
        f" ratio {request_seconds / base_request:.2f})"
    )
    print(
        f"  worker time to deliver it         {worker['seconds']:.2f} s"
        f"   ({worker['seconds'] / max(len(received), 1) * 1000:.1f} ms per e-mail;"
        f" plain smtplib floor {floor_seconds:.2f} s,"
        f" ratio {worker['seconds'] / floor_seconds:.1f})"
    )
    print(
        f"  PDF renders per batch             {worker['renders']}"
        f"   (1-recipient batch: {base_worker['renders']})"
    )
    print(
        f"  peak worker memory                {worker['peak_rss_mb']:.0f} MiB"
        f"   (1-recipient batch: {base_worker['peak_rss_mb']:.0f} MiB,"
        f" ratio {worker['peak_rss_mb'] / base_worker['peak_rss_mb']:.2f})"
    )
    ok = worker["renders"] == 1 and len(received) == len(set(received)) == queued
    print("  result                            " + ("OK" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
