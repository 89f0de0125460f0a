"""The calendar attachment (RFC 5545), read back with two independent parsers."""

from __future__ import annotations

import datetime
import zoneinfo

import icalendar
import pytest
import vobject

from sessions import selectors, services
from sessions.calendar import invitation_ics
from sessions.models import Invitation

from .fixtures_extra import *  # noqa: F403
from .fixtures_extra import make_session, send_invitation

pytestmark = pytest.mark.django_db

LJUBLJANA = zoneinfo.ZoneInfo("Europe/Ljubljana")
URL = "https://sosvet.example.si/c/ptuj/sessions/1/"
PLACE = "Dvorana Čebelica, Šolska ulica 3, Žalec"


def send(session, secretary) -> Invitation:
    return services.invitation_send(
        session=session,
        by=secretary,
        memberships=list(selectors.invitation_default_people(session=session)),
    )


def parse(invitation):
    """The same text read by icalendar and by vobject."""
    text = invitation_ics(invitation=invitation, url=URL)
    return text, icalendar.Calendar.from_ical(text), vobject.readOne(text)


@pytest.fixture
def convened(council, secretary, members, upcoming):
    services.session_update(session=upcoming, by=secretary, data={"place": PLACE})
    upcoming.refresh_from_db()
    return upcoming


def test_invitation_ics_parses_with_both_parsers_and_has_the_uid(convened, secretary):
    text, calendar, parsed = parse(send(convened, secretary))
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == convened.ical_uid
    assert parsed.vevent.uid.value == convened.ical_uid
    assert calendar["VERSION"] == "2.0"
    assert parsed.version.value == "2.0"
    assert str(calendar["PRODID"]) == "-//sosvet//Safety council sessions//SL"
    assert len(calendar.walk("VEVENT")) == 1
    assert len(parsed.contents["vevent"]) == 1


def test_invitation_ics_method_request_and_status_confirmed(convened, secretary):
    _text, calendar, parsed = parse(send(convened, secretary))
    assert calendar["METHOD"] == "REQUEST"
    assert parsed.method.value == "REQUEST"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CONFIRMED"
    assert parsed.vevent.status.value == "CONFIRMED"


def test_invitation_ics_uid_stable_and_sequence_increases_over_resends(convened, secretary):
    sequences, uids = [], set()
    for place in ("Prva dvorana", "Druga dvorana", "Tretja dvorana"):
        services.session_update(session=convened, by=secretary, data={"place": place})
        _text, calendar, parsed = parse(send(convened, secretary))
        event = calendar.walk("VEVENT")[0]
        sequences.append((int(event["SEQUENCE"]), int(parsed.vevent.sequence.value)))
        uids |= {str(event["UID"]), parsed.vevent.uid.value}
    assert sequences == [(0, 0), (1, 1), (2, 2)]
    assert uids == {convened.ical_uid}


def test_invitation_ics_cancellation_has_method_cancel_and_status_cancelled(convened, secretary):
    send(convened, secretary)
    services.session_update(
        session=convened, by=secretary, data={"start_time": datetime.time(16, 0)}
    )
    send(convened, secretary)
    services.session_cancel(session=convened, by=secretary, reason="Premalo prijav")
    cancellation = Invitation.objects.get(session=convened, kind=Invitation.Kind.CANCELLATION)
    _text, calendar, parsed = parse(cancellation)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "CANCEL"
    assert parsed.method.value == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert parsed.vevent.status.value == "CANCELLED"
    assert str(event["UID"]) == convened.ical_uid
    assert int(event["SEQUENCE"]) == 2
    assert int(parsed.vevent.sequence.value) == 2


def test_invitation_ics_dtstart_in_europe_ljubljana_local_time(convened, secretary):
    text, calendar, parsed = parse(send(convened, secretary))
    day = convened.date
    assert f"DTSTART;TZID=Europe/Ljubljana:{day:%Y%m%d}T170000" in text.splitlines()
    assert f"DTEND;TZID=Europe/Ljubljana:{day:%Y%m%d}T190000" in text.splitlines()
    start = calendar.walk("VEVENT")[0].decoded("DTSTART")
    assert start == datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=LJUBLJANA)
    assert start.replace(tzinfo=None) == datetime.datetime.combine(day, datetime.time(17, 0))
    raw = vobject.readOne(text, transform=False).vevent.dtstart
    assert raw.params["TZID"] == ["Europe/Ljubljana"]
    vstart = parsed.vevent.dtstart
    assert vstart.params["X-VOBJ-ORIGINAL-TZID"] == ["Europe/Ljubljana"]
    assert vstart.value == datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=LJUBLJANA)
    assert vstart.value.replace(tzinfo=None) == datetime.datetime.combine(day, datetime.time(17, 0))
    assert vstart.value.utcoffset() == start.utcoffset()
    assert parsed.vevent.dtend.value - vstart.value == datetime.timedelta(hours=2)


