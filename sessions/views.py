"""Session pages under /c/<council_slug>/sessions/ and the public RSVP page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from councils import permissions
from councils.forms import apply_errors
from councils.tenancy import CouncilFormView, CouncilViewMixin, model_data
from sosvet.downloads import file_response

from . import selectors, services
from .emails import change_lines, snapshot_context
from .forms import (
    AgendaItemForm,
    AttachmentForm,
    AttendanceFormSet,
    CancelForm,
    ConclusionEditForm,
    ConclusionForm,
    InvitationForm,
    ItemRecordForm,
    MinutesApproveForm,
    MinutesForm,
    ProposalDecisionForm,
    ProposalForm,
    ReopenForm,
    RSVPForm,
    SessionForm,
    TaskFilterForm,
    TaskForm,
    TaskProgressForm,
)
from .models import (
    AgendaItem,
    AgendaProposal,
    Conclusion,
    Delivery,
    Invitation,
    Invitee,
    ItemRecord,
    Minutes,
    Session,
    Task,
)
from .public_selectors import public_part
from .tokens import InvalidLink, invitee_from_token


class SessionMixin(CouncilViewMixin):
    """Resolves ``self.session`` among the council's sessions (404 otherwise)."""

    session_kwarg = "pk"

    @property
    def session(self) -> Session:
        if not hasattr(self, "_session"):
            self._session = self.get_tenant_object(
                Session.objects.select_related("council", "term"),
                pk=self.kwargs[self.session_kwarg],
            )
        return self._session

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session"] = self.session
        return context

    def session_url(self) -> str:
        return reverse(
            "sessions:session_detail",
            kwargs={"council_slug": self.council.slug, "pk": self.session.pk},
        )


class SessionFormView(SessionMixin, CouncilFormView):
    def get_success_url(self):
        return self.session_url()


def _post_action(view, action, success_message: str, *, redirect_to: str):
    """Run one service for a POST-only button; errors become a message, nothing saved."""
    try:
        with transaction.atomic():
            action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(view.request, message)
    else:
        messages.success(view.request, success_message)
    return redirect(redirect_to)


# Sessions -------------------------------------------------------------------------


def _year_param(value: str) -> int | None:
    """A year (1990–2100) from the query string, or None. ``str.isdigit()`` alone also
    accepts "²" (int() then fails) and 5000-digit numbers (beyond int()'s limit)."""
    if not (value.isascii() and value.isdigit()) or len(value) > 4:
        return None
    year = int(value)
    return year if 1990 <= year <= 2100 else None


class SessionListView(CouncilViewMixin, TemplateView):
    template_name = "sessions/session_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year_param(self.request.GET.get("year", ""))
        context["year"] = year
        context["sessions"] = selectors.sessions_list(council=self.council, year=year)
        return context


