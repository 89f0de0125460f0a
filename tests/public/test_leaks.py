"""The public-data leak test: crawl every public URL of the demo and find nothing private.

The demo (``load_demo``) is loaded once; every person gets a unique e-mail address and
phone number (markers), every login a unique e-mail address; then private things are
added everywhere they could be, each with a unique ``SKRIT…`` title: agenda items and
conclusions marked not public (in minutes that are then approved and published, so the
stored official version holds them), draft minutes, a draft session, a draft report, an
unpublished council. A correction of the published report is adopted and published after
the markers were set, so its PDF is rendered from the marked data. Then the crawler
follows every link under /javno/ from the index, fetches every page, feed and PDF (text
extracted with pypdf) and asserts that no marker and nothing private appears anywhere.
"""

from __future__ import annotations

import datetime
import html
import io
import re
from collections import deque

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from councils.models import Council, Person
from reports import services as report_services
from reports.models import AnnualReport
from sessions import services as session_services
from sessions.models import AgendaItem, Minutes, Session

pytestmark = pytest.mark.django_db

#: things that must never appear on a public page (besides the contact markers)
PRIVATE = [
    "SKRITA TOČKA ZAPISNIKA",
    "SKRIT POVZETEK ZAPRTE TOČKE",
    "SKRIT SKLEP ZAPRTE TOČKE",
    "SKRIT ZAUPEN SKLEP",
    "SKRIT OSNUTEK ZAPISNIKA",
    "SKRIT SKLEP OSNUTKA",
    "SKRITA TOČKA OSNUTKA SEJE",
    "SKRITA KADROVSKA TOČKA",
    "SKRIT OSNUTEK POROČILA",
    "SKRITA TOČKA 2023",
    "SKRIT NEOBJAVLJEN SOSVET",
]
#: things that must appear (the crawl really reached the content)
PUBLIC = [
    "JAVEN SKLEP OB PREGLEDU",
    "Popravljen uvod poročila.",
    "Nuška Gajšek",
    "Varnost na šolskih poteh ob začetku zime",
]


def _prepare() -> list[str]:
    """Mark the demo's contact data and add private things; return the markers."""
    markers = []
    for person in Person.objects.all():
        person.email = f"oseba-{person.pk}@marker-zasebno.test"
        person.phone = f"+386 99 {person.pk:04d} 77"
        person.save()
        markers += [person.email, person.phone]
    for user in get_user_model().objects.all():
        user.email = f"prijava-{user.pk}@marker-zasebno.test"
        user.save()
        markers.append(user.email)

    ptuj = Council.objects.get(slug="ptuj")
    # The last held session's minutes are still a draft: add a private item and private
    # conclusions, then approve and publish them (the stored version holds everything).
    last = Session.objects.filter(council=ptuj, status=Session.Status.HELD).latest("date")
    minutes = last.minutes
    public_item = last.agenda_items.order_by("position").first()
    hidden = AgendaItem.objects.create(
        session=last, position=99, title="SKRITA TOČKA ZAPISNIKA", is_public=False
    )
    from sessions.models import ItemRecord

    ItemRecord.objects.create(
        minutes=minutes, agenda_item=hidden, summary="SKRIT POVZETEK ZAPRTE TOČKE"
    )
    session_services.conclusion_add(
        minutes=minutes, by=None, agenda_item=hidden, text="SKRIT SKLEP ZAPRTE TOČKE"
    )
    session_services.conclusion_add(
        minutes=minutes,
        by=None,
        agenda_item=public_item,
        text="SKRIT ZAUPEN SKLEP",
        is_public=False,
    )
    session_services.conclusion_add(
        minutes=minutes, by=None, agenda_item=public_item, text="JAVEN SKLEP OB PREGLEDU"
    )
    upcoming = Session.objects.filter(council=ptuj, status=Session.Status.DRAFT).earliest("date")
    AgendaItem.objects.create(session=upcoming, position=99, title="SKRITA TOČKA OSNUTKA SEJE")
    # Minutes are approved at a session that has sat: one held today, after the last one.
    in_term = Session.objects.filter(council=ptuj, term=last.term)
    approving = Session.objects.create(
        council=ptuj,
        term=last.term,
        number=max(in_term.values_list("number", flat=True)) + 1,
        date=timezone.localdate(),
        start_time=datetime.time(17, 0),
        status=Session.Status.HELD,
    )
    session_services.minutes_approve(
        minutes=minutes, by=None, approved_at_session=approving, approved_on=approving.date
    )
    session_services.minutes_publish(minutes=minutes, by=None)

    # Draft minutes of the joint council.
    sg = Council.objects.get(slug="slovenj-gradec-mislinja")
    draft_minutes = Minutes.objects.get(session__council=sg, status=Minutes.Status.DRAFT)
    record = draft_minutes.items.first()
    record.summary = "SKRIT OSNUTEK ZAPISNIKA"
    record.save()
    session_services.conclusion_add(
        minutes=draft_minutes,
        by=None,
        agenda_item=record.agenda_item,
        text="SKRIT SKLEP OSNUTKA",
    )
    AgendaItem.objects.filter(session__council=sg, is_public=False).update(
        title="SKRITA KADROVSKA TOČKA"
    )

    # Reports: the draft of 2024 and a correction of the published 2023 report, adopted
    # and published now (its PDF is rendered from the marked data).
    AnnualReport.objects.filter(council=ptuj, year=2024).update(intro_text="SKRIT OSNUTEK POROČILA")
    session_2023 = Session.objects.get(council=ptuj, date=datetime.date(2023, 4, 7))
    AgendaItem.objects.create(
        session=session_2023, position=99, title="SKRITA TOČKA 2023", is_public=False
    )
    report = AnnualReport.objects.get(council=ptuj, year=2023)
    report_services.report_reopen(report=report, by=None, reason="Popravek uvoda.")
    report.refresh_from_db()
    report_services.report_update(
        report=report, by=None, data={"intro_text": "Popravljen uvod poročila."}
    )
    report_services.report_adopt(
        report=report,
        by=None,
        adopted_on=datetime.date(2024, 3, 19),
        adopted_at_session=report.adopted_at_session
        or Session.objects.get(council=ptuj, date=datetime.date(2024, 3, 19)),
    )
    report_services.report_publish(report=report, by=None)

    Council.objects.filter(is_published=False).update(name="SKRIT NEOBJAVLJEN SOSVET")
    return markers


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", quiet_logins=True, stdout=io.StringIO())
        markers = _prepare()
    yield markers
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


