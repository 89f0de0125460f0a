"""Personal data: a person's export (right of access), erasure, and retention.

- ``person_export`` gathers everything the portal holds about a person: the person record
  (and the records of other councils linked to the same login, where the exporting user
  manages those councils too), memberships, invitations and attendance answers, the
  e-mails addressed to them, tasks, proposals, the change history and the login with its
  sign-ins.
- ``person_erase`` removes the contact data (e-mail, phone; the addresses in invitation
  and outbox rows, the texts of the e-mails sent to them), unlinks the login and closes it
  when nothing else uses it. The name stays: approved minutes, adopted reports and sent
  invitations are official records the council must keep.
- ``retention_prune`` empties the stored texts of old e-mails and removes old sign-in
  records (``RETENTION_DELIVERY_DAYS``, ``RETENTION_SIGNIN_DAYS``); official documents
  (invitation revisions and their PDFs, minutes versions, report revisions) are kept.

Every export and erasure is recorded in the audit log, in the same transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sosvet.collation import by_name

from . import permissions
from .audit import audit_record
from .models import AuditEvent, CouncilRole, Membership, Person
from .services import council_role_delete, set_history_user

EXPORT_FORMAT = "sosvet-person-export"
EXPORT_VERSION = 1
ERASED_DOMAIN = "erased.invalid"  # RFC 2606: can never be delivered


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _display(instance, field_name: str) -> str:
    return str(getattr(instance, f"get_{field_name}_display")())


def is_erased_address(email: str) -> bool:
    return email.lower().endswith(f"@{ERASED_DOMAIN}")


# --- Export -------------------------------------------------------------------------


def export_people(*, person: Person, by) -> list[Person]:
    """The person and, when linked to a login, the login's person records in the other
    councils the exporting user manages (a secretary never sees another council's data)."""
    people = [person]
    if person.user_id:
        others = (
            Person.objects.filter(user_id=person.user_id)
            .exclude(pk=person.pk)
            .select_related("council")
            .order_by(*by_name("council__name"), "pk")
        )
        people += [p for p in others if permissions.can_manage_council(by, p.council)]
    return people


def _invitees(person: Person):
    from sessions.models import Invitee

    match = Q(person=person)
    if person.email:
        match |= Q(email__iexact=person.email)
    return Invitee.objects.filter(session__council_id=person.council_id).filter(match)


def _deliveries(person: Person, invitee_ids: list[int]):
    from sessions.models import Delivery

    match = (
        Q(invitee_id__in=invitee_ids)
        | Q(task__responsible_person=person)
        | Q(proposal__proposer=person)
    )
    if person.email:
        match |= Q(to_email__iexact=person.email)
    return Delivery.objects.for_council(person.council).filter(match)


def _person_data(person: Person) -> dict:
    from sessions.models import (
        AgendaItem,
        AgendaProposal,
        AttendanceRecord,
        Minutes,
        Task,
    )

    council = person.council
    invitees = list(
        _invitees(person)
        .select_related("session", "substitute_for")
        .order_by("session__date", "pk")
    )
    deliveries = (
        _deliveries(person, [i.pk for i in invitees])
        .select_related("session")
        .order_by("created", "pk")
    )
    memberships = (
        Membership.objects.for_council(council)
        .filter(person=person)
        .select_related("organisation", "term")
        .order_by("start_date", "pk")
    )
    tasks = (
        Task.objects.for_council(council)
        .filter(responsible_person=person)
        .select_related("conclusion__session", "responsible_organisation")
        .prefetch_related("notes")
        .order_by("pk")
    )
    proposals = (
        AgendaProposal.objects.for_council(council)
        .filter(proposer=person)
        .select_related("session", "organisation", "moved_to")
        .order_by("created", "pk")
    )
    items = (
        AgendaItem.objects.filter(session__council=council)
        .filter(Q(presenter=person) | Q(proposed_by=person))
        .select_related("session")
        .order_by("session__date", "position", "pk")
    )
    attendance = (
        AttendanceRecord.objects.filter(minutes__session__council=council, person=person)
        .select_related("minutes__session")
        .order_by("minutes__session__date", "pk")
    )
    minutes_roles = (
        Minutes.objects.filter(session__council=council)
        .filter(Q(chair=person) | Q(recorder=person))
        .select_related("session")
        .order_by("session__date")
    )

    def session_ref(session) -> dict | None:
        if session is None:
            return None
        return {"number": session.number, "date": _iso(session.date)}

    return {
        "council": {"name": council.name, "slug": council.slug},
        "person": {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "title": person.title,
            "function": person.function,
            "email": person.email,
            "phone": person.phone,
            "contact_data_erased": _iso(person.erased_at),
        },
        "memberships": [
            {
                "organisation": m.organisation.name if m.organisation else "",
                "role": _display(m, "role"),
                "kind": _display(m, "kind"),
                "term": m.term.label if m.term else "",
                "start": _iso(m.start_date),
                "end": _iso(m.end_date),
                "note": m.note,
            }
            for m in memberships
        ],
        "invitations": [
            {
                "session": session_ref(i.session),
                "invited_as": _display(i, "kind"),
                "name": i.name,
                "email": i.email,
                "organisation": i.organisation_name,
                "still_invited": i.is_active,
                "substitute_for": i.substitute_for.name if i.substitute_for else "",
                "answer": _display(i, "response"),
                "answered": _iso(i.responded_at),
                "note": i.response_note,
                "reminded": _iso(i.reminded_at),
            }
            for i in invitees
        ],
        "emails": [
            {
                "purpose": _display(d, "purpose"),
                "session": session_ref(d.session),
                "to": d.to_email,
                "status": _display(d, "status"),
                "queued": _iso(d.created),
                "sent": _iso(d.sent_at),
                "subject": d.subject,
                "text": d.body_text,
                "error": d.last_error,
            }
            for d in deliveries
        ],
        "attendance_in_minutes": [
            {
                "session": session_ref(r.minutes.session),
                "presence": _display(r, "presence"),
                "name": r.name,
                "organisation": r.organisation_name,
                "substitute_for": r.substitute_for,
            }
            for r in attendance
        ],
        "minutes_roles": [
            {
                "session": session_ref(m.session),
                "role": str(
                    _("chair of the sitting") if m.chair_id == person.pk else _("recorder")
                ),
            }
            for m in minutes_roles
        ],
        "agenda_items": [
            {
                "session": session_ref(item.session),
                "title": item.title,
                "presenter": item.presenter_id == person.pk,
                "proposed_by": item.proposed_by_id == person.pk,
            }
            for item in items
        ],
        "proposals": [
            {
                "session": session_ref(p.session),
                "title": p.title,
                "rationale": p.rationale,
                "organisation": p.organisation.name if p.organisation else "",
                "status": _display(p, "status"),
                "reason": p.decision_reason,
                "moved_to": session_ref(p.moved_to),
                "submitted": _iso(p.created),
                "decided": _iso(p.decided_at),
            }
            for p in proposals
        ],
        "tasks": [
            {
                "conclusion": t.conclusion.label,
                "session": session_ref(t.conclusion.session),
                "task": t.title,
                "organisation": t.responsible_organisation.name
                if t.responsible_organisation
                else "",
                "due": _iso(t.due_date),
                "status": _display(t, "status"),
                "progress": [
                    {"date": _iso(n.date), "text": n.text, "status": _display(n, "status")}
                    for n in t.notes.all()
                ],
            }
            for t in tasks
        ],
        "change_history": [
            {
                "when": _iso(h.history_date),
                "change": h.get_history_type_display(),
                "first_name": h.first_name,
                "last_name": h.last_name,
                "title": h.title,
                "function": h.function,
                "email": h.email,
                "phone": h.phone,
            }
            for h in person.history.order_by("history_date", "history_id")
        ],
    }


def _login_data(user, *, by) -> dict:
    roles = (
        CouncilRole.objects.filter(user=user)
        .select_related("council")
        .order_by(*by_name("council__name"))
    )
    sign_ins = AuditEvent.objects.filter(user=user, action__in=AuditEvent.SIGN_IN_ACTIONS)
    return {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "active": user.is_active,
        "joined": _iso(user.date_joined),
        "last_sign_in": _iso(user.last_login),
        "access_roles": [
            {"council": r.council.name, "role": _display(r, "role")}
            for r in roles
            if permissions.can_manage_council(by, r.council)
        ],
        "sign_ins": [
            {
                "when": _iso(e.created),
                "what": e.get_action_display(),
                "ip_address": e.ip_address,
            }
            for e in sign_ins.order_by("created", "pk")
        ],
    }


def person_export_data(*, person: Person, by) -> dict:
    """Everything the portal holds about the person (a read; ``person_export`` records it)."""
    people = export_people(person=person, by=by)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported": _iso(timezone.now()),
        "exported_by": by.get_username() if getattr(by, "is_authenticated", False) else "",
        "login": _login_data(person.user, by=by) if person.user_id else None,
        "records": [_person_data(p) for p in people],
    }


