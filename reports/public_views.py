"""Published annual reports on the public pages (under /javno/<council>/porocila/<year>/).

The public sees the latest *published* revision of a year's report
(``selectors.report_published``): never a draft, never a revision that was adopted but
not published. While a published report is being corrected, the published revision stays
the public one until the correction is adopted and published in turn.

The HTML page renders the revision's stored snapshot with the document template itself
(``reports/pdf/annual_report.html``, the one the PDF was made from) inside the site's
page; the PDF is the revision's stored bytes, exactly as adopted.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.http import Http404
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import TemplateView

from councils.public_views import PublicCouncilMixin

from . import annual, selectors
from .documents import render_html
from .models import MAX_YEAR, MIN_YEAR
from .views import pdf_response

#: the document template's base for the public page: the document's content only
DOCUMENT_BASE = "public/report_document.html"


class PublishedReportMixin(PublicCouncilMixin):
    def get_revision(self):
        year = self.kwargs["year"]
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise Http404
        revision = selectors.report_published(council=self.council, year=year)
        if revision is None:
            raise Http404
        return revision


def document_html(*, council, revision, request=None) -> str:
    """The adopted content of ``revision`` as an HTML fragment in the council's language,
    rendered by the same template as its PDF."""
    arguments = annual._render_arguments(
        council=council, snapshot=revision.snapshot, is_draft=False
    )
    context = arguments["context"]
    # The logo of the PDF is served to signed-in users only; the public page goes without.
    context["council"] = SimpleNamespace(name=context["council"].name, logo=None, slug=council.slug)
    context["document_base"] = DOCUMENT_BASE
    arguments["context"] = context
    return render_html(**arguments, request=request)


class ReportPageView(PublishedReportMixin, TemplateView):
    template_name = "public/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        revision = self.get_revision()
        report = revision.report
        context.update(
            revision=revision,
            report=report,
            title=annual.report_title(year=report.year),
            short_title=annual.report_short_title(year=report.year),
            document=mark_safe(  # noqa: S308 - rendered by our own autoescaping template
                document_html(council=self.council, revision=revision, request=self.request)
            ),
        )
        return context


class ReportPdfView(PublishedReportMixin, View):
    """The published revision's PDF: the stored bytes, exactly as adopted."""

    def get(self, request, *args, **kwargs):
        revision = self.get_revision()
        return pdf_response(
            bytes(revision.pdf),
            annual.report_filename(
                council=self.council, year=revision.report.year, revision=revision.number
            ),
            sha256=revision.sha256,
        )
