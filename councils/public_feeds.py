"""The Atom feed of what a council publishes: convened sessions, published minutes and
published annual reports, newest first, in the council's language."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import formats, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from reports import annual
from reports.selectors import reports_published
from sessions import public_selectors as session_selectors

from . import public_selectors
from .public_views import absolute_url, public_url

#: the most entries of each kind the feed carries
FEED_LIMIT = 30


@dataclass(frozen=True)
class Entry:
    guid: str
    title: str
    description: str
    link: str
    updated: datetime.datetime


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def feed_entries(*, council) -> list[Entry]:
    """The feed's entries (in the active language), newest first."""
    entries: list[Entry] = []
    for session in session_selectors.sessions_convened_list(council=council, limit=FEED_LIMIT):
        link = absolute_url(public_url("session", council, pk=session.pk))
        when = _("%(date)s at %(time)s") % {
            "date": _date(session.date),
            "time": session.start_time.strftime("%H:%M"),
        }
        values = {"session": session.ordinal_label, "date": _date(session.date)}
        if session.status == session.Status.CANCELLED:
            title = _("Cancelled: %(session)s, %(date)s") % values
        else:
            title = _("Convened: %(session)s, %(date)s") % values
        lines = [when + (f", {session.place}" if session.place else "") + "."]
        if session.public_items:
            lines.append(
                _("Agenda: %(items)s.")
                % {"items": "; ".join(i.title for i in session.public_items)}
            )
        cancelled = session.status == session.Status.CANCELLED
        entries.append(
            Entry(
                # A cancellation is news of its own: a new entry, not an old one retitled.
                guid=f"{link}#cancelled" if cancelled else f"{link}#convened",
                title=title,
                description=" ".join(lines),
                link=link,
                # An amended invitation updates the entry.
                updated=session.changed_at or session.convened_at,
            )
        )
    for session, published_at in session_selectors.minutes_published_list(
        council=council, limit=FEED_LIMIT
    ):
        link = absolute_url(public_url("session", council, pk=session.pk))
        entries.append(
            Entry(
                guid=f"{link}#minutes",
                title=_("Minutes: %(session)s, %(date)s")
                % {
                    "session": session.ordinal_label,
                    "date": _date(session.date),
                },
                description=_("The public part of the approved minutes and the conclusions."),
                link=f"{link}#minutes",
                updated=published_at,
            )
        )
    for revision in reports_published(council=council)[:FEED_LIMIT]:
        year = revision.report.year
        link = absolute_url(public_url("report", council, year=year))
        entries.append(
            Entry(
                guid=f"{link}#revision-{revision.number}",
                title=annual.report_title(year=year),
                description=_(
                    "Adopted on %(date)s; the report and the work plan as a web page and as PDF."
                )
                % {"date": _date(revision.adopted_on)},
                link=link,
                updated=revision.published_at,
            )
        )
    entries.sort(key=lambda e: (e.updated, e.guid), reverse=True)
    return entries


class CouncilFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        council = public_selectors.council_published_get(slug=kwargs["council_slug"])
        if council is None:
            raise Http404
        request.public_council = council
        with translation.override(council.language):
            return super().__call__(request, *args, **kwargs)

    def get_object(self, request, council_slug):
        council = request.public_council
        council.feed_entries = feed_entries(council=council)
        return council

    def title(self, council):
        return council.name

    def subtitle(self, council):
        return _("Sessions, minutes and reports of %(council)s") % {"council": council.name}

    def link(self, council):
        return absolute_url(public_url("council", council))

    def feed_url(self, council):
        return absolute_url(public_url("feed", council))

    def feed_guid(self, council):
        return self.feed_url(council)

    def author_name(self, council):
        return council.name

    def author_email(self, council):
        return council.contact_email or None

    def author_link(self, council):
        return self.link(council)

    def items(self, council):
        return council.feed_entries

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        return entry.description

    def item_link(self, entry):
        return entry.link

    def item_guid(self, entry):
        return entry.guid

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.updated

    def item_updateddate(self, entry):
        return entry.updated
