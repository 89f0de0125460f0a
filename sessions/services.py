"""Writes of the sessions app. Views call exactly one of these inside a transaction."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from simple_history.utils import bulk_create_with_history

from councils.audit import audit_record
from councils.models import AuditEvent, Council, Organisation, Person, Term
from councils.services import set_history_user
from sosvet.collation import collation_key

from . import selectors
from .models import (
    AgendaItem,
    AgendaProposal,
    Attachment,
    AttendanceRecord,
    Conclusion,
    Delivery,
    Invitation,
    Invitee,
    ItemRecord,
    Minutes,
    MinutesVersion,
    Session,
    Task,
    TaskNote,
)
from .uploads import validate_upload


def _lock_council(council: Council) -> None:
    Council.objects.select_for_update().filter(pk=council.pk).first()


def _user_or_none(by):
    return by if getattr(by, "is_authenticated", False) else None


def _fresh(session: Session) -> Session:
    """The session as stored now, locked for the rest of the transaction."""
    return Session.objects.select_for_update().select_related("council").get(pk=session.pk)


def _save(instance, by=None):
    instance.full_clean()
    set_history_user(instance, by)
    instance.save()
    return instance


# Sessions -------------------------------------------------------------------------


def _term_for(council: Council, day: datetime.date) -> Term | None:
    return Term.objects.for_council(council).filter(start_date__lte=day, end_date__gte=day).first()


def session_term_for(*, council: Council, day: datetime.date) -> Term | None:
    """The term of office a session on ``day`` belongs to. A council that keeps terms
    numbers its sessions per term, so a date outside all of them is refused (on the date
    field); a council without any term numbers its sessions without one."""
    term = _term_for(council, day)
    if term is None and Term.objects.for_council(council).exists():
        raise ValidationError(
            {
                "date": _(
                    "No term of office of the council covers %(date)s. Add the term of "
                    "office first, or choose a date within a term."
                )
                % {"date": date_format(day, "SHORT_DATE_FORMAT")}
            }
        )
    return term


def session_next_number(*, council: Council, term: Term | None) -> int:
    current = (
        Session.objects.for_council(council)
        .not_cancelled()
        .filter(term=term)
        .aggregate(n=Max("number"))["n"]
    )
    return (current or 0) + 1


def _standing_titles(council: Council, previous: Session, session: Session) -> tuple[str, str]:
    with override(council.language):
        if previous.term is not None and previous.term_id != session.term_id:
            minutes = _("Approval of the minutes of session %(number)s (%(term)s)") % {
                "number": previous.number,
                "term": previous.term.label,
            }
        else:
            minutes = _("Approval of the minutes of session %(number)s") % {
                "number": previous.number
            }
        return minutes, _("Review of conclusions of earlier sessions")


@transaction.atomic
def session_create(*, council: Council, by, data: dict) -> Session:
    _lock_council(council)
    data = dict(data)
    number = data.pop("number", None)
    session = Session(council=council, **data)
    session.term = session_term_for(council=council, day=session.date) if session.date else None
    session.number = number or session_next_number(council=council, term=session.term)
    _save(session, by)
    previous = selectors.session_previous(session=session)
    if previous is not None:
        minutes_title, review_title = _standing_titles(council, previous, session)
        AgendaItem.objects.create(
            session=session,
            position=1,
            title=minutes_title,
            kind=AgendaItem.Kind.DECISION,
            standing=AgendaItem.Standing.MINUTES_APPROVAL,
        )
        AgendaItem.objects.create(
            session=session,
            position=2,
            title=review_title,
            kind=AgendaItem.Kind.INFORMATION,
            standing=AgendaItem.Standing.CONCLUSIONS_REVIEW,
        )
    return session


@transaction.atomic
def session_update(*, session: Session, by, data: dict) -> Session:
    _lock_council(session.council)
    session = _fresh(session)
    if not session.is_editable:
        raise ValidationError(_("A held, closed or cancelled session cannot be changed."))
    for field, value in data.items():
        setattr(session, field, value)
    if "date" in data:
        session.term = session_term_for(council=session.council, day=session.date)
    return _save(session, by)


@transaction.atomic
def session_mark_held(*, session: Session, by) -> Session:
    session = _fresh(session)
    if session.status not in (Session.Status.DRAFT, Session.Status.CONVENED):
        raise ValidationError(_("Only a draft or convened session can be marked as held."))
    if session.date > timezone.localdate():
        raise ValidationError(_("A session can be marked as held on its day or later."))
    session.status = Session.Status.HELD
    set_history_user(session, by)
    session.save(update_fields=["status"])
    return session


@transaction.atomic
def session_cancel(*, session: Session, by, reason: str) -> Session:
    session = _fresh(session)
    if session.status not in (Session.Status.DRAFT, Session.Status.CONVENED):
        raise ValidationError(_("Only a session that has not been held can be cancelled."))
    was_convened = session.status == Session.Status.CONVENED
    session.status = Session.Status.CANCELLED
    session.cancellation_reason = reason
    set_history_user(session, by)
    session.save(update_fields=["status", "cancellation_reason"])
    if was_convened:
        _invitation_create(
            session=session,
            by=by,
            kind=Invitation.Kind.CANCELLATION,
            message=reason,
        )
    return session


# Agenda ---------------------------------------------------------------------------


def _require_editable(session: Session) -> None:
    session.refresh_from_db(fields=["status"])
    if not session.is_editable:
        raise ValidationError(_("The agenda of a held, closed or cancelled session is frozen."))


@transaction.atomic
def agenda_item_create(*, session: Session, by, data: dict) -> AgendaItem:
    _require_editable(session)
    last = session.agenda_items.aggregate(p=Max("position"))["p"] or 0
    item = AgendaItem(session=session, position=last + 1, **data)
    return _save(item, by)


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, by, data: dict) -> AgendaItem:
    _require_editable(item.session)
    for field, value in data.items():
        setattr(item, field, value)
    return _save(item, by)


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, by) -> None:
    _require_editable(item.session)
    session = item.session
    for attachment in item.attachments.all():
        attachment.file.delete(save=False)
    item.delete()
    _renumber(session)


def _renumber(session: Session, order: list[int] | None = None) -> None:
    items = list(session.agenda_items.order_by("position", "pk"))
    if order is not None:
        by_pk = {item.pk: item for item in items}
        items = [by_pk[pk] for pk in order]
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by, direction: str) -> None:
    _require_editable(item.session)
    items = list(item.session.agenda_items.order_by("position", "pk"))
    index = items.index(item)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    _renumber(item.session, [i.pk for i in items])


@transaction.atomic
def agenda_reorder(*, session: Session, by, order: list[int]) -> None:
    _require_editable(session)
    current = set(session.agenda_items.values_list("pk", flat=True))
    if set(order) != current or len(order) != len(current):
        raise ValidationError(_("The new order must list every agenda item exactly once."))
    _renumber(session, order)


@transaction.atomic
def attachment_add(*, council: Council, by, upload, agenda_item=None, proposal=None) -> Attachment:
    info = validate_upload(upload)
    attachment = Attachment(
        council=council,
        agenda_item=agenda_item,
        proposal=proposal,
        original_name=info.name,
        content_type=info.content_type,
        size=info.size,
        sha256=info.sha256,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    attachment.file.save(info.storage_name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by) -> None:
    if attachment.agenda_item_id:
        _require_editable(attachment.agenda_item.session)
    attachment.file.delete(save=False)
    attachment.delete()


# Invitations ----------------------------------------------------------------------


def invitation_snapshot(*, session: Session) -> dict:
    """Everything an invitation says, as plain data; kept with each revision."""
    council = session.council
    items = selectors.agenda_items(session=session)
    review = [
        {
            "label": task.conclusion.label,
            "title": task.title,
            "responsible": task.responsible_label,
            "due_date": task.due_date.isoformat() if task.due_date else "",
            "overdue": task.is_overdue,
            "status": task.status,
        }
        for task in selectors.tasks_open_for_review(session=session)
    ]
    return {
        "council": {"name": council.name, "slug": council.slug, "language": council.language},
        "number": session.number,
        "date": session.date.isoformat(),
        "start_time": session.start_time.strftime("%H:%M"),
        "end_time": session.end_time.strftime("%H:%M") if session.end_time else "",
        "place": session.place,
        "online_url": session.online_url,
        "notes": session.notes,
        "proposal_deadline": session.effective_proposal_deadline.isoformat(),
        "agenda": [
            {
                "id": item.pk,
                "position": position,
                "title": item.title,
                "description": item.description,
                "presenter": item.presenter_label,
                "kind": item.kind,
                "planned_minutes": item.planned_minutes,
                "is_public": item.is_public,
                "proposed_by": str(item.proposed_by) if item.proposed_by else "",
                "attachments": [a.original_name for a in item.attachments.all()],
                "open_tasks": review
                if item.standing == AgendaItem.Standing.CONCLUSIONS_REVIEW
                else [],
            }
            for position, item in enumerate(items, start=1)
        ],
    }


CHANGE_FIELDS = ("date", "start_time", "end_time", "place", "online_url")


def invitation_changes(old: dict, new: dict) -> list[dict]:
    """What changed between two snapshots, for the "updated invitation" e-mail.

    Agenda items are matched by their id, so a renamed item is one change, not a new
    item plus a removed one; snapshots stored before items carried ids match by title.
    """
    changes = [
        {"field": field, "old": old.get(field, ""), "new": new.get(field, "")}
        for field in CHANGE_FIELDS
        if old.get(field, "") != new.get(field, "")
    ]
    old_agenda = old.get("agenda", [])
    new_agenda = new.get("agenda", [])
    by_id = all("id" in item for item in [*old_agenda, *new_agenda])

    def key(item: dict):
        return item["id"] if by_id else item["title"]

    old_items = {key(item): item for item in old_agenda}
    new_items = {key(item): item for item in new_agenda}
    for item in new_agenda:
        if key(item) not in old_items:
            changes.append({"field": "agenda_added", "old": "", "new": item["title"]})
    for item in old_agenda:
        if key(item) not in new_items:
            changes.append({"field": "agenda_removed", "old": item["title"], "new": ""})
    for item in new_agenda:
        before = old_items.get(key(item))
        if before and before["title"] != item["title"]:
            changes.append(
                {"field": "agenda_renamed", "old": before["title"], "new": item["title"]}
            )
    common_old = [key(item) for item in old_agenda if key(item) in new_items]
    common_new = [key(item) for item in new_agenda if key(item) in old_items]
    if common_old != common_new:
        changes.append({"field": "agenda_order", "old": "", "new": ""})
    for item in new_agenda:
        before = old_items.get(key(item))
        if before and (
            before.get("description") != item.get("description")
            or before.get("presenter") != item.get("presenter")
        ):
            changes.append({"field": "agenda_changed", "old": "", "new": item["title"]})
    return changes


def _invitation_create(*, session: Session, by, kind: str, message: str = "") -> Invitation:
    previous = (
        Invitation.objects.select_for_update()
        .filter(session=session)
        .defer("pdf")
        .order_by("-revision")
        .first()
    )
    snapshot = invitation_snapshot(session=session)
    changes = invitation_changes(previous.snapshot, snapshot) if previous else []
    invitation = Invitation.objects.create(
        session=session,
        revision=(previous.revision + 1) if previous else 1,
        kind=kind,
        sequence=(previous.sequence + 1) if previous else 0,
        snapshot=snapshot,
        changes=changes,
        message=message,
        language=session.council.language,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _queue_invitation(session, invitation, Invitee.objects.filter(session=session, is_active=True))
    return invitation


def _queue_invitation(session: Session, invitation: Invitation, invitees) -> None:
    """One outbox row per invitee for this revision; the worker sends them after commit."""
    Delivery.objects.bulk_create(
        [
            Delivery(
                council=session.council,
                session=session,
                invitation=invitation,
                invitee=invitee,
                purpose=Delivery.Purpose.INVITATION,
                key=f"inv:{invitation.pk}:{invitee.pk}",
                to_email=invitee.email,
            )
            for invitee in invitees
        ]
    )
    _enqueue_invitation(invitation.pk)


def _enqueue_invitation(invitation_id: int) -> None:
    from .tasks import deliver_invitation

    transaction.on_commit(lambda: deliver_invitation.enqueue(invitation_id=invitation_id))


def _enqueue_pending() -> None:
    from .tasks import deliver_pending

    transaction.on_commit(lambda: deliver_pending.enqueue())


def _person_invitee_data(person: Person, organisation: Organisation | None) -> dict:
    return {
        "name": person.full_name,
        "organisation_name": organisation.name if organisation else "",
        "person": person,
    }


@transaction.atomic
def invitation_send(
    *,
    session: Session,
    by,
    memberships: list,
    guests: list[dict] | None = None,
    message: str = "",
) -> Invitation:
    """Record the sending of the invitation (or an updated one) to the chosen recipients.

    Delivery happens in the background worker; this only writes the revision and one
    outbox row per recipient.
    """
    session = _fresh(session)
    if session.status not in (Session.Status.DRAFT, Session.Status.CONVENED):
        raise ValidationError(_("Only a draft or convened session can be convened."))
    if session.is_past:
        raise ValidationError(_("A session in the past cannot be convened."))
    if not session.agenda_items.exists():
        raise ValidationError(_("Add at least one agenda item before sending the invitation."))
    recipients: dict[str, dict] = {}
    for membership in memberships:
        person = membership.person
        if not person.email:
            continue
        recipients[person.email.lower()] = {
            **_person_invitee_data(person, membership.organisation),
            "kind": Invitee.Kind.MEMBER,
        }
    for guest in guests or []:
        recipients.setdefault(
            guest["email"].lower(),
            {
                "name": guest.get("name") or guest["email"],
                "organisation_name": guest.get("organisation", ""),
                "person": None,
                "kind": Invitee.Kind.GUEST,
            },
        )
    existing = {i.email.lower(): i for i in Invitee.objects.filter(session=session)}
    # Substitutes named by members stay invited as long as their member does.
    keep = set(recipients)
    for email, invitee in existing.items():
        if (
            invitee.kind == Invitee.Kind.SUBSTITUTE
            and invitee.is_active
            and invitee.substitute_for.email.lower() in keep
        ):
            keep.add(email)
    if not keep:
        raise ValidationError(_("Choose at least one recipient with an e-mail address."))
    new_invitees = [
        Invitee(session=session, email=email, **data)
        for email, data in recipients.items()
        if email not in existing
    ]
    bulk_create_with_history(new_invitees, Invitee, default_user=_user_or_none(by))
    recipients_changed = bool(new_invitees)
    for email, invitee in existing.items():
        wanted = email in keep
        if invitee.is_active != wanted:
            invitee.is_active = wanted
            set_history_user(invitee, by)
            invitee.save(update_fields=["is_active"])
            recipients_changed = True
    latest = (
        Invitation.objects.select_for_update()
        .filter(session=session)
        .defer("pdf")
        .order_by("-revision")
        .first()
    )
    if latest is not None and latest.snapshot == invitation_snapshot(session=session):
        # Nothing the invitation says has changed (a resubmitted form, for example; an
        # added attachment or changed notes are changes): only recipients who have not had
        # the latest revision get it.
        return _invitation_send_latest_to_new(
            session=session, by=by, latest=latest, recipients_changed=recipients_changed
        )
    kind = Invitation.Kind.UPDATE if latest is not None else Invitation.Kind.INVITATION
    invitation = _invitation_create(session=session, by=by, kind=kind, message=message)
    invitation.queued = invitation.deliveries.count()
    if session.status != Session.Status.CONVENED:
        session.status = Session.Status.CONVENED
        session.save(update_fields=["status"])
    audit_record(
        action=AuditEvent.Action.INVITATION_SENT,
        by=by,
        council=session.council,
        obj=session,
        details={
            "revision": invitation.revision,
            "kind": invitation.kind,
            "recipients": invitation.queued,
        },
    )
    return invitation


def _invitation_send_latest_to_new(
    *, session: Session, by, latest: Invitation, recipients_changed: bool
) -> Invitation:
    """Queue the latest revision for active invitees who have not had it yet.

    Only the recipients changed (someone added, or only removed: then nothing is sent);
    when not even they changed, refuse, so a resubmitted form sends nothing twice.
    """
    invitees = list(
        Invitee.objects.filter(session=session, is_active=True)
        .exclude(deliveries__invitation=latest)
        .order_by("pk")
    )
    if not invitees and not recipients_changed:
        raise ValidationError(
            _(
                "Nothing has changed since the last invitation (revision %(revision)s) and "
                "every recipient already has it, so it was not sent again. Change the "
                "session or its agenda first, or add recipients."
            )
            % {"revision": latest.revision}
        )
    latest.queued = len(invitees)
    if not invitees:
        return latest
    _queue_invitation(session, latest, invitees)
    audit_record(
        action=AuditEvent.Action.INVITATION_SENT,
        by=by,
        council=session.council,
        obj=session,
        details={"revision": latest.revision, "kind": latest.kind, "recipients": len(invitees)},
    )
    return latest


@transaction.atomic
def invitation_store_documents(*, invitation: Invitation, pdf: bytes, ics: str) -> bool:
    """Store the revision's PDF and calendar once; False when they were already stored."""
    updated = Invitation.objects.filter(pk=invitation.pk, pdf__isnull=True).update(
        pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest(), ics=ics
    )
    return bool(updated)