@transaction.atomic
def person_export(*, person: Person, by) -> dict:
    """The person's data export (JSON-ready), recorded in the audit log."""
    data = person_export_data(person=person, by=by)
    audit_record(
        action=AuditEvent.Action.PERSON_EXPORTED,
        by=by,
        council=person.council,
        obj=person,
        details={"people": len(data["records"]), "login": bool(data["login"])},
    )
    return data


# --- Erasure ------------------------------------------------------------------------


@dataclass
class ErasurePlan:
    """What erasing a person's contact data will change (shown before, returned after)."""

    person: Person
    invitees: int = 0
    deliveries: int = 0
    login: object = None
    #: "" (no login), "close", "shared" (used in another council) or "administrator"
    login_outcome: str = ""
    active_memberships: list = field(default_factory=list)

    @property
    def closes_login(self) -> bool:
        return self.login_outcome == "close"


def _login_outcome(person: Person, user) -> str:
    if user is None:
        return ""
    if user.is_staff or user.is_superuser:
        return "administrator"
    shared = (
        Person.objects.filter(user=user).exclude(pk=person.pk).exists()
        or CouncilRole.objects.filter(user=user).exclude(council_id=person.council_id).exists()
    )
    return "shared" if shared else "close"


def person_erase_plan(*, person: Person) -> ErasurePlan:
    invitee_ids = list(
        _invitees(person).exclude(email__endswith=f"@{ERASED_DOMAIN}").values_list("pk", flat=True)
    )
    deliveries = (
        _deliveries(person, invitee_ids)
        .exclude(
            to_email__endswith=f"@{ERASED_DOMAIN}",
            subject="",
            body_text="",
            body_html="",
            last_error="",
        )
        .count()
    )
    today = timezone.localdate()
    return ErasurePlan(
        person=person,
        invitees=len(invitee_ids),
        deliveries=deliveries,
        login=person.user,
        login_outcome=_login_outcome(person, person.user),
        active_memberships=[
            m
            for m in Membership.objects.for_council(person.council)
            .filter(person=person)
            .select_related("organisation")
            if m.is_active_on(today)
        ],
    )


