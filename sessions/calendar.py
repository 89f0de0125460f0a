"""RFC 5545 calendar invitations for sessions (icalendar)."""

from __future__ import annotations

import datetime
import zoneinfo

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Invitation, Session

PRODID = "-//sosvet//Safety council sessions//SL"


def _organizer(session: Session) -> icalendar.vCalAddress:
    email = session.council.contact_email or settings.DEFAULT_FROM_EMAIL.split("<")[-1].strip(">")
    organizer = icalendar.vCalAddress(f"mailto:{email}")
    organizer.params["cn"] = icalendar.vText(session.council.name)
    return organizer


def _event(session: Session, snapshot: dict, *, sequence: int, cancelled: bool, url: str):
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    day = datetime.date.fromisoformat(snapshot["date"])
    start = datetime.datetime.combine(
        day, datetime.time.fromisoformat(snapshot["start_time"]), tzinfo=tz
    )
    end = (
        datetime.datetime.combine(day, datetime.time.fromisoformat(snapshot["end_time"]), tzinfo=tz)
        if snapshot.get("end_time")
        else start + datetime.timedelta(hours=2)
    )
    event = icalendar.Event()
    event.add("uid", session.ical_uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    with translation.override(snapshot["council"]["language"]):
        label = _("Session %(number)s") % {"number": snapshot["number"]}
    event.add("summary", f"{label} – {snapshot['council']['name']}")
    location = ", ".join(
        part for part in (snapshot.get("place"), snapshot.get("online_url")) if part
    )
    if location:
        event.add("location", location)
    agenda = "\n".join(f"{item['position']}. {item['title']}" for item in snapshot["agenda"])
    event.add("description", agenda)
    event.add("url", url)
    event.add("organizer", _organizer(session))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def invitation_ics(*, invitation: Invitation, url: str) -> str:
    """The calendar attachment of one invitation revision (the same for every recipient)."""
    session = invitation.session
    cancelled = invitation.kind == Invitation.Kind.CANCELLATION
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    calendar.add_component(
        _event(
            session,
            invitation.snapshot,
            sequence=invitation.sequence,
            cancelled=cancelled,
            url=url,
        )
    )
    day = datetime.date.fromisoformat(invitation.snapshot["date"])
    calendar.add_missing_timezones(
        first_date=day - datetime.timedelta(days=366), last_date=day + datetime.timedelta(days=366)
    )
    return calendar.to_ical().decode()