LINK = re.compile(r'href="(/javno/[^"#]*)')


def crawl(client) -> dict[str, tuple[str, str]]:
    """{url: (content type, text)} of every public URL reachable from the index."""
    seen: dict[str, tuple[str, str]] = {}
    queue = deque(["/javno/"])
    while queue and len(seen) < 1000:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        content_type = response["Content-Type"]
        if content_type == "application/pdf":
            reader = PdfReader(io.BytesIO(response.content))
            body = "\n".join(page.extract_text() or "" for page in reader.pages)
            body += "\n" + str(reader.metadata)
        else:
            body = response.content.decode()
        if content_type.startswith("text/calendar"):
            body = body.replace("\r\n ", "")  # unfold the folded lines
        seen[url] = (content_type, body)
        if content_type.startswith("text/html"):
            for link in LINK.findall(body):
                link = html.unescape(link)
                if link not in seen:
                    queue.append(link)
    return seen


@pytest.fixture(scope="module")
def crawled(demo, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return crawl(Client())


def test_the_crawl_reaches_every_kind_of_public_url(crawled):
    urls = set(crawled)
    published = Council.objects.filter(is_published=True)
    for council in published:
        base = f"/javno/{council.slug}/"
        assert base in urls
        assert f"{base}koledar.ics" in urls
        assert f"{base}novice.atom" in urls
    assert "/javno/ptuj/porocila/2023/" in urls
    assert "/javno/ptuj/porocila/2023/pdf/" in urls
    sessions = [u for u in urls if "/seje/" in u]
    assert len(sessions) >= 8
    types = {content_type.split(";")[0] for content_type, _body in crawled.values()}
    assert types == {"text/html", "text/calendar", "application/atom+xml", "application/pdf"}


def test_no_contact_data_on_any_public_url(crawled, demo):
    for url, (_content_type, body) in crawled.items():
        found = [m for m in demo if m in body]
        assert found == [], url
        assert "marker-zasebno" not in body, url


def test_nothing_marked_not_public_on_any_public_url(crawled):
    for url, (_content_type, body) in crawled.items():
        found = [p for p in PRIVATE if p in body]
        assert found == [], url


def test_the_public_content_is_there(crawled):
    everything = "\n".join(body for _content_type, body in crawled.values())
    for expected in PUBLIC:
        assert expected in everything, expected
    pdf = crawled["/javno/ptuj/porocila/2023/pdf/"][1]
    assert "Gajšek" in pdf  # the PDF's text was extracted: the members' names are there
    assert "Popravljen uvod poročila." in pdf.replace("\n", " ")
