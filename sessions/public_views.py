"""Public session pages and the council's calendar feed (under /javno/<council>/)."""

from __future__ import annotations

from django.http import Http404
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from councils.public_views import PublicCouncilMixin, absolute_url, public_url
from sosvet.downloads import file_response

from . import public_selectors
from .public_calendar import council_calendar_ics


class SessionPageView(PublicCouncilMixin, TemplateView):
    """One public session: its public agenda items, and once the minutes are published,
    their public part (items, summaries, conclusions)."""

    template_name = "public/session.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = public_selectors.session_public_get(council=self.council, pk=self.kwargs["pk"])
        if session is None:
            raise Http404
        minutes = public_selectors.public_minutes_for(council=self.council, sessions=[session])
        public_minutes = minutes.get(session.pk)
        start, end = public_selectors.session_public_times(session=session, minutes=public_minutes)
        context.update(
            session=session,
            public_minutes=public_minutes,
            start_time=start,
            end_time=end,
            is_cancelled=session.status == session.Status.CANCELLED,
        )
        return context


class CalendarView(PublicCouncilMixin, View):
    """The iCalendar feed of the council's public sessions (subscribe by its address)."""

    def get(self, request, *args, **kwargs):
        council = self.council
        content = council_calendar_ics(
            council=council,
            sessions=public_selectors.calendar_sessions(council=council),
            url_for=lambda session: absolute_url(public_url("session", council, pk=session.pk)),
            calendar_url=absolute_url(public_url("calendar", council)),
        )
        return file_response(
            content,
            content_type="text/calendar; charset=utf-8",
            filename=f"{slugify(council.slug)}.ics",
            inline=True,
        )
