"""Builds the e-mails of the outbox, in the council's language."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import AgendaItem, Delivery, Invitation, Invitee, site_domain
from .tokens import rsvp_token


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def message_id(delivery: Delivery) -> str:
    """Stable per delivery: a retried send carries the same Message-ID."""
    return f"<sosvet.{re.sub(r'[^A-Za-z0-9.]', '.', delivery.key)}.{delivery.pk}@{site_domain()}>"


def snapshot_context(snapshot: dict) -> dict:
    """The stored snapshot with dates as dates and translated labels, for templates."""
    day = datetime.date.fromisoformat(snapshot["date"])
    agenda = [
        {**item, "kind_label": AgendaItem.Kind(item["kind"]).label}
        for item in snapshot.get("agenda", [])
    ]
    return {
        **snapshot,
        "date": day,
        "proposal_deadline": datetime.datetime.fromisoformat(snapshot["proposal_deadline"]),
        "agenda": agenda,
    }


def change_lines(changes: list[dict]) -> list[str]:
    from django.utils.translation import gettext as _

    labels = {
        "date": _("Date"),
        "start_time": _("Start time"),
        "end_time": _("End time"),
        "place": _("Place"),
        "online_url": _("Online meeting link"),
    }
    lines = []
    for change in changes:
        field = change["field"]
        if field in labels:
            lines.append(
                _("%(field)s: %(old)s → %(new)s")
                % {"field": labels[field], "old": change["old"] or "—", "new": change["new"] or "—"}
            )
        elif field == "agenda_added":
            lines.append(_("New agenda item: %(title)s") % {"title": change["new"]})
        elif field == "agenda_removed":
            lines.append(_("Removed agenda item: %(title)s") % {"title": change["old"]})
        elif field == "agenda_renamed":
            lines.append(
                _("Agenda item renamed: %(old)s → %(new)s")
                % {"old": change["old"], "new": change["new"]}
            )
        elif field == "agenda_changed":
            lines.append(_("Changed agenda item: %(title)s") % {"title": change["new"]})
        elif field == "agenda_order":
            lines.append(_("The order of the agenda items changed."))
    return lines


def _invitation_context(delivery: Delivery) -> dict:
    invitation: Invitation = delivery.invitation
    invitee: Invitee = delivery.invitee
    session = invitation.session
    token = rsvp_token(invitee)
    rsvp = absolute(reverse("rsvp", kwargs={"token": token}))
    kwargs = {"council_slug": session.council.slug, "pk": session.pk}
    return {
        "invitation": invitation,
        "invitee": invitee,
        "council": session.council,
        "s": snapshot_context(invitation.snapshot),
        "changes": change_lines(invitation.changes),
        "session_url": absolute(reverse("sessions:session_detail", kwargs=kwargs)),
        "proposal_url": absolute(reverse("sessions:proposal_create", kwargs=kwargs)),
        "rsvp_attend_url": f"{rsvp}?answer=attending",
        "rsvp_excused_url": f"{rsvp}?answer=excused",
        "rsvp_substitute_url": f"{rsvp}?answer=substitute",
        "is_cancellation": invitation.kind == Invitation.Kind.CANCELLATION,
        "is_update": invitation.kind == Invitation.Kind.UPDATE,
        "is_substitute": invitee.kind == Invitee.Kind.SUBSTITUTE,
        # The session page and the proposal form need a sign-in: only for those who have
        # an account (a guest answers through the links above, which need none).
        "can_sign_in": invitee.person is not None and invitee.person.user_id is not None,
    }


def _reminder_context(delivery: Delivery) -> dict:
    from .selectors import invitation_latest

    invitee = delivery.invitee
    session = delivery.session
    latest = invitation_latest(session=session)
    rsvp = absolute(reverse("rsvp", kwargs={"token": rsvp_token(invitee)}))
    return {
        "invitee": invitee,
        "council": session.council,
        "s": snapshot_context(latest.snapshot),
        "rsvp_attend_url": f"{rsvp}?answer=attending",
        "rsvp_excused_url": f"{rsvp}?answer=excused",
        "rsvp_substitute_url": f"{rsvp}?answer=substitute",
    }


def _proposal_context(delivery: Delivery) -> dict:
    proposal = delivery.proposal
    return {
        "proposal": proposal,
        "council": proposal.council,
        "proposals_url": absolute(
            reverse("sessions:proposal_list", kwargs={"council_slug": proposal.council.slug})
        ),
    }


def _task_context(delivery: Delivery) -> dict:
    task = delivery.task
    return {
        "task": task,
        "council": task.council,
        "overdue": delivery.key.endswith(":overdue"),
        "task_url": absolute(
            reverse(
                "sessions:task_detail", kwargs={"council_slug": task.council.slug, "pk": task.pk}
            )
        ),
    }


TEMPLATES = {
    Delivery.Purpose.INVITATION: ("sessions/email/invitation", _invitation_context),
    Delivery.Purpose.REMINDER: ("sessions/email/reminder", _reminder_context),
    Delivery.Purpose.PROPOSAL: ("sessions/email/proposal_decision", _proposal_context),
    Delivery.Purpose.TASK_REMINDER: ("sessions/email/task_reminder", _task_context),
}


def render_delivery(delivery: Delivery) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one delivery, in the council's language."""
    prefix, build_context = TEMPLATES[delivery.purpose]
    with translation.override(delivery.council.language):
        context = build_context(delivery)
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        text = render_to_string(f"{prefix}.txt", context)
        html = render_to_string(f"{prefix}.html", context)
    return subject, text, html


def build_message(delivery: Delivery, *, connection=None) -> EmailMultiAlternatives:
    subject, text, html = render_delivery(delivery)
    council = delivery.council
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.to_email],
        reply_to=[council.contact_email] if council.contact_email else None,
        headers={"Message-ID": message_id(delivery), "Auto-Submitted": "auto-generated"},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    invitation = delivery.invitation
    if invitation is not None:
        number = invitation.snapshot["number"]
        if invitation.ics:
            method = "CANCEL" if invitation.kind == Invitation.Kind.CANCELLATION else "REQUEST"
            message.attach(
                f"seja-{number}.ics",
                invitation.ics,
                f"text/calendar; method={method}; charset=UTF-8",
            )
        if invitation.pdf:
            message.attach(f"vabilo-seja-{number}.pdf", bytes(invitation.pdf), "application/pdf")
    return message, subject, text, html
