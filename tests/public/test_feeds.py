"""The council's iCalendar feed (two independent parsers) and Atom feed (valid XML)."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
import zoneinfo

import icalendar
import pytest
import vobject
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
TZ = zoneinfo.ZoneInfo("Europe/Ljubljana")


def url(name: str, council, **kwargs) -> str:
    return reverse(f"public:{name}", kwargs={"council_slug": council.slug, **kwargs})


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@pytest.fixture
def ics(client, world):
    response = client.get(url("calendar", world["council"]))
    assert response.status_code == 200
    return response


def test_calendar_is_served_as_text_calendar(ics):
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert ics["Content-Disposition"] == 'inline; filename="ptuj.ics"'
    assert ics.content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in ics.content.split(b"\r\n"))  # folded lines


def test_calendar_parses_with_icalendar(ics, world):
    calendar = icalendar.Calendar.from_ical(ics.content)

    assert str(calendar["X-WR-CALNAME"]) == "Varnostni sosvet Mestne občine Ptuj"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Ljubljana"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    public = [world[k] for k in ("held", "held_draft_minutes", "upcoming", "cancelled")]
    assert set(events) == {s.ical_uid for s in public}
    upcoming = events[world["upcoming"].ical_uid]
    start = datetime.datetime.combine(world["upcoming"].date, datetime.time(13, 0), tzinfo=TZ)
    assert upcoming.decoded("DTSTART") == start
    assert upcoming.decoded("DTEND") == start + datetime.timedelta(hours=2)
    assert str(upcoming["STATUS"]) == "CONFIRMED"
    assert str(upcoming["LOCATION"]) == "Mestna hiša, sejna soba"
    assert str(upcoming["URL"]) == absolute(
        url("session", world["council"], pk=world["upcoming"].pk)
    )
    assert "Javna točka sklica" in str(upcoming["DESCRIPTION"])
    cancelled = events[world["cancelled"].ical_uid]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 1  # the cancellation's calendar sequence
    assert calendar.walk("VTIMEZONE")  # the times carry their time zone


def test_calendar_parses_with_vobject(ics, world):
    calendar = vobject.readOne(ics.content.decode())

    events = {e.uid.value: e for e in calendar.vevent_list}
    assert set(events) == {
        world[k].ical_uid for k in ("held", "held_draft_minutes", "upcoming", "cancelled")
    }
    held = events[world["held"].ical_uid]
    assert held.dtstart.value == datetime.datetime(2024, 3, 19, 13, 0, tzinfo=TZ)
    assert held.dtstart.value.utcoffset() == datetime.timedelta(hours=1)
    assert held.summary.value == "2. seja – Varnostni sosvet Mestne občine Ptuj"
    assert "Varnost v prometu" in held.description.value
    assert events[world["cancelled"].ical_uid].status.value == "CANCELLED"


def test_calendar_has_nothing_that_is_not_public(ics):
    content = ics.content.decode()

    assert "SKRITO" not in content
    assert "meet.example.test" not in content  # the members' online meeting link
    assert "zasebno.test" not in content


def test_calendar_uid_is_the_invitations_uid(ics, world):
    """A calendar that has the session from an invitation recognises it in the feed."""
    from sessions.calendar import invitation_ics

    invitation = world["upcoming"].invitations.get()
    attachment = icalendar.Calendar.from_ical(invitation_ics(invitation=invitation, url="x"))
    feed = icalendar.Calendar.from_ical(ics.content)

    [sent] = attachment.walk("VEVENT")
    assert str(sent["UID"]) in {str(e["UID"]) for e in feed.walk("VEVENT")}


def test_empty_calendar_is_still_valid(client, public_council):
    response = client.get(url("calendar", public_council))

    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar.walk("VEVENT") == []
    assert vobject.readOne(response.content.decode()).name == "VCALENDAR"


# Atom ---------------------------------------------------------------------------------------


@pytest.fixture
def atom(client, world):
    response = client.get(url("feed", world["council"]))
    assert response.status_code == 200
    return response


def test_atom_feed_is_valid_xml_with_the_required_elements(atom, world):
    council = world["council"]
    assert atom["Content-Type"] == "application/atom+xml; charset=utf-8"

    root = ET.fromstring(atom.content)

    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "sl"
    assert root.findtext(f"{ATOM}title") == council.name
    assert root.findtext(f"{ATOM}id") == absolute(url("feed", council))
    assert datetime.datetime.fromisoformat(root.findtext(f"{ATOM}updated"))
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {
        "alternate": absolute(url("council", council)),
        "self": absolute(url("feed", council)),
    }
    entries = root.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        assert entry.findtext(f"{ATOM}title")
        assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
        assert entry.find(f"{ATOM}link").get("href").startswith(settings.SITE_URL)


def test_atom_feed_has_the_expected_entries(atom, world):
    council = world["council"]
    root = ET.fromstring(atom.content)

    ids = {e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")}

    session = absolute(url("session", council, pk=world["upcoming"].pk))
    cancelled = absolute(url("session", council, pk=world["cancelled"].pk))
    held = absolute(url("session", council, pk=world["held"].pk))
    report = absolute(url("report", council, year=2023))
    assert ids == {
        f"{session}#convened",
        f"{cancelled}#cancelled",  # a cancellation is an entry of its own
        f"{held}#minutes",
        f"{report}#revision-1",
    }


def test_atom_feed_is_in_the_councils_language(client, world):
    council = world["council"]
    council.language = "en"
    council.save()

    root = ET.fromstring(client.get(url("feed", council)).content)

    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    titles = sorted(e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry"))
    date = world["upcoming"].date
    assert titles == sorted(
        [
            f"Convened: Session 8, {date:%-d %B %Y}",
            f"Cancelled: Session 10, {world['cancelled'].date:%-d %B %Y}",
            "Minutes: Session 2, 19 March 2024",
            "Report on the work of the safety council in 2023 and work plan of the safety "
            "council for 2024",
        ]
    )


def test_atom_feed_has_nothing_that_is_not_public(atom):
    content = atom.content.decode()

    assert "SKRITO" not in content
    assert "zasebno.test" not in content
    assert "meet.example.test" not in content


def _minutes_entry(client, council, session):
    root = ET.fromstring(client.get(url("feed", council)).content)
    guid = f"{absolute(url('session', council, pk=session.pk))}#minutes"
    return [e for e in root.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}id") == guid]


def test_atom_feed_keeps_published_minutes_while_they_are_reopened(client, world):
    from sessions import services
    from sessions.models import Minutes, MinutesVersion, Person

    council, held = world["council"], world["held"]
    first = MinutesVersion.objects.get(minutes__session=held)
    services.minutes_reopen(minutes=held.minutes, by=None, reason="Popravek.")

    (entry,) = _minutes_entry(client, council, held)
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) == first.published_at

    chair = Person.objects.filter(council=council).first()
    Minutes.objects.filter(session=held).update(chair=chair, recorder=chair)
    minutes = Minutes.objects.get(session=held)
    approving = world["held_draft_minutes"]
    services.minutes_approve(
        minutes=minutes, by=None, approved_at_session=approving, approved_on=approving.date
    )
    services.minutes_publish(minutes=minutes, by=None)
    second = MinutesVersion.objects.get(minutes__session=held, number=2)

    (entry,) = _minutes_entry(client, council, held)
    assert second.published_at > first.published_at
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) == second.published_at


def test_atom_feed_has_no_minutes_that_were_never_published(client, world):
    from sessions.models import Minutes, MinutesVersion

    council, held = world["council"], world["held"]
    MinutesVersion.objects.filter(minutes__session=held).update(published_at=None)
    Minutes.objects.filter(session=held).update(status=Minutes.Status.APPROVED, published_at=None)

    assert _minutes_entry(client, council, held) == []


def test_a_cancellation_is_a_new_entry_dated_when_it_was_sent(client, world):
    """Feed readers show an entry with a new id as news: a cancellation gets one, dated by
    the cancellation, not the first invitation."""
    council, cancelled = world["council"], world["cancelled"]
    root = ET.fromstring(client.get(url("feed", council)).content)
    guid = f"{absolute(url('session', council, pk=cancelled.pk))}#cancelled"
    [entry] = [e for e in root.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}id") == guid]

    latest = cancelled.invitations.order_by("-created").first().created
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) == latest