@transaction.atomic
def delivery_resend(*, delivery: Delivery, by) -> Delivery:
    """Send one recipient's e-mail again (after a failure, or when it was lost)."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.to_email.lower().endswith("@erased.invalid"):  # councils.privacy.person_erase
        raise ValidationError(_("The recipient's contact data were erased."))
    if delivery.status in (Delivery.Status.FAILED, Delivery.Status.QUEUED):
        delivery.status = Delivery.Status.QUEUED
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.last_error = ""
        delivery.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
        copy = delivery
    elif delivery.status == Delivery.Status.SENT:
        count = Delivery.objects.filter(key__startswith=f"{delivery.key}:again").count()
        copy = Delivery.objects.create(
            council=delivery.council,
            session=delivery.session,
            invitation=delivery.invitation,
            invitee=delivery.invitee,
            proposal=delivery.proposal,
            purpose=delivery.purpose,
            key=f"{delivery.key}:again{count + 1}",
            to_email=delivery.to_email,
        )
    else:
        raise ValidationError(_("This e-mail is being sent right now."))
    _enqueue_pending()
    return copy


# Attendance -----------------------------------------------------------------------


@transaction.atomic
def rsvp_record(
    *,
    invitee: Invitee,
    response: str,
    note: str = "",
    substitute: dict | None = None,
) -> Invitee:
    invitee = Invitee.objects.select_for_update().select_related("session").get(pk=invitee.pk)
    session = invitee.session
    if session.status not in (Session.Status.DRAFT, Session.Status.CONVENED) or session.is_past:
        raise ValidationError(_("This session has already taken place or was cancelled."))
    if response not in Invitee.Response.values or not response:
        raise ValidationError({"response": _("Choose an answer.")})
    if response == Invitee.Response.SUBSTITUTE:
        if invitee.kind == Invitee.Kind.SUBSTITUTE:
            raise ValidationError(
                {
                    "response": _(
                        "A substitute cannot name another substitute. Tell the member who "
                        "named you, or answer that you are excused."
                    )
                }
            )
        if not substitute or not substitute.get("name") or not substitute.get("email"):
            raise ValidationError(
                {"substitute_name": _("Give the substitute's name and e-mail address.")}
            )
        email = substitute["email"].lower()
        if email == invitee.email.lower():
            raise ValidationError({"substitute_email": _("The substitute must be someone else.")})
        other = Invitee.objects.filter(session=session, email=email).first()
        if other is not None and other.substitute_for_id != invitee.pk:
            raise ValidationError(
                {"substitute_email": _("This person is already invited to the session.")}
            )
        # Replace an earlier substitute of this invitee.
        invitee.substitutes.exclude(email=email).update(is_active=False)
        sub, created = Invitee.objects.update_or_create(
            session=session,
            email=email,
            defaults={
                "kind": Invitee.Kind.SUBSTITUTE,
                "name": substitute["name"],
                "organisation_name": substitute.get("organisation", ""),
                "substitute_for": invitee,
                "is_active": True,
            },
        )
        latest = selectors.invitation_latest(session=session)
        if latest is not None:
            Delivery.objects.get_or_create(
                key=f"inv:{latest.pk}:{sub.pk}",
                defaults={
                    "council": session.council,
                    "session": session,
                    "invitation": latest,
                    "invitee": sub,
                    "purpose": Delivery.Purpose.INVITATION,
                    "to_email": sub.email,
                },
            )
            _enqueue_pending()
    else:
        invitee.substitutes.update(is_active=False)
    invitee.response = response
    invitee.response_note = note
    invitee.responded_at = timezone.now()
    invitee.save(update_fields=["response", "response_note", "responded_at"])
    return invitee


@transaction.atomic
def attendance_remind(*, session: Session, by) -> int:
    """Queue a reminder to everyone invited (members and substitutes, not guests) who
    has not answered yet."""
    if session.status != Session.Status.CONVENED or session.is_past:
        raise ValidationError(_("Reminders can be sent for a convened, upcoming session."))
    today = timezone.localdate().isoformat()
    count = 0
    for invitee in selectors.attendance_summary(session=session)["not_answered"]:
        _reminder, created = Delivery.objects.get_or_create(
            key=f"rem:{session.pk}:{invitee.pk}:{today}",
            defaults={
                "council": session.council,
                "session": session,
                "invitee": invitee,
                "purpose": Delivery.Purpose.REMINDER,
                "to_email": invitee.email,
            },
        )
        if created:
            invitee.reminded_at = timezone.now()
            invitee.save(update_fields=["reminded_at"])
            count += 1
    if count:
        _enqueue_pending()
    return count


# Agenda proposals -----------------------------------------------------------------


@transaction.atomic
def proposal_submit(
    *, session: Session, by, proposer: Person | None, data: dict, upload=None
) -> AgendaProposal:
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("The session was cancelled."))
    if not session.is_editable:
        raise ValidationError(_("This session is no longer open for agenda proposals."))
    if not session.accepts_proposals:
        deadline = timezone.localtime(session.effective_proposal_deadline)
        raise ValidationError(
            _(
                "Proposals for this session closed on %(date)s at %(time)s. "
                "Ask the secretary to put your item on a later session."
            )
            % {
                "date": date_format(deadline.date(), "SHORT_DATE_FORMAT"),
                "time": deadline.strftime("%H:%M"),
            }
        )
    title = " ".join(str(data.get("title", "")).split())
    pending = AgendaProposal.objects.filter(
        session=session, submitted_by=by, status=AgendaProposal.Status.SUBMITTED
    ).values_list("title", flat=True)
    if title and any(" ".join(t.split()).casefold() == title.casefold() for t in pending):
        # The same form sent again (the browser's Back button, say): one proposal is enough.
        raise ValidationError(
            {
                "title": _(
                    "You have already proposed this item for this session; it is waiting "
                    "for the secretary's decision."
                )
            }
        )
    proposal = AgendaProposal(
        council=session.council,
        session=session,
        proposer=proposer,
        submitted_by=by,
        **data,
    )
    proposal.full_clean()
    proposal.save()
    if upload is not None:
        attachment_add(council=session.council, by=by, upload=upload, proposal=proposal)
    return proposal


def _notify_proposer(proposal: AgendaProposal) -> None:
    proposer = proposal.proposer
    email = (proposer.email if proposer else "") or (
        proposal.submitted_by.email if proposal.submitted_by else ""
    )
    if not email:
        return
    Delivery.objects.get_or_create(
        key=f"prop:{proposal.pk}:{proposal.status}",
        defaults={
            "council": proposal.council,
            "session": proposal.session,
            "proposal": proposal,
            "purpose": Delivery.Purpose.PROPOSAL,
            "to_email": email,
        },
    )
    _enqueue_pending()


def _require_submitted(proposal: AgendaProposal) -> AgendaProposal:
    proposal = AgendaProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != AgendaProposal.Status.SUBMITTED:
        raise ValidationError(_("This proposal has already been decided."))
    return proposal


@transaction.atomic
def proposal_accept(*, proposal: AgendaProposal, by) -> AgendaItem:
    proposal = _require_submitted(proposal)
    session = proposal.session
    _require_editable(session)
    item = agenda_item_create(
        session=session,
        by=by,
        data={
            "title": proposal.title,
            "description": proposal.rationale,
            "presenter": proposal.proposer,
            "presenter_organisation": proposal.organisation,
            "proposed_by": proposal.proposer,
            "kind": AgendaItem.Kind.DISCUSSION,
        },
    )
    proposal.attachments.update(agenda_item=item)
    proposal.status = AgendaProposal.Status.ACCEPTED
    proposal.agenda_item = item
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    proposal.save()
    _notify_proposer(proposal)
    return item


@transaction.atomic
def proposal_decline(*, proposal: AgendaProposal, by, reason: str) -> AgendaProposal:
    proposal = _require_submitted(proposal)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for declining the proposal.")})
    proposal.status = AgendaProposal.Status.DECLINED
    proposal.decision_reason = reason.strip()
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    proposal.save()
    _notify_proposer(proposal)
    return proposal


@transaction.atomic
def proposal_move(
    *, proposal: AgendaProposal, by, target: Session, reason: str = ""
) -> AgendaProposal:
    proposal = _require_submitted(proposal)
    if target.council_id != proposal.council_id or not target.is_editable:
        raise ValidationError({"target": _("Choose an upcoming session of this council.")})
    if target.starts_at <= proposal.session.starts_at:
        raise ValidationError({"target": _("Choose a session after this one.")})
    moved = AgendaProposal.objects.create(
        council=proposal.council,
        session=target,
        proposer=proposal.proposer,
        submitted_by=proposal.submitted_by,
        organisation=proposal.organisation,
        title=proposal.title,
        rationale=proposal.rationale,
    )
    proposal.attachments.update(proposal=moved)
    proposal.status = AgendaProposal.Status.MOVED
    proposal.moved_to = target
    proposal.decision_reason = reason.strip()
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    proposal.save()
    _notify_proposer(proposal)
    return moved


# Minutes, conclusions and tasks -----------------------------------------------------


def _require_draft_minutes(minutes: Minutes) -> Minutes:
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.is_frozen:
        raise ValidationError(
            _("The minutes are approved and frozen. Re-open them (with a reason) to change them.")
        )
    return minutes


def _chair_on(session: Session) -> Person | None:
    from councils.selectors import membership_chair_on

    chair = membership_chair_on(council=session.council, day=session.date)
    return chair.person if chair else None


@transaction.atomic
def minutes_start(*, session: Session, by) -> Minutes:
    """Open the minutes of a held session, pre-filled from the RSVPs and the agenda."""
    session = _fresh(session)
    if session.status not in (Session.Status.HELD, Session.Status.CLOSED):
        raise ValidationError(_("Minutes can be recorded once the session is held."))
    existing = Minutes.objects.filter(session=session).first()
    if existing is not None:
        return existing
    recorder = Person.objects.for_council(session.council).filter(user=by).first() if by else None
    minutes = Minutes(session=session, chair=_chair_on(session), recorder=recorder)
    set_history_user(minutes, by)
    minutes.save()
    rows = []
    invitees = list(
        Invitee.objects.filter(session=session, is_active=True).select_related(
            "person", "substitute_for"
        )
    )
    presence = {
        Invitee.Response.ATTENDING: AttendanceRecord.Presence.PRESENT,
        Invitee.Response.EXCUSED: AttendanceRecord.Presence.EXCUSED,
        Invitee.Response.SUBSTITUTE: AttendanceRecord.Presence.EXCUSED,
        Invitee.Response.NONE: AttendanceRecord.Presence.ABSENT,
    }
    for invitee in invitees:
        if invitee.kind == Invitee.Kind.SUBSTITUTE:
            rows.append(
                AttendanceRecord(
                    minutes=minutes,
                    name=invitee.name,
                    organisation_name=invitee.organisation_name,
                    presence=AttendanceRecord.Presence.SUBSTITUTE,
                    substitute_for=invitee.substitute_for.name if invitee.substitute_for else "",
                )
            )
        elif invitee.kind == Invitee.Kind.GUEST:
            rows.append(
                AttendanceRecord(
                    minutes=minutes,
                    name=invitee.name,
                    organisation_name=invitee.organisation_name,
                    presence=AttendanceRecord.Presence.GUEST,
                )
            )
        else:
            rows.append(
                AttendanceRecord(
                    minutes=minutes,
                    person=invitee.person,
                    name=invitee.name,
                    organisation_name=invitee.organisation_name,
                    presence=presence[invitee.response or Invitee.Response.NONE],
                )
            )
    if not invitees:
        # Not convened through the portal: start from the members of that day.
        for membership in selectors.invitation_default_people(session=session):
            rows.append(
                AttendanceRecord(
                    minutes=minutes,
                    person=membership.person,
                    name=membership.person.full_name,
                    organisation_name=membership.organisation.name
                    if membership.organisation
                    else "",
                    presence=AttendanceRecord.Presence.PRESENT,
                )
            )
    # Stored in the order selectors.attendance_list shows them (surname, first name).
    group = {presence: i for i, presence in enumerate(selectors.PRESENCE_ORDER)}
    rows.sort(
        key=lambda r: (
            group[r.presence],
            collation_key(r.person.last_name if r.person else r.name),
            collation_key(r.person.first_name if r.person else r.name),
        )
    )
    for position, row in enumerate(rows, start=1):
        row.position = position
    bulk_create_with_history(rows, AttendanceRecord, default_user=_user_or_none(by))
    bulk_create_with_history(
        [ItemRecord(minutes=minutes, agenda_item=item) for item in session.agenda_items.all()],
        ItemRecord,
        default_user=_user_or_none(by),
    )
    return minutes


@transaction.atomic
def minutes_update(*, minutes: Minutes, by, data: dict) -> Minutes:
    minutes = _require_draft_minutes(minutes)
    for field, value in data.items():
        setattr(minutes, field, value)
    return _save(minutes, by)


@transaction.atomic
def attendance_save(*, minutes: Minutes, by, formset) -> None:
    """Save the attendance formset (rows changed, added, deleted) of draft minutes."""
    _require_draft_minutes(minutes)
    for form in formset.forms:
        if not form.has_changed() and form.instance.pk:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            if form.instance.pk:
                form.instance.delete()
            continue
        if not form.has_changed():
            continue
        record = form.save(commit=False)
        record.minutes = minutes
        if not record.position:
            record.position = (minutes.attendance.aggregate(p=Max("position"))["p"] or 0) + 1
        set_history_user(record, by)
        record.save()


@transaction.atomic
def item_record_update(*, record: ItemRecord, by, summary: str) -> ItemRecord:
    _require_draft_minutes(record.minutes)
    record.summary = summary
    return _save(record, by)


def _conclusions_renumber(*, session: Session, by, last: Conclusion | None = None) -> None:
    """Number the conclusions of draft minutes in the order of the minutes
    (``selectors.conclusions_in_minutes_order``). Numbers are unique per session, so the
    rows that change are first moved out of the way (a plain update, no history) and then
    saved with their new number (history)."""
    conclusions = selectors.conclusions_in_minutes_order(session=session, last=last)
    changed = [(c, n) for n, c in enumerate(conclusions, start=1) if c.number != n]
    if not changed:
        return
    offset = max(c.number for c in conclusions) + len(conclusions) + 1
    for c, _n in changed:
        Conclusion.objects.filter(pk=c.pk).update(number=c.number + offset)
    for c, n in changed:
        c.number = n
        set_history_user(c, by)
        c.save(update_fields=["number"])


def _next_conclusion_number(session: Session, minutes: Minutes) -> int:
    current = Conclusion.objects.filter(session=session).aggregate(n=Max("number"))["n"] or 0
    return max([current, *selectors.conclusion_numbers_approved(minutes=minutes)]) + 1


def conclusion_add(
    *, minutes: Minutes, by, agenda_item: AgendaItem | None, text: str, is_public: bool = True
) -> Conclusion:
    """Numbered per session under a lock; a clash (another writer) is retried. In minutes
    never approved the numbers then follow the order of the minutes; in a correction of
    approved minutes the new conclusion takes the next free number."""
    for attempt in range(5):
        try:
            with transaction.atomic():
                minutes = _require_draft_minutes(minutes)
                session = _fresh(minutes.session)
                if agenda_item is not None and agenda_item.session_id != session.pk:
                    raise ValidationError({"agenda_item": _("Choose an item of this session.")})
                conclusion = Conclusion(
                    council=session.council,
                    session=session,
                    agenda_item=agenda_item,
                    number=_next_conclusion_number(session, minutes),
                    text=text,
                    is_public=is_public,
                )
                _save(conclusion, by)
                if not selectors.conclusion_numbers_fixed(minutes=minutes):
                    _conclusions_renumber(session=session, by=by)
                    conclusion.refresh_from_db(fields=["number"])
                return conclusion
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def conclusion_update(
    *,
    conclusion: Conclusion,
    by,
    text: str,
    is_public: bool,
    agenda_item: AgendaItem | None = None,
) -> Conclusion:
    """Change a conclusion of draft minutes; given ``agenda_item``, move it there (to the
    end of that item), and the numbers follow unless the minutes were approved before."""
    minutes = _require_draft_minutes(conclusion.session.minutes)
    session = _fresh(conclusion.session)
    moved = agenda_item is not None and agenda_item.pk != conclusion.agenda_item_id
    if moved and agenda_item.session_id != session.pk:
        raise ValidationError({"agenda_item": _("Choose an item of this session.")})
    conclusion.text = text
    conclusion.is_public = is_public
    if moved:
        conclusion.agenda_item = agenda_item
    _save(conclusion, by)
    if moved and not selectors.conclusion_numbers_fixed(minutes=minutes):
        _conclusions_renumber(session=session, by=by, last=conclusion)
        conclusion.refresh_from_db(fields=["number"])
    return conclusion


@transaction.atomic
def conclusion_delete(*, conclusion: Conclusion, by) -> None:
    """Remove a conclusion of draft minutes; the later ones move up (no gaps), unless the
    minutes were approved before: then every other conclusion keeps its official number."""
    session = conclusion.session
    minutes = _require_draft_minutes(session.minutes)
    session = _fresh(session)
    conclusion.delete()
    if not selectors.conclusion_numbers_fixed(minutes=minutes):
        _conclusions_renumber(session=session, by=by)


@transaction.atomic
def task_create(*, conclusion: Conclusion, by, data: dict) -> Task:
    _require_draft_minutes(conclusion.session.minutes)
    task = Task(council=conclusion.council, conclusion=conclusion, **data)
    _check_task_owner(task)
    return _save(task, by)


def _check_task_owner(task: Task) -> None:
    errors = {}
    session_date = task.conclusion.session.date
    if task.due_date and task.due_date < session_date:
        errors["due_date"] = _("The due date cannot be before the session (%(date)s).") % {
            "date": date_format(session_date, "SHORT_DATE_FORMAT")
        }
    if task.responsible_person and task.responsible_person.council_id != task.council_id:
        errors["responsible_person"] = _("Choose one of this council's records.")
    if (
        task.responsible_organisation
        and task.responsible_organisation.council_id != task.council_id
    ):
        errors["responsible_organisation"] = _("Choose one of this council's records.")
    if not task.responsible_person and not task.responsible_organisation:
        errors["responsible_person"] = _("Name the responsible member or organisation (or both).")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def task_update(*, task: Task, by, data: dict) -> Task:
    """Change what a task is (while its minutes are a draft)."""
    _require_draft_minutes(task.conclusion.session.minutes)
    for field, value in data.items():
        setattr(task, field, value)
    _check_task_owner(task)
    return _save(task, by)


@transaction.atomic
def task_progress(*, task: Task, by, status: str, text: str, date=None) -> TaskNote:
    """Record progress on a task (members on their own tasks, the secretary on all)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if status not in Task.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if not text.strip():
        raise ValidationError({"text": _("Describe the progress.")})
    note = TaskNote.objects.create(
        task=task,
        date=date or timezone.localdate(),
        text=text.strip(),
        status=status,
        author=_user_or_none(by),
    )
    if task.status != status:
        task.status = status
        set_history_user(task, by)
        task.save(update_fields=["status"])
    return note


