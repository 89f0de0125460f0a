"""Reads of the sessions app. Every selector takes ``council=`` (or a council's record)."""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from councils.models import Council, Membership, Person
from sosvet.collation import by_name

from .models import (
    AgendaItem,
    AgendaProposal,
    Attachment,
    AttendanceRecord,
    Conclusion,
    Delivery,
    Invitation,
    Invitee,
    Minutes,
    Session,
    Task,
    TaskNote,
    sitting_times,
)


def sessions_list(*, council: Council, year: int | None = None, status: str | None = None):
    qs = Session.objects.for_council(council).select_related("term")
    if year:
        qs = qs.filter(date__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        item_count=Count("agenda_items", distinct=True),
        open_proposal_count=Count(
            "proposals", filter=Q(proposals__status=AgendaProposal.Status.SUBMITTED), distinct=True
        ),
    ).order_by("-date", "-start_time")


def sessions_upcoming(*, council: Council) -> QuerySet[Session]:
    return (
        Session.objects.for_council(council)
        .not_cancelled()
        .filter(date__gte=timezone.localdate())
        .order_by("date", "start_time")
    )


def sessions_open_for_proposals(*, council: Council) -> list[Session]:
    return [s for s in sessions_upcoming(council=council) if s.accepts_proposals]


def session_previous(*, session: Session) -> Session | None:
    """The council's session immediately before this one by date and time, whatever
    its term or status (cancelled sessions do not count): the one whose minutes this
    session approves."""
    return (
        Session.objects.for_council(session.council)
        .not_cancelled()
        .exclude(pk=session.pk)
        .filter(Q(date__lt=session.date) | Q(date=session.date, start_time__lt=session.start_time))
        .select_related("term")
        .order_by("-date", "-start_time")
        .first()
    )


def session_last_held(*, council: Council, before=None) -> Session | None:
    qs = Session.objects.for_council(council).filter(
        status__in=[Session.Status.HELD, Session.Status.CLOSED]
    )
    if before is not None:
        qs = qs.filter(date__lt=before)
    return qs.order_by("-date", "-start_time").first()


def agenda_items(*, session: Session) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(session=session)
        .select_related("presenter", "presenter_organisation", "proposed_by")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded", "pk"))
        )
        .order_by("position", "pk")
    )


def attachment_get(*, council: Council, pk: int) -> Attachment:
    return (
        Attachment.objects.for_council(council).select_related("agenda_item", "proposal").get(pk=pk)
    )


def invitation_default_people(*, session: Session) -> QuerySet[Membership]:
    """Current standing members (with an e-mail address) on the session's date."""
    from councils.selectors import memberships_list

    return memberships_list(
        council=session.council, active_on=session.date, kind=Membership.Kind.STANDING
    ).exclude(person__email="")


def invitation_candidates(*, session: Session) -> QuerySet[Membership]:
    """Everyone who may be invited: members active on the session's date."""
    from councils.selectors import memberships_list

    return memberships_list(council=session.council, active_on=session.date)


def invitations_list(*, session: Session) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(session=session)
        .defer("pdf")
        .annotate(
            sent_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
            failed_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
            queued_count=Count(
                "deliveries",
                filter=Q(deliveries__status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]),
            ),
        )
        .order_by("-revision")
    )


def invitation_latest(*, session: Session) -> Invitation | None:
    return Invitation.objects.filter(session=session).defer("pdf").order_by("-revision").first()


def _surname_first(prefix: str = "", *, alphabet: str) -> list:
    """Invitees by surname, then first name, in the council's alphabetical order: a guest
    without a person record by the name as written."""
    name = f"{prefix}name"
    return by_name(
        Coalesce(f"{prefix}person__last_name", name),
        Coalesce(f"{prefix}person__first_name", name),
        alphabet=alphabet,
    )


def deliveries_for_invitation(*, invitation: Invitation, council: Council) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(invitation=invitation)
        .select_related("invitee")
        .defer("body_text", "body_html")
        .order_by(*_surname_first("invitee__", alphabet=council.alphabet), "pk")
    )


def invitees_list(*, session: Session) -> QuerySet[Invitee]:
    return (
        Invitee.objects.filter(session=session, is_active=True)
        .select_related("person", "substitute_for")
        .order_by("kind", *_surname_first(alphabet=session.council.alphabet), "pk")
    )


def attendance_summary(*, session: Session) -> dict:
    invitees = list(invitees_list(session=session))
    answered = [i for i in invitees if i.response]
    return {
        "invitees": invitees,
        "answered": answered,
        "not_answered": [i for i in invitees if not i.response and i.kind != Invitee.Kind.GUEST],
        "attending": [i for i in invitees if i.response == Invitee.Response.ATTENDING],
        "excused": [i for i in invitees if i.response == Invitee.Response.EXCUSED],
        "substituted": [i for i in invitees if i.response == Invitee.Response.SUBSTITUTE],
    }


