#!/usr/bin/env python3
"""Production smoke test: gunicorn and the worker against PostgreSQL, over real HTTP/SMTP.

    .venv/bin/python scripts/smoke.py --database-url postgres://postgres@127.0.0.1:5432/sosvet_ci

The database must be migrated and hold the demo data (``manage.py load_demo``). With
production-like settings (DEBUG=0, the database tasks backend, JSON logs) the script:

1. starts a loopback SMTP server (aiosmtpd) and runs ``collectstatic`` into a temporary
   directory;
2. starts gunicorn (``deploy/gunicorn.conf.py``) and ``manage.py worker`` on free ports;
3. waits for ``/health/`` to report the worker's heartbeat;
4. signs in as the demo secretary (``ptuj-tajnik``) with the sign-in form, schedules a
   session with a future date, adds an agenda item and sends the invitation — the same
   form POSTs a browser makes, CSRF token included;
5. waits until the worker has delivered every invitation to the SMTP server and checks
   each e-mail carries the invitation PDF and the calendar entry (METHOD:REQUEST);
6. downloads the demo's adopted Ptuj report over HTTP and checks it is a PDF;
7. checks that every line gunicorn and the worker printed is a JSON object;
8. stops the worker and checks that ``/health/`` now reports it missing (503);

and stops everything it started, whatever happens. It exits 0 when all passed, else 1
with the reason.
"""

from __future__ import annotations

import argparse
import datetime
import email
import email.policy
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = BASE_DIR / ".venv" / "bin" / "python"
GUNICORN = BASE_DIR / ".venv" / "bin" / "gunicorn"
SECRETARY = ("ptuj-tajnik", "sosvet-demo-2026")
COUNCIL = "ptuj"
ADOPTED_REPORT_YEAR = 2023


class SmokeFailure(Exception):
    pass


class ProcessDied(SmokeFailure):
    """gunicorn or the worker exited: no point in waiting any longer."""


_STARTED = time.monotonic()