def minutes_snapshot(*, minutes: Minutes) -> dict:
    """Everything the approved minutes say, as plain data."""
    session = minutes.session
    items = selectors.minutes_items(minutes=minutes)
    return {
        "session": {
            "number": session.number,
            "date": session.date.isoformat(),
            "start_time": session.start_time.strftime("%H:%M"),
            "end_time": session.end_time.strftime("%H:%M") if session.end_time else "",
            "place": session.place,
        },
        # the times the sitting actually opened and closed, as recorded ("" if not)
        "started_at": minutes.started_at.strftime("%H:%M") if minutes.started_at else "",
        "ended_at": minutes.ended_at.strftime("%H:%M") if minutes.ended_at else "",
        "chair": str(minutes.chair) if minutes.chair else "",
        "recorder": str(minutes.recorder) if minutes.recorder else "",
        "introduction": minutes.introduction,
        "attendance": [
            {
                "name": r.name,
                "organisation": r.organisation_name,
                "presence": r.presence,
                "substitute_for": r.substitute_for,
            }
            for r in selectors.attendance_list(minutes=minutes, council=session.council)
        ],
        "items": [
            {
                "position": item.position,
                "title": item.title,
                "is_public": item.is_public,
                "summary": item.record.summary if hasattr(item, "record") else "",
                "conclusions": [
                    {
                        "label": c.label,
                        "text": c.text,
                        "is_public": c.is_public,
                        "tasks": [
                            {
                                "title": t.title,
                                "responsible": t.responsible_label,
                                "due_date": t.due_date.isoformat() if t.due_date else "",
                            }
                            for t in c.tasks.all()
                        ],
                    }
                    for c in item.conclusions.all()
                ],
            }
            for item in items
        ],
    }