def _erase_invitees(person: Person, by) -> list:
    from sessions.models import Invitee, Session

    invitees = list(
        _invitees(person)
        .exclude(email__endswith=f"@{ERASED_DOMAIN}")
        .select_related("session")
        .select_for_update(of=("self",))
    )
    now = timezone.now()
    for invitee in invitees:
        invitee.email = f"erased-{invitee.pk}@{ERASED_DOMAIN}"
        invitee.response_note = ""
        upcoming = invitee.session.starts_at > now and invitee.session.status in (
            Session.Status.DRAFT,
            Session.Status.CONVENED,
        )
        if upcoming:
            invitee.is_active = False  # no more invitations or reminders for this session
        set_history_user(invitee, by)
        invitee.save(update_fields=["email", "response_note", "is_active"])
        # The change history keeps every earlier state: remove the address from it too.
        Invitee.history.filter(id=invitee.pk).update(email=invitee.email, response_note="")
    return invitees


def _erase_deliveries(person: Person, invitees: list) -> int:
    from sessions.models import Delivery

    placeholder = {i.pk: i.email for i in invitees}
    rows = list(
        _deliveries(person, list(placeholder)).exclude(
            to_email__endswith=f"@{ERASED_DOMAIN}",
            subject="",
            body_text="",
            body_html="",
            last_error="",
        )
    )
    for delivery in rows:
        status = delivery.status
        if status in (Delivery.Status.QUEUED, Delivery.Status.SENDING):
            status = Delivery.Status.FAILED  # never sent to an erased address
        Delivery.objects.filter(pk=delivery.pk).update(
            to_email=placeholder.get(delivery.invitee_id, f"erased-d{delivery.pk}@{ERASED_DOMAIN}"),
            subject="",
            body_text="",
            body_html="",
            last_error="",
            status=status,
        )
    return len(rows)


