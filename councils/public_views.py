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
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.views.generic import TemplateView

from reports.selectors import reports_published
from sessions import public_selectors as session_selectors

from . import public_indicators, public_selectors

COUNCILS_PER_PAGE = 20
PAST_SESSIONS_PER_PAGE = 10


def absolute_url(path: str) -> str:
    """``path`` on the site's public address (``SITE_URL``), for feeds and calendars."""
    return f"{settings.SITE_URL}{path}"


def public_url(name: str, council, **kwargs) -> str:
    return reverse(f"public:{name}", kwargs={"council_slug": council.slug, **kwargs})


#: stands for the last argument of a URL in ``_url_maker`` (no real value is this long)
_URL_MARKER = 987654321987654321


def _url_maker(name: str, council):
    """``reverse`` once per page: a function giving the URL ``name`` of the council for
    any value of its last argument (a session's primary key, a report's year)."""
    head, tail = reverse(f"public:{name}", args=[council.slug, _URL_MARKER]).split(str(_URL_MARKER))
    return lambda value: f"{head}{value}{tail}"


def _link_sessions(council, sessions) -> None:
    """What the council page shows of each session, computed once instead of in the
    template's loops (twice for a past session): ``url`` and ``heading`` ("3. seja,
    2. december 2026")."""
    session_url = _url_maker("session", council)
    for session in sessions:
        session.url = session_url(session.pk)
        session.heading = f"{session.ordinal_label}, {date_format(session.date, 'DATE_FORMAT')}"


def _translated(message: str, **values) -> SafeString:
    """``{% blocktranslate %}`` in Python: the translated ``message`` with its values
    escaped (not the translation itself, as the template tag does)."""
    return mark_safe(message % {name: conditional_escape(v) for name, v in values.items()})


def _link_reports(council, revisions) -> None:
    """What the council page shows of each published report, computed once instead of by
    tags in the template's loop: ``url``, ``pdf_url``, ``title`` ("Report 2024 and work
    plan 2025"), ``adopted`` ("Adopted on 3 March 2025", ", revision 2" after it when
    there was a correction), ``pdf_hint`` ("of the report 2024") and ``size_text``."""
    report_url, pdf_url = _url_maker("report", council), _url_maker("report_pdf", council)
    for revision in revisions:
        year = revision.report.year
        revision.url = report_url(year)
        revision.pdf_url = pdf_url(year)
        revision.title = _translated(
            gettext("Report %(year)s and work plan %(plan_year)s"), year=year, plan_year=year + 1
        )
        revision.adopted = _translated(
            gettext("Adopted on %(date)s"), date=date_format(revision.adopted_on, "DATE_FORMAT")
        )
        if revision.number > 1:
            correction = _translated(gettext("revision %(number)s"), number=revision.number)
            revision.adopted = mark_safe(f"{revision.adopted}, {correction}")
        revision.pdf_hint = _translated(gettext("of the report %(year)s"), year=year)
        revision.size_text = filesizeformat(revision.size)


class PublicCouncilMixin:
    """Resolves ``self.council`` from the URL: a council with a published page, else 404."""

    def get_council(self, slug: str):
        return public_selectors.council_published_get(slug=slug)

    def get_municipalities(self) -> list:
        return list(self.council.municipalities.all())

    def dispatch(self, request, *args, **kwargs):
        council = self.get_council(kwargs["council_slug"])
        if council is None:
            raise Http404
        self.council = council
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return super().dispatch(request, *args, **kwargs)  # the visitor's own choice
        # A visitor who has not picked a language reads the page in the council's language
        # (a Norwegian council that writes in English: English), as its feed is written.
        with translation.override(council.language):
            request.LANGUAGE_CODE = translation.get_language()
            response = super().dispatch(request, *args, **kwargs)
            if callable(getattr(response, "render", None)):
                response.render()  # in this language, not after the view has returned
            response.headers["Content-Language"] = request.LANGUAGE_CODE
            return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["council"] = self.council
        context["municipalities"] = self.get_municipalities()
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
    """A council's public page: profile, members, sessions, reports, indicators.

    The page is not cached: it reads in lean queries only what it shows (the council with
    its working groups in one, the past sessions with their number in one, the indicators'
    values of the five years shown with their indicators in one). Only its indicator
    section comes from a cache, keyed on everything it shows (``public_indicators``).
    """

    template_name = "public/council.html"

    def get_council(self, slug: str):
        return public_selectors.council_page_get(slug=slug)

    def get_municipalities(self) -> list:
        return public_selectors.municipalities_of(council=self.council)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council = self.council
        past = session_selectors.sessions_past_public_page(
            council=council, page=self.request.GET.get("page"), per_page=PAST_SESSIONS_PER_PAGE
        )
        municipalities = [(m.pk, m.name) for m in context["municipalities"]]
        upcoming = session_selectors.sessions_upcoming_public(council=council)
        _link_sessions(council, [*upcoming, *past.object_list])
        reports = reports_published(council=council)
        _link_reports(council, reports)
        context.update(
            parent=council.published_parent,
            working_groups=council.published_working_groups,
            police_station=public_selectors.police_station_label(council=council),
            member_groups=public_selectors.members_public(council=council),
            upcoming=upcoming,
            past_page=past,
            past_sessions=past.object_list,
            reports=reports,
            indicators=public_indicators.indicator_section(
                council=council, municipalities=municipalities
            ),
        )
        return context