def rsvp_current(*, invitee: Invitee) -> dict:
    """The invitee's saved answer as the attendance form's initial values: the answer,
    the note and, when a substitute was sent, who it is."""
    current = {"response": invitee.response, "note": invitee.response_note}
    if invitee.response == Invitee.Response.SUBSTITUTE:
        substitute = invitee.substitutes.filter(is_active=True).order_by("-pk").first()
        if substitute is not None:
            current.update(
                substitute_name=substitute.name,
                substitute_organisation=substitute.organisation_name,
                substitute_email=substitute.email,
            )
    return current


def invitee_for_user(*, session: Session, user) -> Invitee | None:
    if not user.is_authenticated:
        return None
    return (
        Invitee.objects.filter(session=session, person__user=user, is_active=True)
        .select_related("person")
        .first()
    )


def person_for_user(*, council: Council, user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.for_council(council).filter(user=user).first()


def proposals_list(
    *,
    council: Council,
    proposer: Person | None = None,
    session: Session | None = None,
    status: str | None = None,
) -> QuerySet[AgendaProposal]:
    qs = (
        AgendaProposal.objects.for_council(council)
        .select_related("session", "proposer", "organisation", "moved_to")
        .prefetch_related("attachments")
    )
    if proposer is not None:
        qs = qs.filter(proposer=proposer)
    if session is not None:
        qs = qs.filter(session=session)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created", "-pk")


# Minutes, conclusions and tasks -------------------------------------------------------


def minutes_items(*, minutes: Minutes) -> QuerySet[AgendaItem]:
    """The session's agenda items with their record, conclusions and tasks (4 queries)."""
    tasks = Task.objects.select_related("responsible_person", "responsible_organisation")
    return (
        AgendaItem.objects.filter(session=minutes.session)
        .select_related("record", "presenter", "presenter_organisation")
        .prefetch_related(
            Prefetch(
                "conclusions",
                queryset=Conclusion.objects.select_related("session")
                .prefetch_related(Prefetch("tasks", queryset=tasks))
                .order_by("number"),
            )
        )
        .order_by("position", "pk")
    )


def minutes_snapshot_times(snapshot: dict) -> tuple[str, str]:
    """(start, end) of the sitting, "HH:MM" or "", as a minutes snapshot
    (``services.minutes_snapshot``) holds them: the recorded times, each falling back to
    the planned one. A snapshot from before the recorded times were kept holds the planned
    start only, and that is what it shows."""
    session = snapshot.get("session", {})
    return sitting_times(
        planned_start=session.get("start_time", ""),
        planned_end=session.get("end_time", ""),
        started=snapshot.get("started_at"),
        ended=snapshot.get("ended_at"),
    )


#: the order of the attendance groups in the minutes (the minutes PDF lists them so too)
PRESENCE_ORDER = [
    AttendanceRecord.Presence.PRESENT,
    AttendanceRecord.Presence.SUBSTITUTE,
    AttendanceRecord.Presence.EXCUSED,
    AttendanceRecord.Presence.ABSENT,
    AttendanceRecord.Presence.GUEST,
]


def attendance_list(*, minutes: Minutes, council: Council) -> QuerySet[AttendanceRecord]:
    """The attendance of the minutes: present, substitutes, excused, absent, guests, and
    in each group by surname, then first name, in the council's order, like every list of
    people (a substitute or guest without a person record by the name as written)."""
    group = Case(
        *[When(presence=presence, then=Value(i)) for i, presence in enumerate(PRESENCE_ORDER)],
        default=Value(len(PRESENCE_ORDER)),
        output_field=IntegerField(),
    )
    return AttendanceRecord.objects.filter(minutes=minutes).order_by(
        group, *_surname_first(alphabet=council.alphabet), "pk"
    )


def conclusions_without_item(*, minutes: Minutes) -> QuerySet[Conclusion]:
    return (
        Conclusion.objects.filter(session=minutes.session, agenda_item__isnull=True)
        .select_related("session")
        .prefetch_related("tasks")
        .order_by("number")
    )


def conclusions_in_minutes_order(
    *, session: Session, last: Conclusion | None = None
) -> list[Conclusion]:
    """The session's conclusions in the order of its minutes: by agenda item position
    (conclusions without an item at the end), then in their order within the item (their
    present number); ``last`` (a conclusion just moved to another item) goes to the end of
    its item. Draft minutes number their conclusions 1, 2, … in this order."""
    conclusions = list(
        Conclusion.objects.filter(session=session)
        .select_related("agenda_item", "session")
        .order_by("number")
    )

    def key(c: Conclusion):
        item = c.agenda_item
        return (
            item is None,
            (item.position, item.pk) if item is not None else (0, 0),
            last is not None and c.pk == last.pk,
            c.number,
        )

    return sorted(conclusions, key=key)


def conclusion_numbers_approved(*, minutes: Minutes) -> set[int]:
    """The conclusion numbers the approved versions of these minutes gave (official)."""
    numbers: set[int] = set()
    for snapshot in minutes.versions.values_list("snapshot", flat=True):
        for item in (snapshot or {}).get("items", []):
            for conclusion in item.get("conclusions", []):
                tail = str(conclusion.get("label", "")).rpartition("/")[2]
                if tail.isdigit():
                    numbers.add(int(tail))
    return numbers


def conclusion_numbers_fixed(*, minutes: Minutes) -> bool:
    """Once minutes have been approved, their conclusions' numbers are the official record:
    a correction keeps them (a new conclusion takes the next free number, a removed one
    leaves its number unused). Before the first approval the numbers follow the minutes."""
    return minutes.versions.exists()


#: statuses of a session at which minutes can be approved (once its day has come): not a
#: draft, which has not been convened, and not a cancelled one, which never sat
APPROVING_STATUSES = (Session.Status.CONVENED, Session.Status.HELD, Session.Status.CLOSED)


def minutes_sessions_for_approval(
    *, minutes: Minutes, today: datetime.date | None = None
) -> QuerySet[Session]:
    """Later sessions of the council at which the minutes can be approved: those that
    have already sat (convened, held or closed, dated today or earlier), earliest first.
    ``services.minutes_approve`` enforces the same rule."""
    session = minutes.session
    today = today or timezone.localdate()
    return (
        Session.objects.for_council(session.council)
        .filter(status__in=APPROVING_STATUSES, date__lte=today)
        .filter(Q(date__gt=session.date) | Q(date=session.date, start_time__gt=session.start_time))
        .order_by("date", "start_time")
    )


def tasks_list(
    *,
    council: Council,
    status: str | None = None,
    organisation=None,
    person=None,
    overdue: bool = False,
    session=None,
    year: int | None = None,
) -> QuerySet[Task]:
    """The council's task register, sorted by due date (undated last)."""
    qs = Task.objects.for_council(council).select_related(
        "conclusion__session", "responsible_person", "responsible_organisation"
    )
    if status == "open_all":
        qs = qs.open()
    elif status:
        qs = qs.filter(status=status)
    if organisation:
        qs = qs.filter(responsible_organisation=organisation)
    if person:
        qs = qs.filter(responsible_person=person)
    if overdue:
        qs = qs.overdue()
    if session:
        qs = qs.filter(conclusion__session=session)
    if year:
        qs = qs.filter(conclusion__session__date__year=year)
    return qs.order_by(F("due_date").asc(nulls_last=True), "pk")


def tasks_open_for_review(*, session: Session) -> list[Task]:
    """Open and overdue tasks of the council's earlier sessions, for the review item."""
    return list(
        Task.objects.for_council(session.council)
        .open()
        .filter(conclusion__session__date__lt=session.date)
        .select_related("conclusion__session", "responsible_person", "responsible_organisation")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


def tasks_for_user(*, user) -> QuerySet[Task]:
    """ "My tasks": every task of the persons linked to the user, in all councils."""
    return (
        Task.objects.filter(responsible_person__user=user)
        .select_related(
            "council", "conclusion__session", "responsible_person", "responsible_organisation"
        )
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


def task_notes(*, task: Task) -> QuerySet[TaskNote]:
    return TaskNote.objects.filter(task=task).select_related("author").order_by("-date", "-pk")


def minutes_history(*, minutes: Minutes, limit: int = 100) -> list[dict]:
    """Who changed what in the minutes, its conclusions and tasks, newest first."""
    from .models import AttendanceRecord, ItemRecord

    sources = [
        (Minutes.history.filter(id=minutes.pk), Minutes, lambda r: r.get_status_display()),
        (
            ItemRecord.history.filter(minutes_id=minutes.pk),
            ItemRecord,
            lambda r: (r.summary or "")[:80],
        ),
        (
            AttendanceRecord.history.filter(minutes_id=minutes.pk),
            AttendanceRecord,
            lambda r: f"{r.name}: {r.get_presence_display()}",
        ),
        (
            Conclusion.history.filter(session_id=minutes.session_id),
            Conclusion,
            lambda r: f"{minutes.session.number}/{r.number}: {r.text[:80]}",
        ),
        (
            Task.history.filter(conclusion__session_id=minutes.session_id),
            Task,
            lambda r: f"{r.title[:80]} ({r.get_status_display()})",
        ),
    ]
    rows = []
    for queryset, model, describe in sources:
        for record in queryset.select_related("history_user").order_by("-history_date")[:limit]:
            rows.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "action": record.get_history_type_display(),
                    "subject": model._meta.verbose_name,
                    "detail": describe(record),
                    "reason": record.history_change_reason or "",
                }
            )
    rows.sort(key=lambda row: row["date"], reverse=True)
    return rows[:limit]