class SessionCreateView(CouncilFormView):
    template_name = "sessions/session_form.html"
    form_class = SessionForm
    success_message = gettext_lazy("The session was scheduled. Now build its agenda.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        return kwargs

    def perform(self, form):
        data = model_data(form)
        data["number"] = form.cleaned_data.get("number")
        return services.session_create(council=self.council, by=self.request.user, data=data)

    def get_success_url(self):
        return self.object.get_absolute_url()


class SessionEditView(SessionMixin, SessionCreateView):
    success_message = gettext_lazy("The session was saved.")

    def get_object(self):
        return self.session

    def perform(self, form):
        data = model_data(form)
        if form.cleaned_data.get("number"):
            data["number"] = form.cleaned_data["number"]
        else:
            data.pop("number", None)
        return services.session_update(session=self.session, by=self.request.user, data=data)


class SessionDetailView(SessionMixin, TemplateView):
    template_name = "sessions/session_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        context["items"] = selectors.agenda_items(session=session)
        my_invitee = selectors.invitee_for_user(session=session, user=self.request.user)
        context["my_invitee"] = my_invitee
        if my_invitee is not None:
            context["my_answer"] = selectors.rsvp_current(invitee=my_invitee)
            if "rsvp_form" not in kwargs:
                context["rsvp_form"] = RSVPForm(initial=context["my_answer"])
        if self.access.can_manage:
            context["invitations"] = selectors.invitations_list(session=session)
            context["proposals"] = selectors.proposals_list(council=self.council, session=session)
            context["attendance"] = selectors.attendance_summary(session=session)
        context["review_tasks"] = (
            selectors.tasks_open_for_review(session=session)
            if any(i.standing == AgendaItem.Standing.CONCLUSIONS_REVIEW for i in context["items"])
            else []
        )
        context["minutes"] = Minutes.objects.filter(session=session).first()
        context["can_see_attachments"] = self.access.can_read_internal
        context["can_propose"] = self.access.can_read_internal and session.accepts_proposals
        return context


class SessionCancelView(SessionFormView):
    template_name = "sessions/session_cancel.html"
    form_class = CancelForm
    success_message = gettext_lazy("The session was cancelled.")

    def perform(self, form):
        return services.session_cancel(
            session=self.session, by=self.request.user, reason=form.cleaned_data["reason"]
        )


class SessionHeldView(SessionMixin, View):
    permission = staticmethod(permissions.can_manage_council)

    def post(self, request, *args, **kwargs):
        return _post_action(
            self,
            lambda: services.session_mark_held(session=self.session, by=request.user),
            _("The session is recorded as held."),
            redirect_to=self.session_url(),
        )


# Agenda ---------------------------------------------------------------------------


class AgendaItemCreateView(SessionFormView):
    template_name = "sessions/agenda_item_form.html"
    form_class = AgendaItemForm
    success_message = gettext_lazy("The agenda item was saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        return kwargs

    def perform(self, form):
        return services.agenda_item_create(
            session=self.session, by=self.request.user, data=model_data(form)
        )

    def get_success_url(self):
        return f"{self.session_url()}#agenda"


class AgendaItemEditView(AgendaItemCreateView):
    def get_object(self):
        return get_object_or_404(self.session.agenda_items, pk=self.kwargs["item_pk"])

    def perform(self, form):
        return services.agenda_item_update(
            item=self.object, by=self.request.user, data=model_data(form)
        )


class AgendaItemDeleteView(SessionMixin, TemplateView):
    template_name = "sessions/agenda_item_delete.html"
    permission = staticmethod(permissions.can_manage_council)

    def get_item(self) -> AgendaItem:
        return get_object_or_404(self.session.agenda_items, pk=self.kwargs["item_pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = self.get_item()
        return context

    def post(self, request, *args, **kwargs):
        item = self.get_item()
        return _post_action(
            self,
            lambda: services.agenda_item_delete(item=item, by=request.user),
            _("The agenda item was removed."),
            redirect_to=f"{self.session_url()}#agenda",
        )


class AgendaItemMoveView(SessionMixin, View):
    """Up/down buttons: works without JavaScript (a plain form POST)."""

    permission = staticmethod(permissions.can_manage_council)

    def post(self, request, *args, **kwargs):
        item = get_object_or_404(self.session.agenda_items, pk=self.kwargs["item_pk"])
        direction = request.POST.get("direction")
        if direction not in ("up", "down"):
            messages.error(request, _("Unknown direction."))
            return redirect(f"{self.session_url()}#agenda")
        return _post_action(
            self,
            lambda: services.agenda_item_move(item=item, by=request.user, direction=direction),
            _("The agenda order was changed."),
            redirect_to=f"{self.session_url()}#item-{item.pk}",
        )


class AgendaReorderView(SessionMixin, View):
    """Drag-and-drop with JavaScript posts the whole new order here."""

    permission = staticmethod(permissions.can_manage_council)

    def post(self, request, *args, **kwargs):
        raw = request.POST.get("order", "")
        try:
            order = [int(pk) for pk in raw.split(",") if pk.strip()]
        except ValueError:
            order = []
        try:
            with transaction.atomic():
                services.agenda_reorder(session=self.session, by=request.user, order=order)
        except ValidationError as error:
            if request.headers.get("Accept", "").startswith("application/json"):
                return JsonResponse({"ok": False, "error": error.messages[0]}, status=400)
            messages.error(request, error.messages[0])
            return redirect(f"{self.session_url()}#agenda")
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"ok": True, "message": _("The agenda order was changed.")})
        messages.success(request, _("The agenda order was changed."))
        return redirect(f"{self.session_url()}#agenda")


# Attachments ----------------------------------------------------------------------


class AttachmentUploadView(SessionFormView):
    template_name = "sessions/attachment_form.html"
    form_class = AttachmentForm
    success_message = gettext_lazy("The attachment was uploaded.")

    def get_item(self):
        return get_object_or_404(self.session.agenda_items, pk=self.kwargs["item_pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = self.get_item()
        return context

    def perform(self, form):
        item = self.get_item()
        if not self.session.is_editable:
            raise ValidationError(_("The agenda of a held, closed or cancelled session is frozen."))
        try:
            return services.attachment_add(
                council=self.council,
                by=self.request.user,
                upload=form.cleaned_data["file"],
                agenda_item=item,
            )
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error

    def get_success_url(self):
        return f"{self.session_url()}#item-{self.kwargs['item_pk']}"


class AttachmentDownloadView(CouncilViewMixin, View):
    permission = staticmethod(permissions.can_read_internal)

    def get(self, request, *args, **kwargs):
        try:
            attachment = selectors.attachment_get(council=self.council, pk=kwargs["pk"])
        except Exception as exc:
            raise Http404 from exc
        proposal = attachment.proposal
        if proposal is not None and attachment.agenda_item_id is None:
            # A pending proposal's attachment: its proposer and the managers only.
            mine = proposal.submitted_by_id == request.user.pk
            if not (mine or self.access.can_manage):
                raise Http404
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            as_attachment=attachment.content_type
            not in ("application/pdf", "image/png", "image/jpeg"),
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class AttachmentDeleteView(SessionMixin, View):
    permission = staticmethod(permissions.can_manage_council)

    def post(self, request, *args, **kwargs):
        attachment = get_object_or_404(
            selectors.Attachment.objects.for_council(self.council),
            pk=kwargs["attachment_pk"],
            agenda_item__session=self.session,
        )
        return _post_action(
            self,
            lambda: services.attachment_delete(attachment=attachment, by=request.user),
            _("The attachment was removed."),
            redirect_to=f"{self.session_url()}#agenda",
        )


# Invitations ----------------------------------------------------------------------


class InvitationSendView(SessionFormView):
    """Preview the invitation, choose the recipients, send."""

    template_name = "sessions/invitation_send.html"
    form_class = InvitationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["candidates"] = selectors.invitation_candidates(session=self.session)
        return kwargs

    def get_initial(self):
        invitees = {
            i.person_id for i in Invitee.objects.filter(session=self.session, is_active=True)
        }
        if invitees:
            chosen = [
                m
                for m in selectors.invitation_candidates(session=self.session)
                if m.person_id in invitees
            ]
        else:
            chosen = list(selectors.invitation_default_people(session=self.session))
        guests = Invitee.objects.filter(
            session=self.session, is_active=True, kind=Invitee.Kind.GUEST
        )
        return {
            "memberships": chosen,
            "guests": "\n".join(
                f"{g.name} <{g.email}>"
                + (f", {g.organisation_name}" if g.organisation_name else "")
                for g in guests
            ),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        snapshot = services.invitation_snapshot(session=session)
        latest = selectors.invitation_latest(session=session)
        with translation.override(self.council.language):
            context["preview"] = snapshot_context(snapshot)
            context["preview_changes"] = (
                change_lines(services.invitation_changes(latest.snapshot, snapshot))
                if latest
                else []
            )
        context["latest"] = latest
        context["is_update"] = latest is not None
        return context

    def perform(self, form):
        return services.invitation_send(
            session=self.session,
            by=self.request.user,
            memberships=list(form.cleaned_data["memberships"]),
            guests=form.cleaned_data["guests"],
            message=form.cleaned_data["message"],
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.object is not None and not self.object.queued:
            messages.info(
                self.request,
                _(
                    "Nothing has changed since the last invitation, so it was not sent "
                    "again. The list of recipients was updated."
                ),
            )
        elif self.object is not None:
            count = self.object.queued  # this send only, not the revision's earlier ones
            messages.success(
                self.request,
                translation.ngettext(
                    "The invitation is being sent to %(count)d recipient.",
                    "The invitation is being sent to %(count)d recipients.",
                    count,
                )
                % {"count": count},
            )
        return response

    def get_success_url(self):
        return reverse(
            "sessions:invitation_detail",
            kwargs={
                "council_slug": self.council.slug,
                "pk": self.session.pk,
                "revision": self.object.revision,
            },
        )


class InvitationMixin(SessionMixin):
    permission = staticmethod(permissions.can_manage_council)

    @property
    def invitation(self) -> Invitation:
        return get_object_or_404(
            Invitation.objects.filter(session=self.session).defer("pdf"),
            revision=self.kwargs["revision"],
        )


class InvitationDetailView(InvitationMixin, TemplateView):
    template_name = "sessions/invitation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitation = self.invitation
        context["invitation"] = invitation
        context["deliveries"] = selectors.deliveries_for_invitation(
            invitation=invitation, council=self.council
        )
        with translation.override(invitation.language):
            context["s"] = snapshot_context(invitation.snapshot)
            context["changes"] = change_lines(invitation.changes)
        return context


class InvitationPdfView(InvitationMixin, View):
    permission = staticmethod(permissions.can_read_internal)

    def get(self, request, *args, **kwargs):
        invitation = Invitation.objects.filter(
            session=self.session, revision=kwargs["revision"]
        ).first()
        if invitation is None or invitation.pdf is None:
            raise Http404
        return _pdf_response(
            bytes(invitation.pdf),
            f"vabilo-seja-{invitation.snapshot['number']}-r{invitation.revision}.pdf",
        )


class DeliveryDetailView(SessionMixin, TemplateView):
    """The exact e-mail one recipient received."""

    template_name = "sessions/delivery_detail.html"
    permission = staticmethod(permissions.can_manage_council)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delivery"] = get_object_or_404(
            Delivery.objects.for_council(self.council).select_related("invitation", "invitee"),
            pk=self.kwargs["delivery_pk"],
            session=self.session,
        )
        return context


class DeliveryResendView(SessionMixin, View):
    permission = staticmethod(permissions.can_manage_council)

    def post(self, request, *args, **kwargs):
        delivery = get_object_or_404(
            Delivery.objects.for_council(self.council),
            pk=kwargs["delivery_pk"],
            session=self.session,
        )
        back = request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = self.session_url()
        return _post_action(
            self,
            lambda: services.delivery_resend(delivery=delivery, by=request.user),
            _("The e-mail to %(email)s is queued again.") % {"email": delivery.to_email},
            redirect_to=back,
        )


# Attendance -----------------------------------------------------------------------


class AttendanceView(SessionMixin, TemplateView):
    template_name = "sessions/attendance.html"
    permission = staticmethod(permissions.can_manage_council)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.attendance_summary(session=self.session))
        return context


class AttendanceRemindView(SessionMixin, View):
    permission = staticmethod(permissions.can_manage_council)

    def post(self, request, *args, **kwargs):
        url = reverse(
            "sessions:attendance",
            kwargs={"council_slug": self.council.slug, "pk": self.session.pk},
        )
        try:
            with transaction.atomic():
                count = services.attendance_remind(session=self.session, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(url)
        if count:
            messages.success(
                request,
                translation.ngettext(
                    "A reminder is being sent to %(count)d member.",
                    "A reminder is being sent to %(count)d members.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("Nobody needs a reminder today."))
        return redirect(url)


def _record_rsvp(request, invitee: Invitee, form: RSVPForm) -> bool:
    try:
        with transaction.atomic():
            services.rsvp_record(
                invitee=invitee,
                response=form.cleaned_data["response"],
                note=form.cleaned_data.get("note", ""),
                substitute=form.substitute(),
            )
    except ValidationError as error:
        apply_errors(form, error)
        return False
    return True


class SessionRSVPView(SessionDetailView):
    """A signed-in member answers on the session page. Errors re-render the session page
    with the bound form (each error under its field, the input kept), as the personal
    link's page does; a saved answer goes back to the page, which shows it."""

    permission = staticmethod(permissions.can_view_council)
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        invitee = selectors.invitee_for_user(session=self.session, user=request.user)
        if invitee is None:
            raise PermissionDenied
        form = RSVPForm(request.POST)
        if form.is_valid() and _record_rsvp(request, invitee, form):
            messages.success(request, _("Thank you, your answer was recorded."))
            return redirect(f"{self.session_url()}#my-answer")
        return self.render_to_response(self.get_context_data(rsvp_form=form))


class RSVPView(TemplateView):
    """The personal link from the e-mail: no sign-in; GET shows, POST records."""

    template_name = "sessions/rsvp.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.invitee = invitee_from_token(kwargs["token"])
        except InvalidLink as error:
            return self.invalid(error.reason)
        session = self.invitee.session
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else session.council.language)
        request.LANGUAGE_CODE = translation.get_language()
        if session.status == Session.Status.CANCELLED:
            return self.invalid("cancelled")
        if session.status not in (Session.Status.DRAFT, Session.Status.CONVENED) or session.is_past:
            return self.invalid("past")
        return super().dispatch(request, *args, **kwargs)

    def invalid(self, reason: str):
        response = self.response_class(
            request=self.request,
            template="sessions/rsvp_invalid.html",
            context={"reason": reason},
            status=410 if reason in ("past", "cancelled", "expired") else 404,
        )
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitee = self.invitee
        context["invitee"] = invitee
        context["session"] = invitee.session
        context["council"] = invitee.session.council
        latest = selectors.invitation_latest(session=invitee.session)
        context["s"] = snapshot_context(latest.snapshot) if latest else None
        context["answer"] = selectors.rsvp_current(invitee=invitee)
        if "form" not in context:
            initial = dict(context["answer"])
            answer = self.request.GET.get("answer")
            if answer and answer in Invitee.Response.values:
                initial["response"] = answer
            context["form"] = RSVPForm(initial=initial)
        return context

    def post(self, request, *args, **kwargs):
        form = RSVPForm(request.POST)
        if form.is_valid() and _record_rsvp(request, self.invitee, form):
            self.invitee.refresh_from_db()
            current = selectors.rsvp_current(invitee=self.invitee)
            return self.render_to_response(
                self.get_context_data(form=RSVPForm(initial=current), saved=True)
            )
        return self.render_to_response(self.get_context_data(form=form), status=200)


# Agenda proposals -----------------------------------------------------------------


class ProposalCreateView(SessionFormView):
    template_name = "sessions/proposal_form.html"
    form_class = ProposalForm
    permission = staticmethod(permissions.can_read_internal)
    success_message = gettext_lazy(
        "Your proposal was submitted. You will get an e-mail when the secretary decides."
    )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        return kwargs

    def get_initial(self):
        person = selectors.person_for_user(council=self.council, user=self.request.user)
        if person is None:
            return {}
        membership = person.memberships.filter(end_date__isnull=True).first()
        return {"organisation": membership.organisation if membership else None}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deadline"] = timezone.localtime(self.session.effective_proposal_deadline)
        context["closed"] = not self.session.accepts_proposals
        context["cancelled"] = self.session.status == Session.Status.CANCELLED
        return context

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "attachment"}
        try:
            return services.proposal_submit(
                session=self.session,
                by=self.request.user,
                proposer=selectors.person_for_user(council=self.council, user=self.request.user),
                data=data,
                upload=form.cleaned_data.get("attachment"),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            if any("file" in m.lower() or "datote" in m.lower() for m in error.messages) and (
                form.cleaned_data.get("attachment")
            ):
                raise ValidationError({"attachment": error.messages}) from error
            raise

    def get_success_url(self):
        return reverse("sessions:proposal_list", kwargs={"council_slug": self.council.slug})


class ProposalListView(CouncilViewMixin, TemplateView):
    template_name = "sessions/proposal_list.html"
    permission = staticmethod(permissions.can_read_internal)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = selectors.person_for_user(council=self.council, user=self.request.user)
        context["my_proposals"] = (
            selectors.proposals_list(council=self.council, proposer=person) if person else []
        )
        if self.access.can_manage:
            context["pending"] = selectors.proposals_list(
                council=self.council, status=AgendaProposal.Status.SUBMITTED
            )
        context["open_sessions"] = selectors.sessions_open_for_proposals(council=self.council)
        return context


class ProposalDecideView(CouncilFormView):
    template_name = "sessions/proposal_decide.html"
    form_class = ProposalDecisionForm

    @property
    def proposal(self) -> AgendaProposal:
        if not hasattr(self, "_proposal"):
            self._proposal = self.get_tenant_object(
                AgendaProposal.objects.select_related("session", "proposer", "organisation"),
                pk=self.kwargs["pk"],
            )
        return self._proposal

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["later_sessions"] = (
            Session.objects.for_council(self.council)
            .filter(status__in=[Session.Status.DRAFT, Session.Status.CONVENED])
            .filter(date__gt=self.proposal.session.date)
            .order_by("date")
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proposal"] = self.proposal
        return context

    def perform(self, form):
        decision = form.cleaned_data["decision"]
        by = self.request.user
        if decision == form.ACCEPT:
            services.proposal_accept(proposal=self.proposal, by=by)
            messages.success(self.request, _("The proposal was added to the agenda."))
        elif decision == form.DECLINE:
            services.proposal_decline(
                proposal=self.proposal, by=by, reason=form.cleaned_data["reason"]
            )
            messages.success(self.request, _("The proposal was declined."))
        else:
            services.proposal_move(
                proposal=self.proposal,
                by=by,
                target=form.cleaned_data["target"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(self.request, _("The proposal was moved to the later session."))
        return self.proposal

    def get_success_url(self):
        return self.proposal.session.get_absolute_url()


# Minutes, conclusions and tasks -------------------------------------------------------


class MinutesMixin(SessionMixin):
    @property
    def minutes(self) -> Minutes:
        if not hasattr(self, "_minutes"):
            self._minutes = get_object_or_404(
                Minutes.objects.select_related("chair", "recorder", "approved_at_session"),
                session=self.session,
            )
        return self._minutes

    def minutes_url(self) -> str:
        return reverse(
            "sessions:minutes", kwargs={"council_slug": self.council.slug, "pk": self.session.pk}
        )

    def get_success_url(self):
        return self.minutes_url()


class MinutesView(SessionMixin, TemplateView):
    """The minutes as recorded: attendance, items, conclusions, tasks, versions."""

    template_name = "sessions/minutes.html"
    permission = staticmethod(permissions.can_read_internal)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        minutes = (
            Minutes.objects.select_related("session", "chair", "recorder", "approved_at_session")
            .filter(session=self.session)
            .first()
        )
        context["minutes"] = minutes
        if minutes is not None:
            context["items"] = selectors.minutes_items(minutes=minutes)
            context["loose_conclusions"] = selectors.conclusions_without_item(minutes=minutes)
            context["attendance"] = selectors.attendance_list(minutes=minutes, council=self.council)
            versions = list(
                minutes.versions.defer("pdf", "snapshot")
                .select_related("approved_at_session")
                .order_by("-number")
            )
            context["versions"] = versions
            # the version in force (the latest approved) and the one the public sees
            context["official_version"] = versions[0] if versions else None
            context["public_version"] = next((v for v in versions if v.published_at), None)
            if self.access.can_manage:
                context["history"] = selectors.minutes_history(minutes=minutes)
        return context


class MinutesStartView(SessionMixin, View):
    permission = staticmethod(permissions.can_manage_council)

    def post(self, request, *args, **kwargs):
        url = reverse(
            "sessions:minutes", kwargs={"council_slug": self.council.slug, "pk": self.session.pk}
        )
        return _post_action(
            self,
            lambda: services.minutes_start(session=self.session, by=request.user),
            _("The minutes are open for recording, pre-filled from the attendance answers."),
            redirect_to=url,
        )


class MinutesEditView(MinutesMixin, CouncilFormView):
    template_name = "sessions/minutes_form.html"
    form_class = MinutesForm
    success_message = gettext_lazy("The minutes were saved.")

    def get_object(self):
        return self.minutes

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        return kwargs

    def perform(self, form):
        return services.minutes_update(
            minutes=self.minutes, by=self.request.user, data=model_data(form)
        )


class MinutesAttendanceView(MinutesMixin, TemplateView):
    template_name = "sessions/minutes_attendance.html"
    permission = staticmethod(permissions.can_manage_council)

    def get_formset(self, data=None):
        return AttendanceFormSet(
            data,
            queryset=selectors.attendance_list(minutes=self.minutes, council=self.council),
            prefix="attendance",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("formset", self.get_formset())
        context["minutes"] = self.minutes
        return context

    def post(self, request, *args, **kwargs):
        formset = self.get_formset(request.POST)
        if formset.is_valid():
            try:
                with transaction.atomic():
                    services.attendance_save(minutes=self.minutes, by=request.user, formset=formset)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("The attendance was saved."))
                return redirect(self.minutes_url())
        return self.render_to_response(self.get_context_data(formset=formset))


class ItemRecordView(MinutesMixin, CouncilFormView):
    """One agenda item in the minutes: the summary, and its conclusions and tasks."""

    template_name = "sessions/item_record.html"
    form_class = ItemRecordForm
    success_message = gettext_lazy("The summary was saved.")

    @property
    def record(self):
        return get_object_or_404(
            ItemRecord.objects.select_related("agenda_item", "minutes"),
            minutes=self.minutes,
            agenda_item_id=self.kwargs["item_pk"],
        )

    def get_initial(self):
        return {"summary": self.record.summary}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.record
        context["record"] = record
        context["minutes"] = self.minutes
        context["conclusions"] = (
            Conclusion.objects.filter(agenda_item=record.agenda_item)
            .select_related("session")
            .prefetch_related("tasks__responsible_person", "tasks__responsible_organisation")
            .order_by("number")
        )
        context["conclusion_form"] = ConclusionForm()
        return context

    def perform(self, form):
        return services.item_record_update(
            record=self.record, by=self.request.user, summary=form.cleaned_data["summary"]
        )

    def get_success_url(self):
        return self.request.path


class ConclusionCreateView(MinutesMixin, CouncilFormView):
    template_name = "sessions/conclusion_form.html"
    form_class = ConclusionForm
    success_message = gettext_lazy("The conclusion was recorded.")

    def agenda_item(self):
        return get_object_or_404(self.session.agenda_items, pk=self.kwargs["item_pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = self.agenda_item()
        return context

    def perform(self, form):
        return services.conclusion_add(
            minutes=self.minutes,
            by=self.request.user,
            agenda_item=self.agenda_item(),
            text=form.cleaned_data["text"],
            is_public=form.cleaned_data["is_public"],
        )

    def get_success_url(self):
        return reverse(
            "sessions:item_record",
            kwargs={
                "council_slug": self.council.slug,
                "pk": self.session.pk,
                "item_pk": self.kwargs["item_pk"],
            },
        )


class ConclusionMixin(MinutesMixin):
    @property
    def conclusion(self) -> Conclusion:
        return get_object_or_404(
            Conclusion.objects.select_related("session", "agenda_item"),
            session=self.session,
            pk=self.kwargs["conclusion_pk"],
        )

    def item_url(self, conclusion) -> str:
        if conclusion.agenda_item_id is None:
            return self.minutes_url()
        return reverse(
            "sessions:item_record",
            kwargs={
                "council_slug": self.council.slug,
                "pk": self.session.pk,
                "item_pk": conclusion.agenda_item_id,
            },
        )


class ConclusionEditView(ConclusionMixin, CouncilFormView):
    template_name = "sessions/conclusion_form.html"
    form_class = ConclusionEditForm
    success_message = gettext_lazy("The conclusion was saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["session"] = self.session
        kwargs["numbers_fixed"] = selectors.conclusion_numbers_fixed(minutes=self.minutes)
        return kwargs

    def get_initial(self):
        conclusion = self.conclusion
        return {
            "text": conclusion.text,
            "is_public": conclusion.is_public,
            "agenda_item": conclusion.agenda_item_id,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["conclusion"] = self.conclusion
        context["item"] = self.conclusion.agenda_item
        return context

    def perform(self, form):
        return services.conclusion_update(
            conclusion=self.conclusion,
            by=self.request.user,
            text=form.cleaned_data["text"],
            is_public=form.cleaned_data["is_public"],
            agenda_item=form.cleaned_data["agenda_item"],
        )

    def get_success_url(self):
        return self.item_url(self.object)


class ConclusionDeleteView(ConclusionMixin, TemplateView):
    """The confirmation page of a conclusion's removal (GET), and the removal (POST)."""

    template_name = "sessions/conclusion_delete.html"
    permission = staticmethod(permissions.can_manage_council)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conclusion = self.conclusion
        fixed = selectors.conclusion_numbers_fixed(minutes=self.minutes)
        context["conclusion"] = conclusion
        context["minutes"] = self.minutes
        context["numbers_fixed"] = fixed
        context["task_count"] = conclusion.tasks.count()
        renumbered = []
        if not fixed:
            remaining = [
                c
                for c in selectors.conclusions_in_minutes_order(session=self.session)
                if c.pk != conclusion.pk
            ]
            renumbered = [
                (c.label, f"{self.session.number}/{n}")
                for n, c in enumerate(remaining, start=1)
                if c.number != n
            ]
        context["renumbered"] = renumbered
        context["back_url"] = self.item_url(conclusion)
        return context

    def post(self, request, *args, **kwargs):
        conclusion = self.conclusion
        if selectors.conclusion_numbers_fixed(minutes=self.minutes):
            message = _("The conclusion was removed; the others keep their numbers.")
        else:
            message = _("The conclusion was removed; the later ones were renumbered.")
        return _post_action(
            self,
            lambda: services.conclusion_delete(conclusion=conclusion, by=request.user),
            message,
            redirect_to=self.item_url(conclusion),
        )


class TaskCreateView(ConclusionMixin, CouncilFormView):
    template_name = "sessions/task_form.html"
    form_class = TaskForm
    success_message = gettext_lazy("The task was recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        kwargs["session"] = self.session
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["conclusion"] = self.conclusion
        return context

    def perform(self, form):
        return services.task_create(
            conclusion=self.conclusion, by=self.request.user, data=model_data(form)
        )

    def get_success_url(self):
        return self.item_url(self.conclusion)


class MinutesApproveView(MinutesMixin, CouncilFormView):
    template_name = "sessions/minutes_approve.html"
    form_class = MinutesApproveForm
    success_message = gettext_lazy(
        "The minutes are approved and frozen; the approved PDF is stored."
    )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["sessions"] = selectors.minutes_sessions_for_approval(minutes=self.minutes)
        return kwargs

    def get_initial(self):
        following = selectors.minutes_sessions_for_approval(minutes=self.minutes).first()
        return {
            "approved_at_session": following,
            "approved_on": following.date if following else timezone.localdate(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["minutes"] = self.minutes
        sessions = context["form"].fields["approved_at_session"].queryset
        context["no_session_held"] = not sessions.exists()
        return context

    def perform(self, form):
        return services.minutes_approve(
            minutes=self.minutes,
            by=self.request.user,
            approved_at_session=form.cleaned_data["approved_at_session"],
            approved_on=form.cleaned_data["approved_on"],
        )


class MinutesPublishView(MinutesMixin, TemplateView):
    """The confirmation page of publishing the public part (GET), and publishing (POST)."""

    template_name = "sessions/minutes_publish.html"
    permission = staticmethod(permissions.can_manage_council)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["minutes"] = self.minutes
        version = self.minutes.versions.defer("pdf").order_by("-number").first()
        context["version"] = version
        if version is not None:
            context["public"] = public_part(
                version.snapshot, version=version.number, approved_on=version.approved_on
            )
        return context

    def post(self, request, *args, **kwargs):
        return _post_action(
            self,
            lambda: services.minutes_publish(minutes=self.minutes, by=request.user),
            _("The public part of the minutes is published."),
            redirect_to=self.minutes_url(),
        )


class MinutesReopenView(MinutesMixin, CouncilFormView):
    template_name = "sessions/minutes_reopen.html"
    form_class = ReopenForm
    success_message = gettext_lazy(
        "The minutes are open for a correction. The approved version stays available."
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["minutes"] = self.minutes
        return context

    def perform(self, form):
        return services.minutes_reopen(
            minutes=self.minutes, by=self.request.user, reason=form.cleaned_data["reason"]
        )


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    return file_response(data, content_type="application/pdf", filename=filename, inline=True)


class MinutesPdfView(MinutesMixin, View):
    """The approved minutes byte for byte; a draft is rendered fresh with a watermark."""

    permission = staticmethod(permissions.can_read_internal)

    def get(self, request, *args, **kwargs):
        from .documents import minutes_pdf

        minutes = self.minutes
        number = self.session.number
        if minutes.is_frozen:
            version = minutes.versions.order_by("-number").first()
            return _pdf_response(
                bytes(version.pdf), f"zapisnik-seja-{number}-v{version.number}.pdf"
            )
        data = minutes_pdf(
            minutes=minutes, snapshot=services.minutes_snapshot(minutes=minutes), version=None
        )
        return _pdf_response(data, f"zapisnik-seja-{number}-osnutek.pdf")


class MinutesVersionPdfView(MinutesMixin, View):
    permission = staticmethod(permissions.can_read_internal)

    def get(self, request, *args, **kwargs):
        version = get_object_or_404(self.minutes.versions, number=kwargs["version"])
        return _pdf_response(
            bytes(version.pdf), f"zapisnik-seja-{self.session.number}-v{version.number}.pdf"
        )


class TaskListView(CouncilViewMixin, TemplateView):
    """The council's task register."""

    template_name = "sessions/task_list.html"
    permission = staticmethod(permissions.can_read_internal)

    def filters(self):
        form = TaskFilterForm(self.request.GET or None, council=self.council)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            return form, {
                "status": data["status"] or None,
                "organisation": data["organisation"],
                "person": data["person"],
                "session": data["session"],
                "year": data["year"],
                "overdue": data["overdue"],
            }
        return form, {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, filters = self.filters()
        context["filter_form"] = form
        context["tasks"] = selectors.tasks_list(council=self.council, **filters)
        context["querystring"] = self.request.GET.urlencode()
        return context


class TaskExportView(TaskListView):
    """The register as CSV that opens in a spreadsheet with Slovenian letters intact."""

    def get(self, request, *args, **kwargs):
        import csv

        _form, filters = self.filters()
        tasks = selectors.tasks_list(council=self.council, **filters)
        response = file_response(
            content_type="text/csv; charset=utf-8", filename=f"naloge-{self.council.slug}.csv"
        )
        response.write("\ufeff")  # BOM: spreadsheets then read the file as UTF-8
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                _("Conclusion"),
                _("Session date"),
                _("Task"),
                _("Responsible member"),
                _("Responsible organisation"),
                _("Due date"),
                _("Status"),
                _("Overdue"),
            ]
        )
        for task in tasks:
            writer.writerow(
                [
                    task.conclusion.label,
                    task.conclusion.session.date.strftime("%d.%m.%Y"),
                    task.title,
                    str(task.responsible_person or ""),
                    str(task.responsible_organisation or ""),
                    task.due_date.strftime("%d.%m.%Y") if task.due_date else "",
                    task.get_status_display(),
                    _("yes") if task.is_overdue else "",
                ]
            )
        return response


class TaskDetailView(CouncilViewMixin, TemplateView):
    """A task with its progress notes; its owner and the secretary record progress."""

    template_name = "sessions/task_detail.html"
    permission = staticmethod(permissions.can_read_internal)

    @property
    def task(self) -> Task:
        return self.get_tenant_object(
            Task.objects.select_related(
                "conclusion__session", "responsible_person", "responsible_organisation"
            ),
            pk=self.kwargs["pk"],
        )

    def can_update(self, task) -> bool:
        person = task.responsible_person
        return self.access.can_manage or (
            person is not None and person.user_id == self.request.user.pk
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = self.task
        context["task"] = task
        context["notes"] = selectors.task_notes(task=task)
        context["can_update"] = self.can_update(task)
        if context["can_update"]:
            context.setdefault("form", TaskProgressForm(initial={"status": task.status}))
        return context

    def post(self, request, *args, **kwargs):
        task = self.task
        if not self.can_update(task):
            raise PermissionDenied
        form = TaskProgressForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.task_progress(
                        task=task,
                        by=request.user,
                        status=form.cleaned_data["status"],
                        text=form.cleaned_data["text"],
                        date=form.cleaned_data["date"],
                    )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The progress was recorded."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form))


class TaskEditView(CouncilFormView):
    template_name = "sessions/task_form.html"
    form_class = TaskForm
    success_message = gettext_lazy("The task was saved.")

    def get_object(self):
        return self.get_tenant_object(
            Task.objects.select_related("conclusion__session"), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["council"] = self.council
        kwargs["session"] = self.object.conclusion.session
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["conclusion"] = self.object.conclusion
        return context

    def perform(self, form):
        return services.task_update(task=self.object, by=self.request.user, data=model_data(form))

    def get_success_url(self):
        return reverse(
            "sessions:task_detail", kwargs={"council_slug": self.council.slug, "pk": self.object.pk}
        )


class MyTasksView(LoginRequiredMixin, TemplateView):
    """ "My tasks" across all the user's councils."""

    template_name = "sessions/my_tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tasks"] = selectors.tasks_for_user(user=self.request.user)
        return context
