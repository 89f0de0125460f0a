"""The public pages (no sign-in) under /javno/: the portal index and each council's page.

Only councils whose public page is published exist here: any other slug answers 404 on
every public URL (``PublicCouncilMixin``), exactly like a slug that does not exist. The
pages read through the public selectors (``councils.public_selectors``,
``sessions.public_selectors``, ``reports.selectors.reports_published``), which never
return anything not marked public, nor any member's e-mail address or phone number.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView

from reports.selectors import reports_published
from sessions import public_selectors as session_selectors

from . import public_selectors, selectors

COUNCILS_PER_PAGE = 20
PAST_SESSIONS_PER_PAGE = 10


def absolute_url(path: str) -> str:
    """``path`` on the site's public address (``SITE_URL``), for feeds and calendars."""
    return f"{settings.SITE_URL}{path}"


def public_url(name: str, council, **kwargs) -> str:
    return reverse(f"public:{name}", kwargs={"council_slug": council.slug, **kwargs})


class PublicCouncilMixin:
    """Resolves ``self.council`` from the URL: a council with a published page, else 404."""

    def dispatch(self, request, *args, **kwargs):
        council = public_selectors.council_published_get(slug=kwargs["council_slug"])
        if council is None:
            raise Http404
        self.council = council
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["council"] = self.council
        context["municipalities"] = list(self.council.municipalities.all())
        context["feed_url"] = public_url("feed", self.council)
        context["calendar_url"] = public_url("calendar", self.council)
        context["calendar_absolute_url"] = absolute_url(context["calendar_url"])
        context["page_url"] = absolute_url(self.request.path)
        return context


class IndexView(TemplateView):
    """Every council whose public page is published; searchable, paginated."""

    template_name = "public/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = self.request.GET.get("q", "").strip()[: public_selectors.SEARCH_MAX_LENGTH]
        councils = public_selectors.councils_published(search=search)
        page = Paginator(councils, COUNCILS_PER_PAGE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            search=search,
            page_obj=page,
            councils=page.object_list,
            querystring=query.urlencode(),
            page_url=absolute_url(self.request.path),
        )
        return context


class CouncilPageView(PublicCouncilMixin, TemplateView):
    """A council's public page: profile, members, sessions, reports, indicators."""

    template_name = "public/council.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council = self.council
        past = Paginator(
            session_selectors.sessions_past_public(council=council), PAST_SESSIONS_PER_PAGE
        ).get_page(self.request.GET.get("page"))
        past_sessions = list(past.object_list)
        minutes = session_selectors.public_minutes_for(council=council, sessions=past_sessions)
        for session in past_sessions:
            session.public_minutes = minutes.get(session.pk)
        parent = council.parent if council.parent and council.parent.is_published else None
        context.update(
            parent=parent,
            working_groups=list(public_selectors.working_groups_published(council=council)),
            police_station=public_selectors.police_station_label(council=council),
            member_groups=public_selectors.members_public(council=council),
            upcoming=list(session_selectors.sessions_upcoming_public(council=council)),
            past_page=past,
            past_sessions=past_sessions,
            reports=reports_published(council=council),
            summary=selectors.indicator_summary(council=council),
        )
        return context