@pytest.mark.parametrize(
    ("day", "offset"),
    [(datetime.date(2027, 1, 14), 1), (datetime.date(2027, 7, 14), 2)],
)
def test_invitation_ics_utc_offset_follows_summer_time(council, secretary, members, day, offset):
    session = make_session(council, date=day, start=(9, 30), end=None)
    session.agenda_items.create(title="Točka", position=1)
    _text, calendar, parsed = parse(send(session, secretary))
    start = calendar.walk("VEVENT")[0].decoded("DTSTART")
    assert start.utcoffset() == datetime.timedelta(hours=offset)
    assert parsed.vevent.dtstart.value.utcoffset() == datetime.timedelta(hours=offset)
    assert parsed.vevent.dtstart.value.astimezone(datetime.UTC).time() == datetime.time(
        9 - offset, 30
    )
    # Without an end time the event lasts two hours.
    assert parsed.vevent.dtend.value - parsed.vevent.dtstart.value == datetime.timedelta(hours=2)


def test_invitation_ics_includes_the_vtimezone(convened, secretary):
    text, calendar, parsed = parse(send(convened, secretary))
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Ljubljana"]
    kinds = {component.name for component in timezones[0].subcomponents}
    assert kinds == {"STANDARD", "DAYLIGHT"}
    assert parsed.vtimezone.tzid.value == "Europe/Ljubljana"
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")


def test_invitation_ics_summary_and_location_keep_slovenian_letters(convened, secretary):
    text, calendar, parsed = parse(send(convened, secretary))
    event = calendar.walk("VEVENT")[0]
    summary = "1. seja – Varnostni sosvet Mestne občine Ptuj"
    assert str(event["SUMMARY"]) == summary
    assert parsed.vevent.summary.value == summary
    assert str(event["LOCATION"]) == PLACE
    assert parsed.vevent.location.value == PLACE
    assert "Čebelica" in text and "Šolska" in text and "Žalec" in text
    description = "1. Varnostne razmere v letu 2025\n2. Varnost šolskih poti"
    assert str(event["DESCRIPTION"]) == description
    assert parsed.vevent.description.value == description


def test_invitation_ics_location_joins_place_and_online_link(council, secretary, members):
    session = make_session(
        council, days=20, place="Sejna soba", online_url="https://meet.example.si/sosvet"
    )
    session.agenda_items.create(title="Točka", position=1)
    _text, _calendar, parsed = parse(send(session, secretary))
    assert parsed.vevent.location.value == "Sejna soba, https://meet.example.si/sosvet"


def test_invitation_ics_organizer_url_and_summary_in_english(council, secretary, members):
    council.language = "en"
    council.save()
    session = make_session(council, days=20, number=3)
    session.agenda_items.create(title="Item", position=1)
    _text, calendar, parsed = parse(send(session, secretary))
    assert parsed.vevent.summary.value == "Session 3 – Varnostni sosvet Mestne občine Ptuj"
    assert parsed.vevent.organizer.value == "mailto:sosvet@example.test"
    assert parsed.vevent.organizer.params["CN"] == ["Varnostni sosvet Mestne občine Ptuj"]
    assert parsed.vevent.url.value == URL
    assert str(calendar.walk("VEVENT")[0]["TRANSP"]) == "OPAQUE"


def test_invitation_ics_is_attached_to_the_email_as_sent(
    convened, secretary, smtp_server, django_capture_on_commit_callbacks
):
    invitation = send_invitation(convened, secretary, django_capture_on_commit_callbacks)
    invitation.refresh_from_db()
    assert invitation.ics  # stored once for the revision
    attachment = next(
        part
        for part in smtp_server.messages[0].iter_attachments()
        if part.get_filename() == "seja-1.ics"
    )
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    parsed = vobject.readOne(attachment.get_content())
    assert parsed.vevent.uid.value == convened.ical_uid
    assert parsed.vevent.location.value == PLACE