def _close_login(user) -> None:
    """Deactivate the login and replace its name and address wherever they are kept."""
    old_username = user.get_username()
    new_username = f"erased-{user.pk}"
    user.username = new_username
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    AuditEvent.objects.filter(Q(user=user) | Q(actor=old_username)).update(actor=new_username)
    for event in AuditEvent.objects.filter(details__user=old_username):
        AuditEvent.objects.filter(pk=event.pk).update(
            details={**event.details, "user": new_username}
        )
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    AccessAttempt.objects.filter(username=old_username).delete()
    AccessLog.objects.filter(username=old_username).update(username=new_username)
    AccessFailureLog.objects.filter(username=old_username).update(username=new_username)
    # Signed-in sessions end by themselves: an inactive login is never authenticated again.


@transaction.atomic
def person_erase(*, person: Person, by, reason: str) -> ErasurePlan:
    """Erase the person's contact data in this council; keep the name in official records.

    The login linked to the person is unlinked; it is closed (deactivated, its name and
    address removed) unless it is a site administrator's or is used in another council.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the erasure.")})
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("council", "user")
        .get(pk=person.pk)
    )
    council = person.council
    plan = person_erase_plan(person=person)
    user = person.user

    invitees = _erase_invitees(person, by)
    deliveries = _erase_deliveries(person, invitees)

    person.email = ""
    person.phone = ""
    person.user = None
    person.erased_at = timezone.now()
    set_history_user(person, by)
    person._change_reason = "erasure"
    person.save()
    Person.history.filter(id=person.pk).update(email="", phone="")

    if user is not None:
        for council_role in CouncilRole.objects.filter(council=council, user=user).select_related(
            "council", "user"
        ):
            council_role_delete(council_role=council_role, by=by)
        if plan.closes_login:
            _close_login(user)

    audit_record(
        action=AuditEvent.Action.PERSON_ERASED,
        by=by,
        council=council,
        obj=person,
        details={
            "reason": reason[:500],
            "login_closed": plan.closes_login,
            "login_outcome": plan.login_outcome,
            "invitees": len(invitees),
            "deliveries": deliveries,
        },
    )
    plan.person = person
    plan.invitees = len(invitees)
    plan.deliveries = deliveries
    return plan


# --- Retention ----------------------------------------------------------------------


@transaction.atomic
def retention_prune(*, now: datetime.datetime | None = None) -> dict:
    """Empty old e-mail texts and delivery logs; remove old sign-in records.

    Kept: every outbox row itself (recipient, status, dates: the record that an official
    invitation was delivered, and the key that guarantees nobody receives it twice), and
    every official document (invitation revisions and their PDFs, minutes versions,
    report revisions), which live in other tables and are never touched here.
    """
    from axes.models import AccessFailureLog, AccessLog

    from sessions.models import Delivery

    now = now or timezone.now()
    delivery_cutoff = now - datetime.timedelta(days=settings.RETENTION_DELIVERY_DAYS)
    sign_in_cutoff = now - datetime.timedelta(days=settings.RETENTION_SIGNIN_DAYS)
    deliveries = (
        Delivery.objects.filter(
            created__lt=delivery_cutoff,
            status__in=[Delivery.Status.SENT, Delivery.Status.FAILED],
        )
        .exclude(subject="", body_text="", body_html="", last_error="")
        .update(subject="", body_text="", body_html="", last_error="")
    )
    sign_ins, _counts = AuditEvent.objects.filter(
        action__in=AuditEvent.SIGN_IN_ACTIONS, created__lt=sign_in_cutoff
    ).delete()
    sign_ins += AccessLog.objects.filter(attempt_time__lt=sign_in_cutoff).delete()[0]
    sign_ins += AccessFailureLog.objects.filter(attempt_time__lt=sign_in_cutoff).delete()[0]
    result = {
        "deliveries": deliveries,
        "sign_ins": sign_ins,
        "delivery_days": settings.RETENTION_DELIVERY_DAYS,
        "sign_in_days": settings.RETENTION_SIGNIN_DAYS,
    }
    if deliveries or sign_ins:
        audit_record(action=AuditEvent.Action.RETENTION_PRUNED, details=result)
    return result
