"""What the public sees of a council's sessions (the public pages and feeds).

The rules, in one place:

- A session is public once it has been convened (status convened, held or closed). A
  draft is the secretary's working copy and appears nowhere public. A cancelled session
  is public (marked cancelled) only if it had been convened, i.e. an invitation went out
  for it; a draft that was cancelled never existed for the public.
- Of a public session's agenda only the items marked public appear.
- Of the minutes only a published version appears (approved, then published by the
  secretary: ``MinutesVersion.published_at``), the latest one that was published, and
  only its public part, read from that approved version, the official record: the items
  marked public with their summary and the conclusions marked public under them. A
  conclusion marked public under an item that is not public stays hidden with its item.
  While published minutes are re-opened for a correction, and after the correction is
  approved until it is published, the public keeps seeing the version published before;
  a draft or a version never published appears nowhere.

Every selector takes ``council=`` and lists only that council's rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from councils.models import Council

from .models import AgendaItem, Invitation, Minutes, MinutesVersion, Session, sitting_times

#: statuses that make a session public on their own
PUBLIC_STATUSES = (Session.Status.CONVENED, Session.Status.HELD, Session.Status.CLOSED)
#: of these, the sessions that have taken place
HELD_STATUSES = (Session.Status.HELD, Session.Status.CLOSED)
#: the largest primary key a URL may name (bigint)
MAX_PK = 2**63 - 1


def _was_convened() -> Exists:
    return Exists(Invitation.objects.filter(session=OuterRef("pk")))


def public_sessions(*, council: Council) -> QuerySet[Session]:
    """Every public session of the council (see the module docstring), unordered."""
    return Session.objects.for_council(council).filter(
        Q(status__in=PUBLIC_STATUSES) | Q(_was_convened(), status=Session.Status.CANCELLED)
    )


def _public_items() -> Prefetch:
    items = (
        AgendaItem.objects.filter(is_public=True)
        .select_related("presenter", "presenter_organisation")
        .order_by("position", "pk")
    )
    return Prefetch("agenda_items", queryset=items, to_attr="public_items")


#: what the council page shows of a session (the rest of the row is not read)
PAGE_FIELDS = ("council_id", "number", "date", "start_time", "place", "status")


def sessions_upcoming_public(
    *, council: Council, today: datetime.date | None = None
) -> list[Session]:
    """Convened sessions from today on (and cancelled ones that had been convened), soonest
    first, each with the titles of its public agenda items as ``public_item_titles``.

    The rule of ``public_sessions`` narrowed to these two statuses, read without its
    subquery: a cancelled session's invitations are looked up only when there is one
    (one query when there is no such session, two with their agenda items, three when
    one of them is cancelled)."""
    today = today or timezone.localdate()
    sessions = list(
        Session.objects.for_council(council)
        .filter(status__in=[Session.Status.CONVENED, Session.Status.CANCELLED], date__gte=today)
        .only(*PAGE_FIELDS)
        .order_by("date", "start_time", "pk")
    )
    cancelled = {s.pk for s in sessions if s.status == Session.Status.CANCELLED}
    if cancelled:
        convened = set(
            Invitation.objects.filter(session_id__in=cancelled).values_list("session_id", flat=True)
        )
        sessions = [s for s in sessions if s.pk not in cancelled or s.pk in convened]
    titles: dict[int, list[str]] = {}
    if sessions:
        items = (
            AgendaItem.objects.filter(session_id__in=[s.pk for s in sessions], is_public=True)
            .order_by("position", "pk")
            .values_list("session_id", "title")
        )
        for session_id, title in items:
            titles.setdefault(session_id, []).append(title)
    for session in sessions:
        session.public_item_titles = titles.get(session.pk, [])
    return sessions


def sessions_past_public(*, council: Council, today: datetime.date | None = None):
    """Sessions that have taken place, newest first: held or closed, and convened sessions
    whose day has passed (the secretary has not marked them held yet)."""
    today = today or timezone.localdate()
    return (
        Session.objects.for_council(council)
        .filter(Q(status__in=HELD_STATUSES) | Q(status=Session.Status.CONVENED, date__lt=today))
        .order_by("-date", "-start_time", "-pk")
    )


def sessions_past_public_page(
    *, council: Council, page, per_page: int, today: datetime.date | None = None
) -> Page:
    """One page of ``sessions_past_public`` as ``Paginator.get_page`` gives it (a page that
    is not a number is the first, one out of range the last), each session with the
    public part of its published minutes as ``public_minutes`` (None: not published).

    The number of sessions is read with the page's rows (a window function) instead of by
    a separate COUNT: two queries in all (three only for a page out of range).
    """
    sessions = sessions_past_public(council=council, today=today)
    paginator = Paginator(sessions, per_page)
    try:
        number = int(page)
    except (TypeError, ValueError):
        number = 1
    rows = []
    if number >= 1:
        offset = (number - 1) * per_page
        rows = list(
            sessions.only(*PAGE_FIELDS).annotate(total=Window(Count("pk")))[
                offset : offset + per_page
            ]
        )
    if rows or number == 1:
        paginator.count = rows[0].total if rows else 0  # instead of its COUNT query
        result = Page(rows, number, paginator)
    else:
        result = paginator.get_page(number)  # out of range: counts, then the last page
        result.object_list = rows = list(result.object_list)
    minutes = public_minutes_for(council=council, sessions=rows)
    for session in rows:
        session.public_minutes = minutes.get(session.pk)
    return result


def session_public_get(*, council: Council, pk: int) -> Session | None:
    """One public session of the council with its public agenda items, or None."""
    if not 1 <= pk <= MAX_PK:
        return None
    return (
        public_sessions(council=council)
        .select_related("minutes")
        .prefetch_related(_public_items())
        .filter(pk=pk)
        .first()
    )


# The public part of published minutes ------------------------------------------------


@dataclass(frozen=True)
class PublicConclusion:
    label: str
    text: str
    tasks: list[dict] = field(default_factory=list)
    #: the heading "Conclusion 3/1:" in the active language, the label escaped
    caption: str = ""


@dataclass(frozen=True)
class PublicItem:
    position: int
    title: str
    summary: str
    conclusions: list[PublicConclusion]


@dataclass(frozen=True)
class PublicMinutes:
    """The public part of an approved version of the minutes."""

    version: int
    approved_on: datetime.date
    published_at: datetime.datetime | None
    items: list[PublicItem]
    hidden_item_count: int
    #: when the sitting opened and closed as these minutes record it (None: not recorded)
    started_at: datetime.time | None = None
    ended_at: datetime.time | None = None

    @cached_property
    def conclusions(self) -> list[PublicConclusion]:
        return [c for item in self.items for c in item.conclusions]


def public_part(snapshot: dict, *, version: int, approved_on, published_at=None) -> PublicMinutes:
    """The public items and conclusions of a minutes snapshot (``minutes_snapshot``)."""
    caption = gettext("Conclusion %(label)s:")
    items, hidden = [], 0
    for item in snapshot.get("items", []):
        if not item.get("is_public"):
            hidden += 1
            continue
        conclusions = [
            PublicConclusion(
                label=c.get("label", ""),
                text=c.get("text", ""),
                caption=mark_safe(caption % {"label": conditional_escape(c.get("label", ""))}),
                tasks=[
                    {
                        "title": t.get("title", ""),
                        "responsible": t.get("responsible", ""),
                        "due_date": datetime.date.fromisoformat(t["due_date"])
                        if t.get("due_date")
                        else None,
                    }
                    for t in c.get("tasks", [])
                ],
            )
            for c in item.get("conclusions", [])
            if c.get("is_public")
        ]
        items.append(
            PublicItem(
                position=item.get("position", 0),
                title=item.get("title", ""),
                summary=item.get("summary", ""),
                conclusions=conclusions,
            )
        )
    return PublicMinutes(
        version=version,
        approved_on=approved_on,
        published_at=published_at,
        items=items,
        hidden_item_count=hidden,
        started_at=_time(snapshot.get("started_at")),
        ended_at=_time(snapshot.get("ended_at")),
    )


def _time(value) -> datetime.time | None:
    """A snapshot's "HH:MM" (absent from snapshots taken before times were recorded)."""
    try:
        return datetime.time.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def session_public_times(
    *, session: Session, minutes: PublicMinutes | None
) -> tuple[datetime.time, datetime.time | None]:
    """(start, end) of a public session: the times its published minutes record, each
    falling back to the planned one. Unpublished (draft) minutes are not public, so
    their times are not read."""
    return sitting_times(
        planned_start=session.start_time,
        planned_end=session.end_time,
        started=minutes.started_at if minutes else None,
        ended=minutes.ended_at if minutes else None,
    )


