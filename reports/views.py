"""Report pages under /c/<council_slug>/reports/.

Who may do what (the permission matrix in tests/reports/permission_rows.py):

- secretary and chair (``can_manage_council``): everything — create, edit, adopt, publish,
  correct, create sessions from the plan;
- mayor's office (``can_download_reports``): reads every report, drafts included (the
  preview and the PDF, watermarked), downloads; changes nothing (403);
- members (``can_view_council`` without ``can_download_reports``): read and download the
  adopted revisions; drafts are the secretary's working copy and answer 403;
- another council's users: 404; anonymous visitors: the sign-in page.
"""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from councils import permissions
from councils.forms import apply_errors
from councils.tenancy import CouncilFormView, CouncilViewMixin
from sosvet.downloads import file_response

from . import annual, selectors, services
from .forms import (
    PlannedSessionFormSet,
    PlannedTopicFormSet,
    ReportAdoptForm,
    ReportCreateForm,
    ReportReopenForm,
    ReportTextsForm,
)
from .models import MAX_YEAR, MIN_YEAR, AnnualReport, ReportRevision


def _report_url(name: str, report: AnnualReport) -> str:
    return reverse(
        f"reports:{name}", kwargs={"council_slug": report.council.slug, "year": report.year}
    )


def pdf_response(data: bytes, filename: str, *, sha256: str | None = None) -> HttpResponse:
    """A PDF download: exactly ``data``, never sniffed, never cached by shared caches."""
    response = file_response(data, content_type="application/pdf", filename=filename)
    response["Content-Length"] = str(len(data))
    response["Cache-Control"] = "private, no-cache"
    if sha256:
        digest = base64.b64encode(bytes.fromhex(sha256)).decode()
        response["Repr-Digest"] = f"sha-256=:{digest}:"
        response["ETag"] = f'"{sha256}"'
    return response


# Lists and creation -------------------------------------------------------------------------


class ReportListView(CouncilViewMixin, TemplateView):
    """The council's reports page: every report with its status and adopted revisions."""

    template_name = "reports/report_list.html"
    permission = staticmethod(permissions.can_view_council)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reports"] = selectors.reports_list(
            council=self.council, include_drafts=self.access.can_download_reports
        )
        if self.access.can_manage:
            context["create_form"] = ReportCreateForm(
                initial={"year": timezone.localdate().year - 1}
            )
        return context


class ReportCreateView(CouncilFormView):
    template_name = "reports/report_create.html"
    form_class = ReportCreateForm
    success_message = gettext_lazy(
        "The draft is created, pre-filled from the council's profile and last year's report."
    )

    def get_initial(self):
        return {"year": timezone.localdate().year - 1}

    def perform(self, form):
        return services.report_create(
            council=self.council, by=self.request.user, year=form.cleaned_data["year"]
        )

    def get_success_url(self):
        return _report_url("report_edit", self.object)


# One report ------------------------------------------------------------------------------------


class ReportMixin(CouncilViewMixin):
    """Resolves ``self.report`` (the council's report of the URL's year) with the permission.

    ``permission`` is checked by ``CouncilViewMixin`` once the council is known; here it
    also fetches the report (404 when there is none) and applies the report's own rule:
    the live document of a draft is for those who ``can_download_reports``; members see
    adopted revisions only.
    """

    #: the council-level predicate of the page (councils.permissions)
    council_permission = staticmethod(permissions.can_view_council)
    #: True when the page shows the live document (the draft), not stored revisions
    shows_live_document = True

    def permission(self, user, council) -> bool:
        if not self.council_permission(user, council):
            return False
        year = self.kwargs["year"]
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise Http404
        self.report = get_object_or_404(
            AnnualReport.objects.for_council(council).select_related("adopted_at_session"),
            year=year,
        )
        self.report.council = council
        access = permissions.council_access(user, council)
        if access.can_download_reports:
            return True
        # Members: adopted revisions only.
        if self.shows_live_document:
            return not self.report.is_draft
        return self.report.revisions.exists()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = self.report
        return context

    def report_url(self, name: str = "report_detail") -> str:
        return _report_url(name, self.report)

    def get_success_url(self):
        return self.report_url()


def _post_action(view, action, success_message, *, redirect_to: str):
    """Run one service for a POST-only button; errors become a message, nothing saved."""
    try:
        with transaction.atomic():
            result = action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(view.request, message)
    else:
        messages.success(view.request, success_message(result))
    return redirect(redirect_to)