@transaction.atomic
def minutes_approve(*, minutes: Minutes, by, approved_at_session: Session, approved_on) -> Minutes:
    """Freeze the minutes: store the approved content and its PDF bytes."""
    from .documents import minutes_pdf

    minutes = _require_draft_minutes(minutes)
    session = _fresh(minutes.session)
    approved_at_session = Session.objects.get(pk=approved_at_session.pk)
    today = timezone.localdate()
    errors = {}
    if approved_at_session.council_id != session.council_id:
        errors["approved_at_session"] = _("Choose a session of this council.")
    elif approved_at_session.starts_at <= session.starts_at:
        errors["approved_at_session"] = _("Minutes are approved at a later session.")
    elif (
        approved_at_session.status not in selectors.APPROVING_STATUSES
        or approved_at_session.date > today
    ):
        errors["approved_at_session"] = _(
            "Minutes can only be approved at a session that has already been held."
        )
    if approved_on > today:
        errors["approved_on"] = _("The approval date cannot be in the future.")
    elif approved_on < session.date:
        errors["approved_on"] = _("The minutes cannot be approved before the session was held.")
    if not minutes.recorder_id:
        errors["recorder"] = _("Name the recorder before approving the minutes.")
    if not minutes.chair_id:
        errors["chair"] = _("Name the chair of the sitting before approving the minutes.")
    if errors:
        raise ValidationError(errors)
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_on = approved_on
    minutes.approved_at_session = approved_at_session
    set_history_user(minutes, by)
    minutes.save()
    number = (minutes.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    snapshot = minutes_snapshot(minutes=minutes)
    pdf = minutes_pdf(minutes=minutes, snapshot=snapshot, version=number)
    version = MinutesVersion.objects.create(
        minutes=minutes,
        number=number,
        snapshot=snapshot,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        approved_on=approved_on,
        approved_at_session=approved_at_session,
        approved_by=_user_or_none(by),
    )
    session.status = Session.Status.CLOSED
    set_history_user(session, by)
    session.save(update_fields=["status"])
    audit_record(
        action=AuditEvent.Action.MINUTES_APPROVED,
        by=by,
        council=session.council,
        obj=minutes,
        details={
            "version": number,
            "approved_on": approved_on.isoformat(),
            "sha256": version.pdf_sha256,
        },
    )
    return minutes


@transaction.atomic
def minutes_publish(*, minutes: Minutes, by) -> Minutes:
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != Minutes.Status.APPROVED:
        raise ValidationError(_("Only approved minutes can be published."))
    now = timezone.now()
    latest = minutes.versions.defer("pdf", "snapshot").order_by("-number").first()
    latest.published_at = now
    latest.save(update_fields=["published_at"])
    minutes.status = Minutes.Status.PUBLISHED
    minutes.published_at = now
    set_history_user(minutes, by)
    minutes.save(update_fields=["status", "published_at"])
    return minutes


@transaction.atomic
def minutes_reopen(*, minutes: Minutes, by, reason: str) -> Minutes:
    """Unfreeze approved minutes for a correction; the approved version stays viewable, and
    the public keeps seeing the latest published version until a correction is published."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if not minutes.is_frozen:
        raise ValidationError(_("The minutes are not approved."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for re-opening the minutes.")})
    latest = minutes.versions.order_by("-number").first()
    if latest is not None:
        latest.reopened_at = timezone.now()
        latest.reopened_by = _user_or_none(by)
        latest.reopen_reason = reason.strip()
        latest.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    minutes.status = Minutes.Status.DRAFT
    minutes.published_at = None
    set_history_user(minutes, by)
    minutes._change_reason = reason.strip()[:100]
    minutes.save()
    session = minutes.session
    session.status = Session.Status.HELD
    set_history_user(session, by)
    session.save(update_fields=["status"])
    return minutes


def task_reminders_queue(*, today=None) -> int:
    """Queue reminders for tasks due within 7 days and overdue ones, once per kind."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=7)
    queued = 0
    tasks = (
        Task.objects.open()
        .filter(due_date__isnull=False, due_date__lte=soon)
        .select_related("responsible_person", "council", "conclusion__session")
    )
    for task in tasks:
        person = task.responsible_person
        if person is None or not person.email:
            continue
        kind = "overdue" if task.due_date < today else "due_soon"
        _delivery, created = Delivery.objects.get_or_create(
            key=f"task:{task.pk}:{kind}",
            defaults={
                "council": task.council,
                "session": task.conclusion.session,
                "task": task,
                "purpose": Delivery.Purpose.TASK_REMINDER,
                "to_email": person.email,
            },
        )
        queued += int(created)
    return queued