def step(text: str) -> None:
    print(f"smoke [{time.monotonic() - _STARTED:5.1f} s]: {text}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- SMTP -------------------------------------------------------------------------------


class Mailbox:
    """aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)


# --- HTTP -------------------------------------------------------------------------------


class FormParser(HTMLParser):
    """The forms of a page: action, method and the values a browser would submit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: str | None = None
        self._select_first: tuple[str, str] | None = None
        self._select_chosen = False
        self._option: dict | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": [],
                "submit": None,
                "names": set(),
            }
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            form["names"].add(name)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form["fields"].append((name, a.get("value", "on")))
            elif kind == "submit":
                if form["submit"] is None:
                    form["submit"] = (name, a.get("value", ""))
            elif kind not in ("file", "button", "reset", "image"):
                form["fields"].append((name, a.get("value", "")))
        elif tag == "button" and a.get("type", "submit") == "submit" and name:
            if form["submit"] is None:
                form["submit"] = (name, a.get("value", ""))
        elif tag == "textarea" and name:
            form["names"].add(name)
            self._textarea = (name, [])
        elif tag == "select" and name:
            form["names"].add(name)
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = (self._select, value)
            if "selected" in a:
                form["fields"].append((self._select, value))
                self._select_chosen = True

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            self._form["fields"].append((name, "".join(parts).removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first and self._form is not None:
                self._form["fields"].append(self._select_first)
            self._select = None
        elif tag == "form":
            self._form = None


class Browser:
    """Cookies, CSRF and forms over urllib, without following redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            return None

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect()
        )

    def request(self, path: str, data: list[tuple[str, str]] | None = None):
        url = urllib.parse.urljoin(self.base_url, path)
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)
        request.add_header("Referer", url)
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            response = error
        with response:
            return response.status, response.headers, response.read()

    def get(self, path: str, expect: int = 200):
        status, headers, body = self.request(path)
        if status != expect:
            raise SmokeFailure(f"GET {path} answered {status}, expected {expect}")
        return headers, body

    def form(self, path: str, field: str) -> tuple[dict, str]:
        """The form on ``path`` that has a field named ``field``, and the page's text."""
        _, body = self.get(path)
        parser = FormParser()
        text = body.decode()
        parser.feed(text)
        for form in parser.forms:
            if field in form["names"]:
                return form, text
        raise SmokeFailure(f"No form with a {field!r} field on {path}")

    def submit(self, path: str, form: dict, values: dict[str, str]) -> str:
        """POST the form as a browser would, with ``values`` typed in; the redirect target."""
        fields = [(k, v) for k, v in form["fields"] if k not in values]
        fields += list(values.items())
        if form["submit"]:
            fields.append(form["submit"])
        target = form["action"] or path
        status, headers, body = self.request(target, fields)
        if status != 302:
            raise FormRejected(target, status, form_errors(body.decode()))
        return urllib.parse.urlsplit(headers["Location"]).path


class FormRejected(SmokeFailure):
    def __init__(self, target: str, status: int, errors: list[str]) -> None:
        super().__init__(f"POST {target} answered {status} instead of a redirect: {errors}")
        self.status = status
        self.errors = errors


def form_errors(page: str) -> list[str]:
    """The error messages shown next to the fields (and above the form)."""
    blocks = re.findall(
        r'<div[^>]*class="[^"]*(?:invalid-feedback|alert-danger)[^"]*"[^>]*>(.*?)</div>',
        page,
        flags=re.S,
    )
    return [" ".join(re.sub(r"<[^>]+>", " ", block).split()) for block in blocks]


# --- processes --------------------------------------------------------------------------


class Processes:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 (closed by stop)
        process = subprocess.Popen(
            args, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        process.log = log
        self.running[name] = process
        return process

    def alive(self, name: str) -> None:
        process = self.running[name]
        if process.poll() is not None:
            raise ProcessDied(f"{name} exited with status {process.returncode}")

    def stop(self, name: str, timeout: float = 30) -> int | None:
        process = self.running.pop(name, None)
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        process.log.close()
        return process.returncode

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)

    def log_lines(self, name: str) -> list[str]:
        return (self.workdir / f"{name}.log").read_text(errors="replace").splitlines()

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.workdir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def wait_for(what: str, check, timeout: float, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except ProcessDied:
            raise
        except (OSError, SmokeFailure) as error:
            result, last_error = None, error
        if result:
            return result
        time.sleep(interval)
    raise SmokeFailure(f"Timed out after {timeout:.0f} s waiting for {what} ({last_error or ''})")


# --- the checks -------------------------------------------------------------------------


def health(browser: Browser) -> tuple[int, dict]:
    status, _, body = browser.request("/health/")
    return status, json.loads(body)


def sign_in(browser: Browser) -> None:
    form, _ = browser.form("/accounts/login/", "username")
    location = browser.submit(
        "/accounts/login/", form, {"username": SECRETARY[0], "password": SECRETARY[1]}
    )
    if location.startswith("/accounts/login/"):
        raise SmokeFailure("Signing in as the demo secretary failed")
    _, body = browser.get("/dashboard/")
    if SECRETARY[0] not in body.decode() and "ptuj" not in body.decode().lower():
        raise SmokeFailure("The dashboard does not show the signed-in secretary's council")


def schedule_session(browser: Browser) -> str:
    new = f"/c/{COUNCIL}/sessions/new/"
    form, _ = browser.form(new, "place")
    # The first free evening from 45 days on (a session at the same time is refused,
    # and an earlier smoke run on the same database took that evening).
    for days in range(45, 45 + 60):
        date = datetime.date.today() + datetime.timedelta(days=days)
        try:
            location = browser.submit(
                new,
                form,
                {
                    "date": date.isoformat(),
                    "start_time": "17:00",
                    "place": "Sejna soba, Mestni trg 1 (smoke test)",
                },
            )
            break
        except FormRejected as rejected:
            if rejected.status != 200 or len(rejected.errors) != 1:
                raise
            form, _ = browser.form(new, "place")
    else:
        raise SmokeFailure("No free evening for a session in two months")
    if not re.fullmatch(rf"/c/{COUNCIL}/sessions/\d+/", location):
        raise SmokeFailure(f"Scheduling a session redirected to {location}")
    agenda = location + "agenda/new/"
    form, _ = browser.form(agenda, "title")
    browser.submit(agenda, form, {"title": "Varnost na šolskih poteh (smoke test)"})
    return location


def send_invitation(browser: Browser, session_url: str) -> str:
    """Send it to the members the form proposes; the invitation's delivery page."""
    page = session_url + "invitation/"
    form, _ = browser.form(page, "memberships")
    if not any(name == "memberships" for name, _ in form["fields"]):
        raise SmokeFailure("The invitation form chose no recipients")
    location = browser.submit(page, form, {"message": "Smoke test of the production setup."})
    if not re.fullmatch(rf"{re.escape(session_url)}invitations/\d+/", location):
        raise SmokeFailure(f"Sending the invitation redirected to {location}")
    return location


def delivery_statuses(browser: Browser, invitation_url: str) -> list[str]:
    """The status of each recipient's delivery, as the secretary sees it."""
    _, body = browser.get(invitation_url)
    return re.findall(r'class="badge delivery-([a-z_]+)"', body.decode())


def check_invitation_mail(messages: list) -> None:
    for message in messages:
        parts = {part.get_content_type(): part for part in message.walk()}
        pdf = parts.get("application/pdf")
        if pdf is None or not pdf.get_content().startswith(b"%PDF"):
            raise SmokeFailure(f"E-mail to {message['To']} has no invitation PDF")
        calendar = parts.get("text/calendar")
        if calendar is None:
            raise SmokeFailure(f"E-mail to {message['To']} has no calendar entry")
        ics = calendar.get_content()
        ics = ics.decode() if isinstance(ics, bytes) else ics
        if "BEGIN:VCALENDAR" not in ics or "METHOD:REQUEST" not in ics:
            raise SmokeFailure(f"E-mail to {message['To']} has a malformed calendar entry")


def download_report(browser: Browser) -> int:
    page = f"/c/{COUNCIL}/reports/{ADOPTED_REPORT_YEAR}/"
    _, body = browser.get(page)
    parser = FormParser()
    parser.feed(body.decode())
    links = sorted({link for link in parser.links if re.search(r"/revisions/\d+/pdf/$", link)})
    if not links:
        raise SmokeFailure(f"No adopted revision to download on {page}")
    headers, pdf = browser.get(links[-1])
    if headers.get_content_type() != "application/pdf" or not pdf.startswith(b"%PDF"):
        raise SmokeFailure(f"{links[-1]} did not return a PDF")
    return len(pdf)


def check_json_logs(processes: Processes, name: str) -> int:
    lines = [line for line in processes.log_lines(name) if line.strip()]
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
        except ValueError:
            raise SmokeFailure(f"{name} log line {number} is not JSON: {line[:200]}") from None
        if not isinstance(record, dict) or not {"timestamp", "level", "message"} <= set(record):
            raise SmokeFailure(f"{name} log line {number} lacks the standard fields: {line[:200]}")
    return len(lines)


# --- main -------------------------------------------------------------------------------


def run(database_url: str, workdir: Path, processes: Processes) -> None:
    from aiosmtpd.controller import Controller

    web_port, smtp_port = free_port(), free_port()
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    try:
        _run(database_url, workdir, processes, web_port, smtp_port, mailbox)
    finally:
        smtp.stop()


def _run(database_url, workdir, processes, web_port, smtp_port, mailbox) -> None:
    base_url = f"http://127.0.0.1:{web_port}"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": base_url,
        # Plain HTTP on loopback: no HTTPS redirect, no secure-only cookies, no HSTS.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "WORKER_HEARTBEAT_SECONDS": "2",
        "HEALTH_WORKER_MAX_AGE_SECONDS": "20",
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
        "AXES_ENABLED": "1",
    }
    for name in ("DJANGO_SETTINGS_MODULE", "PYTEST_ADDOPTS"):
        env.pop(name, None)

    step("collectstatic into a temporary STATIC_ROOT")
    collected = subprocess.run(
        [str(PYTHON), "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if collected.returncode != 0:
        raise SmokeFailure(f"collectstatic failed:\n{collected.stdout}{collected.stderr}")

    step(f"starting gunicorn on {base_url} and the background worker")
    processes.start(
        "gunicorn",
        [str(GUNICORN), "--config", "deploy/gunicorn.conf.py", "sosvet.wsgi"],
        env,
    )
    processes.start("worker", [str(PYTHON), "manage.py", "worker", "--no-startup-delay"], env)
    browser = Browser(base_url)

    def healthy():
        processes.alive("gunicorn")
        processes.alive("worker")
        status, body = health(browser)
        return status == 200 and body["checks"]["worker"]["status"] == "ok"

    wait_for("/health/ to report the database and a fresh worker heartbeat", healthy, 90)
    _, body = health(browser)
    step(f"/health/ is 200: {json.dumps(body['checks'])}")

    static_css = re.search(r'href="(/static/[^"]+\.css)"', browser.get("/")[1].decode())
    if not static_css:
        raise SmokeFailure("The home page links no stylesheet")
    browser.get(static_css.group(1))

    step(f"signing in as {SECRETARY[0]}")
    sign_in(browser)
    step("scheduling a session with a future date and an agenda item")
    session_url = schedule_session(browser)
    step(f"sending the invitation of {session_url}")
    invitation_url = send_invitation(browser, session_url)
    statuses = delivery_statuses(browser, invitation_url)
    if not statuses:
        raise SmokeFailure(f"{invitation_url} lists no recipients")
    step(f"{len(statuses)} recipients queued; waiting for the worker to deliver the e-mails")

    def delivered():
        processes.alive("worker")
        current = delivery_statuses(browser, invitation_url)
        if any(status in ("failed",) for status in current):
            raise SmokeFailure(f"A delivery failed: {current}")
        return all(status == "sent" for status in current) and mailbox.count() >= len(current)

    try:
        wait_for("the invitation e-mails", delivered, 180, interval=1)
    except SmokeFailure as failure:
        current = delivery_statuses(browser, invitation_url)
        raise SmokeFailure(f"{failure}; statuses {current}, {mailbox.count()} received") from None
    messages = list(mailbox.messages)
    if len(messages) != len(statuses):
        raise SmokeFailure(f"{len(messages)} e-mails arrived for {len(statuses)} recipients")
    recipients = [message["To"] for message in messages]
    if len(set(recipients)) != len(recipients):
        raise SmokeFailure(f"An invitation was sent twice: {sorted(recipients)}")
    check_invitation_mail(messages)
    step(f"{len(messages)} invitations arrived over SMTP, each with its PDF and calendar entry")

    size = download_report(browser)
    step(f"the adopted {ADOPTED_REPORT_YEAR} report downloaded over HTTP: a PDF of {size} bytes")

    status, body = health(browser)
    worker = body["checks"]["worker"]
    if status != 200 or worker["status"] != "ok" or worker["age_seconds"] > 10:
        raise SmokeFailure(f"/health/ after the run: {status} {json.dumps(body)}")
    step(f"/health/ is 200, worker heartbeat {worker['age_seconds']} s old")

    step("stopping the worker: /health/ must report it missing")
    code = processes.stop("worker")
    if code != 0:
        raise SmokeFailure(f"The worker did not stop cleanly on SIGTERM (status {code})")
    status, body = health(browser)
    if status != 503 or body["checks"]["worker"]["status"] != "missing":
        raise SmokeFailure(f"/health/ without a worker: {status} {json.dumps(body)}")

    code = processes.stop("gunicorn")
    if code != 0:
        raise SmokeFailure(f"gunicorn did not stop cleanly on SIGTERM (status {code})")
    lines = check_json_logs(processes, "gunicorn") + check_json_logs(processes, "worker")
    step(f"all {lines} log lines of gunicorn and the worker are JSON objects")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL database with migrations and the demo data (default: DATABASE_URL)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        print("smoke: FAILED: give --database-url postgres://… (or DATABASE_URL)", file=sys.stderr)
        return 1

    # SIGTERM (CI cancelled) runs the clean-up below, like Ctrl+C.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    workdir = Path(tempfile.mkdtemp(prefix="sosvet-smoke-"))
    processes = Processes(workdir)
    ok = False
    try:
        run(args.database_url, workdir, processes)
        ok = True
    except SmokeFailure as failure:
        print(f"\nsmoke: FAILED: {failure}", file=sys.stderr)
        for name in ("gunicorn", "worker"):
            tail = processes.tail(name)
            if tail:
                print(f"\n--- last lines of {name} ---\n{tail}", file=sys.stderr)
    finally:
        processes.stop_all()
        if args.keep or not ok:
            print(f"smoke: logs kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if ok:
        print("smoke: passed", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