def public_minutes_for(*, council: Council, sessions) -> dict[int, PublicMinutes]:
    """{session id: public part of the latest published version of its minutes} for the
    given sessions of the council (one query; the PDF bytes are not loaded)."""
    ids = [s.pk for s in sessions]
    if not ids:
        return {}
    versions = (
        MinutesVersion.objects.filter(
            minutes__session__council=council,
            minutes__session_id__in=ids,
            published_at__isnull=False,
        )
        .order_by("minutes_id", "number")
        .values_list(
            # the items only: all the public part is made of (the attendance is not read)
            "minutes__session_id",
            "number",
            "snapshot__items",
            "snapshot__started_at",
            "snapshot__ended_at",
            "approved_on",
            "published_at",
        )
    )
    latest: dict[int, tuple] = {}
    for session_id, *version in versions:
        latest[session_id] = version  # the highest published number wins
    return {
        session_id: public_part(
            {"items": items or [], "started_at": started_at, "ended_at": ended_at},
            version=number,
            approved_on=approved_on,
            published_at=published_at,
        )
        for session_id, (
            number,
            items,
            started_at,
            ended_at,
            approved_on,
            published_at,
        ) in latest.items()
    }


def minutes_published_list(
    *, council: Council, limit: int
) -> list[tuple[Session, datetime.datetime]]:
    """The council's minutes with a published version, newest publication first:
    (session, when its latest published version was published)."""
    rows = (
        Minutes.objects.filter(session__council=council)
        .annotate(last_published=Max("versions__published_at"))
        .filter(last_published__isnull=False)
        .select_related("session")
        .order_by("-last_published", "-pk")[:limit]
    )
    return [(minutes.session, minutes.last_published) for minutes in rows]


def calendar_sessions(*, council: Council) -> QuerySet[Session]:
    """The sessions of the public calendar feed, with the calendar ``sequence`` of their
    latest invitation and their public agenda items."""
    return (
        public_sessions(council=council)
        .annotate(
            latest_sequence=Max("invitations__sequence"),
            invitation_count=Count("invitations", distinct=True),
        )
        .prefetch_related(_public_items())
        .order_by("date", "start_time", "pk")
    )


def sessions_convened_list(*, council: Council, limit: int):
    """Public sessions with the time of their first invitation (``convened_at``) and of
    their latest one (``changed_at``: an amended invitation, the cancellation), newest
    first: the "session convened" and "session cancelled" entries of the Atom feed."""
    first_invitation = (
        Invitation.objects.filter(session=OuterRef("pk")).order_by("revision").values("created")[:1]
    )
    return (
        public_sessions(council=council)
        .annotate(convened_at=Subquery(first_invitation), changed_at=Max("invitations__created"))
        .filter(convened_at__isnull=False)
        .prefetch_related(_public_items())
        .order_by("-convened_at", "-pk")[:limit]
    )