class ReportDetailView(ReportMixin, TemplateView):
    """The report's page: status, actions, adopted revisions with SHA-256, plan, history."""

    template_name = "reports/report_detail.html"
    shows_live_document = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        context["revisions"] = list(selectors.report_revisions(report=report))
        context["can_read_draft"] = self.access.can_download_reports
        context["title"] = annual.report_short_title(year=report.year)
        if self.access.can_download_reports:
            context["plan_sessions"] = selectors.report_plan_sessions(report=report)
            context["missing"] = [
                label
                for field, label in (
                    ("intro_text", _("the introduction (1.1)")),
                    ("conclusion_text", _("the conclusion (1.4)")),
                    ("chair_name", _("the chair's name for the signature")),
                )
                if not getattr(report, field).strip()
            ]
        if self.access.can_manage:
            context["history"] = selectors.report_history(report=report)
        return context


class ReportEditView(ReportMixin, TemplateView):
    """The editor: the free texts, the plan rows and the signature block, in one form.

    The assembled parts (membership, sessions, tasks) are shown beside the texts as they
    will be printed; they refresh from the data until the report is adopted.
    """

    template_name = "reports/report_edit.html"
    council_permission = staticmethod(permissions.can_manage_council)

    def get(self, request, *args, **kwargs):
        if not self.report.is_editable:
            messages.info(request, _("The report is adopted. Start a correction to change it."))
            return redirect(self.report_url())
        return super().get(request, *args, **kwargs)

    def forms(self, data=None):
        report = self.report
        has_previous_plan = selectors.previous_plan(council=self.council, year=report.year)
        return (
            ReportTextsForm(
                data, instance=report, prefix="texts", has_previous_plan=bool(has_previous_plan)
            ),
            PlannedSessionFormSet(
                data,
                queryset=selectors.report_plan_sessions(report=report),
                prefix="sessions",
                report=report,
            ),
            PlannedTopicFormSet(
                data,
                queryset=selectors.report_plan_topics(report=report),
                prefix="topics",
                report=report,
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in kwargs:
            form, sessions, topics = self.forms()
            context.update(form=form, session_formset=sessions, topic_formset=topics)
        snapshot = annual.report_snapshot(report=self.report)
        context["doc"] = annual.report_document_context(
            council=self.council, snapshot=snapshot, is_draft=True
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.report.is_editable:
            messages.error(request, _("The report is adopted. Start a correction to change it."))
            return redirect(self.report_url())
        form, sessions, topics = self.forms(request.POST)
        valid = all([form.is_valid(), sessions.is_valid(), topics.is_valid()])
        if valid:
            try:
                with transaction.atomic():
                    services.report_update(
                        report=self.report,
                        by=request.user,
                        data=form.cleaned_data,
                        plan_formsets=(sessions, topics),
                    )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The report was saved."))
                if request.POST.get("then") == "preview":
                    return redirect(self.report_url("report_preview"))
                return redirect(self.report_url("report_edit"))
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        return self.render_to_response(
            self.get_context_data(form=form, session_formset=sessions, topic_formset=topics)
        )


class ReportPreviewView(ReportMixin, View):
    """The document as HTML (the PDF's template): the draft, or the adopted revision."""

    def get(self, request, *args, **kwargs):
        report = self.report
        revision = None if report.is_draft else selectors.report_revision(report=report)
        if revision is None:
            snapshot, is_draft = annual.report_snapshot(report=report), True
        else:
            snapshot, is_draft = revision.snapshot, False
        html = annual.report_html(
            council=self.council, snapshot=snapshot, is_draft=is_draft, request=request
        )
        return HttpResponse(html)


class ReportPdfView(ReportMixin, View):
    """The current document as PDF: the adopted bytes, or a fresh draft (watermarked)."""

    def get(self, request, *args, **kwargs):
        report = self.report
        if not report.is_draft:
            revision = selectors.report_revision(report=report)
            return pdf_response(
                bytes(revision.pdf),
                annual.report_filename(
                    council=self.council, year=report.year, revision=revision.number
                ),
                sha256=revision.sha256,
            )
        pdf = annual.report_pdf(
            council=self.council, snapshot=annual.report_snapshot(report=report), is_draft=True
        )
        return pdf_response(
            pdf, annual.report_filename(council=self.council, year=report.year, revision=None)
        )


class RevisionPdfView(ReportMixin, View):
    """An adopted revision, byte for byte as adopted."""

    shows_live_document = False

    def get(self, request, *args, **kwargs):
        number = kwargs["number"]
        if not 1 <= number <= 32767:
            raise Http404
        revision = get_object_or_404(
            ReportRevision.objects.filter(report=self.report), number=number
        )
        return pdf_response(
            bytes(revision.pdf),
            annual.report_filename(council=self.council, year=self.report.year, revision=number),
            sha256=revision.sha256,
        )


# Adoption, publication, correction, sessions -------------------------------------------------


class ReportAdoptView(ReportMixin, CouncilFormView):
    template_name = "reports/report_adopt.html"
    form_class = ReportAdoptForm
    council_permission = staticmethod(permissions.can_manage_council)

    def get(self, request, *args, **kwargs):
        if not self.report.is_draft:
            messages.info(request, _("This revision of the report is already adopted."))
            return redirect(self.report_url())
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(council=self.council, year=self.report.year)
        return kwargs

    def get_initial(self):
        # Usually adopted at the first session of the following year.
        candidates = selectors.sessions_for_adoption(
            council=self.council, year=self.report.year, today=timezone.localdate()
        )
        session = (
            candidates.filter(date__year=self.report.plan_year).order_by("date").first()
            or candidates.first()
        )
        return {"adopted_at_session": session, "adopted_on": session.date if session else None}

    def perform(self, form):
        revision = services.report_adopt(
            report=self.report,
            by=self.request.user,
            adopted_on=form.cleaned_data["adopted_on"],
            adopted_at_session=form.cleaned_data["adopted_at_session"],
        )
        messages.success(
            self.request,
            _("Revision %(number)s is adopted; its PDF is stored (SHA-256 %(sha)s).")
            % {"number": revision.number, "sha": revision.sha256},
        )
        return revision


class ReportPublishView(ReportMixin, View):
    council_permission = staticmethod(permissions.can_manage_council)

    def post(self, request, *args, **kwargs):
        return _post_action(
            self,
            lambda: services.report_publish(report=self.report, by=request.user),
            lambda _report: _("The adopted report is published."),
            redirect_to=self.report_url(),
        )


class ReportReopenView(ReportMixin, CouncilFormView):
    template_name = "reports/report_reopen.html"
    form_class = ReportReopenForm
    council_permission = staticmethod(permissions.can_manage_council)
    success_message = gettext_lazy(
        "The report is open for a correction. The adopted revisions stay available; adopt "
        "it again to store the corrected revision."
    )

    def get(self, request, *args, **kwargs):
        if self.report.is_draft:
            messages.info(request, _("The report is a draft: it can be edited as it is."))
            return redirect(self.report_url())
        return super().get(request, *args, **kwargs)

    def perform(self, form):
        return services.report_reopen(
            report=self.report, by=self.request.user, reason=form.cleaned_data["reason"]
        )

    def get_success_url(self):
        return self.report_url("report_edit")


class PlanSessionsCreateView(ReportMixin, View):
    """Turn the planned sessions into draft sessions of the plan's year (one button)."""

    council_permission = staticmethod(permissions.can_manage_council)

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                result = services.plan_sessions_create(report=self.report, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(self.report_url())
        if result.created:
            messages.success(
                request,
                ngettext(
                    "%(count)d draft session was scheduled from the plan.",
                    "%(count)d draft sessions were scheduled from the plan.",
                    len(result.created),
                )
                % {"count": len(result.created)},
            )
        for planned, reason, session in result.skipped:
            month = planned.get_month_display()
            if reason in ("exists", "linked"):
                text = _("%(month)s already has a session (%(session)s).") % {
                    "month": month,
                    "session": session,
                }
            elif reason == "no_term":
                text = _(
                    "No term of office covers %(month)s %(year)s; no session was scheduled. "
                    "Add the term of office first."
                ) % {"month": month, "year": self.report.plan_year}
            else:
                text = _("%(month)s %(year)s has passed; no session was scheduled.") % {
                    "month": month,
                    "year": self.report.plan_year,
                }
            messages.info(request, text)
        if not result.created and not result.skipped:
            messages.info(request, _("The plan has no sessions yet."))
        return redirect(self.report_url())
