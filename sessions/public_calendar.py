"""The public iCalendar feed of a council's sessions (RFC 5545, for subscription).

One event per public session (``sessions.public_selectors.calendar_sessions``), with the
same UID as the invitations' calendar attachments (``Session.ical_uid``) and the
``SEQUENCE`` of the latest invitation, so a calendar that knows the session from an
invitation recognises it. Cancelled sessions stay in the feed with ``STATUS:CANCELLED``
(a subscribed calendar removes or strikes them through). Only what is public goes in:
date, time, place, the public agenda items and the link to the public session page;
never the online meeting link, which is for the members.
"""

from __future__ import annotations

import datetime
import zoneinfo

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from councils.models import Council

from .calendar import PRODID
from .models import Session

#: how often subscribed calendars should fetch the feed again
REFRESH_INTERVAL = datetime.timedelta(hours=6)


def _event(session: Session, *, council: Council, url: str, stamp: datetime.datetime):
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime.combine(session.date, session.start_time, tzinfo=tz)
    end = (
        datetime.datetime.combine(session.date, session.end_time, tzinfo=tz)
        if session.end_time
        else start + datetime.timedelta(hours=2)
    )
    cancelled = session.status == Session.Status.CANCELLED
    event = icalendar.Event()
    event.add("uid", session.ical_uid)
    event.add("sequence", session.latest_sequence or 0)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    summary = f"{session.ordinal_label} – {council.name}"
    if cancelled:
        summary = _("Cancelled: %(session)s") % {"session": summary}
    event.add("summary", summary)
    if session.place:
        event.add("location", session.place)
    lines = []
    if cancelled:
        lines.append(_("The session is cancelled."))
    items = getattr(session, "public_items", [])
    if items:
        lines.append(_("Agenda:"))
        lines += [f"{index}. {item.title}" for index, item in enumerate(items, start=1)]
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("class", "PUBLIC")
    return event


def council_calendar_ics(*, council: Council, sessions, url_for, calendar_url: str) -> bytes:
    """The feed of ``sessions`` (from ``calendar_sessions``); ``url_for(session)`` gives the
    absolute address of a session's public page. In the council's language."""
    stamp = timezone.now().replace(microsecond=0)
    with translation.override(council.language):
        calendar = icalendar.Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        description = _("Sessions of %(council)s") % {"council": council.name}
        calendar.add("name", council.name)
        calendar.add("x-wr-calname", council.name)
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL).to_ical().decode())
        calendar.add("url", calendar_url)
        calendar.add("source", calendar_url, parameters={"VALUE": "URI"})
        days = []
        for session in sessions:
            calendar.add_component(
                _event(session, council=council, url=url_for(session), stamp=stamp)
            )
            days.append(session.date)
    if days:
        calendar.add_missing_timezones(
            first_date=min(days) - datetime.timedelta(days=1),
            last_date=max(days) + datetime.timedelta(days=1),
        )
    return calendar.to_ical()
