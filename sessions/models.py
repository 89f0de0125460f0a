"""Sessions, agendas, invitations and their delivery, attendance, agenda proposals."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from councils.models import Council, Organisation, Person, TenantQuerySet, Term
from sosvet.collation import by_name


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


class SessionQuerySet(TenantQuerySet):
    def not_cancelled(self):
        return self.exclude(status=Session.Status.CANCELLED)


class Session(models.Model):
    """A sitting of a council ("3. seja")."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONVENED = "convened", _("Convened")
        HELD = "held", _("Held")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="sessions"
    )
    term = models.ForeignKey(
        Term,
        verbose_name=_("term of office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    number = models.PositiveIntegerField(
        _("number"), help_text=_("Numbered automatically within the term of office.")
    )
    date = models.DateField(pgettext_lazy("session", "date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=250, blank=True, help_text=_("Address or room"))
    online_url = models.URLField(_("online meeting link"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    proposal_deadline = models.DateTimeField(
        _("deadline for agenda proposals"),
        null=True,
        blank=True,
        help_text=_("Members may propose agenda additions until then (default: 3 days before)."),
    )
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = SessionQuerySet.as_manager()

    #: the field a constraint's violation is about (by its ``violation_error_code``):
    #: forms show the error next to that field, not above the form
    CONSTRAINT_FIELDS = {"number_taken": "number", "end_before_start": "end_time"}

    class Meta:
        ordering = ["-date", "-start_time"]
        verbose_name = pgettext_lazy("sitting", "session")
        verbose_name_plural = pgettext_lazy("sitting", "sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "term", "number"],
                condition=~models.Q(status="cancelled"),
                name="session_unique_number_in_term",
                violation_error_code="number_taken",
                violation_error_message=_(
                    "Another session of this council in this term has this number."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="session_end_after_start",
                violation_error_code="end_before_start",
                violation_error_message=_("The session must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return _("Session %(number)s, %(date)s") % {
            "number": self.number,
            "date": date_format(self.date, "SHORT_DATE_FORMAT"),
        }

    def get_absolute_url(self) -> str:
        return reverse(
            "sessions:session_detail",
            kwargs={"council_slug": self.council.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors.setdefault("end_time", []).append(_("The session must end after it starts."))
        if self.term_id and self.term is not None and self.term.council_id != self.council_id:
            errors.setdefault("term", []).append(_("Choose one of this council's records."))
        if (
            self.proposal_deadline
            and self.date
            and self.start_time
            and self.proposal_deadline > self.starts_at
        ):
            errors.setdefault("proposal_deadline", []).append(
                _("The deadline for proposals must be before the session starts.")
            )
        if not errors and self.council_id and self.date and self.start_time:
            clash = (
                Session.objects.filter(council_id=self.council_id, date=self.date)
                .not_cancelled()
                .exclude(pk=self.pk)
            )
            for other in clash:
                if other.starts_at < self.ends_at and self.starts_at < other.ends_at:
                    errors.setdefault("start_time", []).append(
                        _("This clashes with %(session)s (%(start)s–%(end)s).")
                        % {
                            "session": other.ordinal_label,
                            "start": other.start_time.strftime("%H:%M"),
                            "end": timezone.localtime(other.ends_at).strftime("%H:%M"),
                        }
                    )
                    break
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors: dict[str, list] = {}
            for field, messages in error.error_dict.items():
                for message in messages:
                    target = field
                    if field == NON_FIELD_ERRORS:
                        target = self.CONSTRAINT_FIELDS.get(message.code, field)
                    errors.setdefault(target, []).append(message)
            raise ValidationError(errors) from error

    # Single-object derived data -------------------------------------------------
    @property
    def ordinal_label(self) -> str:
        return _("Session %(number)s") % {"number": self.number}

    @property
    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> datetime.datetime:
        if self.end_time:
            return timezone.make_aware(datetime.datetime.combine(self.date, self.end_time))
        return self.starts_at + datetime.timedelta(hours=2)

    @property
    def ical_uid(self) -> str:
        """Stable for the life of the session: calendars update the same event."""
        return f"session-{self.pk}@{site_domain()}"

    @property
    def effective_proposal_deadline(self) -> datetime.datetime:
        return self.proposal_deadline or (self.starts_at - datetime.timedelta(days=3))

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CONVENED)

    @property
    def accepts_proposals(self) -> bool:
        return self.is_editable and timezone.now() <= self.effective_proposal_deadline


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        DISCUSSION = "discussion", _("Discussion")
        DECISION = "decision", pgettext_lazy("agenda item type", "Decision")

    class Standing(models.TextChoices):
        NONE = "", _("Ordinary item")
        MINUTES_APPROVAL = "minutes_approval", _("Approval of the minutes")
        CONCLUSIONS_REVIEW = "conclusions_review", _("Review of conclusions")

    session = models.ForeignKey(
        Session,
        verbose_name=pgettext_lazy("sitting", "session"),
        on_delete=models.CASCADE,
        related_name="agenda_items",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    presenter = models.ForeignKey(
        Person,
        verbose_name=_("presenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presented_items",
    )
    presenter_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("presenting organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presented_items",
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.DISCUSSION)
    planned_minutes = models.PositiveIntegerField(
        _("planned minutes"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    is_public = models.BooleanField(_("public"), default=True)
    standing = models.CharField(
        _("standing item"), max_length=30, choices=Standing.choices, default="", blank=True
    )
    proposed_by = models.ForeignKey(
        Person,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_items",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, list] = {}
        council_id = self.session.council_id if self.session_id else None
        for field_name in ("presenter", "presenter_organisation", "proposed_by"):
            related = getattr(self, field_name, None)
            if related is not None and council_id and related.council_id != council_id:
                errors.setdefault(field_name, []).append(_("Choose one of this council's records."))
        if errors:
            raise ValidationError(errors)

    @property
    def presenter_label(self) -> str:
        parts = [str(p) for p in (self.presenter, self.presenter_organisation) if p]
        return ", ".join(parts)


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    """A file attached to an agenda item or a proposal; served only to those allowed."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="attachments")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    proposal = models.ForeignKey(
        "AgendaProposal",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Invitee(models.Model):
    """Someone invited to a session: a member, a guest, or a member's substitute.

    One row per session and e-mail address; every invitation revision is sent to the
    session's active invitees, and the invitee's attendance answer lives here.
    """

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        GUEST = "guest", _("Guest")
        SUBSTITUTE = "substitute", _("Substitute")

    class Response(models.TextChoices):
        NONE = "", _("No answer yet")
        ATTENDING = "attending", _("Will attend")
        EXCUSED = "excused", pgettext_lazy("reply to an invitation", "Excused")
        SUBSTITUTE = "substitute", _("Sends a substitute")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitees")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEMBER)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation_name = models.CharField(_("organisation"), max_length=250, blank=True)
    substitute_for = models.ForeignKey(
        "self",
        verbose_name=_("substitute for"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="substitutes",
    )
    is_active = models.BooleanField(default=True)
    response = models.CharField(
        _("answer"), max_length=20, choices=Response.choices, default="", blank=True
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    response_note = models.CharField(_("note"), max_length=300, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", *by_name("name")]
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        constraints = [
            models.UniqueConstraint(fields=["session", "email"], name="invitee_unique_email")
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Invitation(models.Model):
    """One revision of a session's invitation, kept exactly as it was sent."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        UPDATE = "update", _("Updated invitation")
        CANCELLATION = "cancellation", _("Cancellation")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    revision = models.PositiveIntegerField(_("revision"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sequence = models.PositiveIntegerField(_("calendar sequence"))
    snapshot = models.JSONField(_("content sent"))
    changes = models.JSONField(_("changes"), default=list, blank=True)
    message = models.TextField(_("message from the secretary"), blank=True)
    language = models.CharField(max_length=10)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    ics = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["session", "revision"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "revision"], name="invitation_unique_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.get_kind_display()} {self.revision}"


class Delivery(models.Model):
    """The outbox: one e-mail to one invitee, unique per purpose key."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Purpose(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")
        PROPOSAL = "proposal", _("Proposal decision")
        TASK_REMINDER = "task_reminder", _("Task reminder")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="deliveries")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    invitee = models.ForeignKey(
        Invitee, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    proposal = models.ForeignKey(
        "AgendaProposal",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    task = models.ForeignKey(
        "Task", null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    key = models.CharField(max_length=120, unique=True)
    to_email = models.EmailField(_("recipient"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} → {self.to_email} ({self.get_status_display()})"


class AgendaProposal(models.Model):
    """A member's proposal to add an item to an upcoming session's agenda."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        MOVED = "moved", _("Moved to a later session")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="proposals")
    session = models.ForeignKey(
        Session,
        verbose_name=pgettext_lazy("sitting", "session"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    proposer = models.ForeignKey(
        Person,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=300)
    rationale = models.TextField(_("rationale"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    moved_to = models.ForeignKey(
        Session,
        verbose_name=_("moved to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moved_proposals",
    )
    agenda_item = models.OneToOneField(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal"
    )
    created = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("agenda proposal")
        verbose_name_plural = _("agenda proposals")

    def __str__(self) -> str:
        return self.title


# Minutes, conclusions and tasks -----------------------------------------------------


def sitting_times(*, planned_start, planned_end, started=None, ended=None) -> tuple:
    """(start, end) a sitting is shown with: the times the minutes recorded (the sitting
    opened, closed), each falling back to the planned one when none was recorded."""
    return started or planned_start, ended or planned_end


class Minutes(models.Model):
    """The minutes of a held session: draft → approved (frozen) → published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    session = models.OneToOneField(
        Session,
        verbose_name=pgettext_lazy("sitting", "session"),
        on_delete=models.CASCADE,
        related_name="minutes",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    chair = models.ForeignKey(
        Person,
        verbose_name=_("chair of the sitting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorder = models.ForeignKey(
        Person,
        verbose_name=_("recorder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.TimeField(_("sitting opened"), null=True, blank=True)
    ended_at = models.TimeField(_("sitting closed"), null=True, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_at_session = models.ForeignKey(
        Session,
        verbose_name=_("approved at session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_minutes",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return _("Minutes of %(session)s") % {"session": self.session.ordinal_label}

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def sitting(self) -> tuple[datetime.time, datetime.time | None]:
        """(start, end) of the sitting: as recorded, else as planned."""
        return sitting_times(
            planned_start=self.session.start_time,
            planned_end=self.session.end_time,
            started=self.started_at,
            ended=self.ended_at,
        )

    @property
    def times_recorded(self) -> bool:
        return bool(self.started_at or self.ended_at)


class AttendanceRecord(models.Model):
    """Who was at the sitting, as recorded in the minutes."""

    class Presence(models.TextChoices):
        PRESENT = "present", pgettext_lazy("attendance of one person", "Present")
        EXCUSED = "excused", pgettext_lazy("attendance of one person", "Excused")
        ABSENT = "absent", pgettext_lazy("attendance of one person", "Absent")
        SUBSTITUTE = "substitute", _("Substitute")
        GUEST = "guest", _("Guest")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=250, blank=True)
    presence = models.CharField(
        _("presence"), max_length=20, choices=Presence.choices, default=Presence.PRESENT
    )
    substitute_for = models.CharField(_("substitute for"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_presence_display()})"


class ItemRecord(models.Model):
    """The minutes' summary of the discussion of one agenda item."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="items")
    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="record")
    summary = models.TextField(_("summary of the discussion"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agenda_item__position"]
        verbose_name = _("item record")
        verbose_name_plural = _("item records")

    def __str__(self) -> str:
        return str(self.agenda_item)


class Conclusion(models.Model):
    """A conclusion (sklep) adopted at a session, numbered per session: "3/2"."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="conclusions")
    session = models.ForeignKey(
        Session,
        verbose_name=pgettext_lazy("sitting", "session"),
        on_delete=models.CASCADE,
        related_name="conclusions",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conclusions",
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))
    is_public = models.BooleanField(_("public"), default=True)

    history = HistoricalRecords()
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["session__date", "number"]
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="conclusion_unique_number")
        ]

    def __str__(self) -> str:
        return _("Conclusion %(label)s") % {"label": self.label}

    @property
    def label(self) -> str:
        return f"{self.session.number}/{self.number}"


class TaskQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(status__in=[Task.Status.OPEN, Task.Status.IN_PROGRESS])

    def overdue(self, today: datetime.date | None = None):
        return self.open().filter(due_date__lt=today or timezone.localdate())


class Task(models.Model):
    """A task a member took on, coming out of a conclusion."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="tasks")
    conclusion = models.ForeignKey(
        Conclusion, verbose_name=_("conclusion"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("what"), max_length=400)
    responsible_person = models.ForeignKey(
        Person,
        verbose_name=_("responsible member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()

    # The state every live page shows (templates/sessions/includes/task_status.html): an
    # open task past its due date is "overdue", any other task shows its status. Snapshots
    # (sent invitations, approved minutes) keep what they said when they were taken.
    @property
    def status_key(self) -> str:
        return "overdue" if self.is_overdue else self.status

    @property
    def status_label(self) -> str:
        return str(_("overdue")) if self.is_overdue else self.get_status_display()

    @property
    def responsible_label(self) -> str:
        parts = [str(p) for p in (self.responsible_person, self.responsible_organisation) if p]
        return ", ".join(parts)


class TaskNote(models.Model):
    """A dated progress note on a task (with the status it set)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("progress"))
    status = models.CharField(_("status"), max_length=20, choices=Task.Status.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:40]}"


class MinutesVersion(models.Model):
    """An approved version of the minutes, kept exactly: content and PDF bytes."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField()
    pdf = models.BinaryField(editable=False)
    pdf_sha256 = models.CharField(max_length=64)
    approved_on = models.DateField(_("approved on"))
    approved_at_session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    #: when the public part of this version was published (the public sees the latest
    #: published version, also while a correction is being prepared)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("re-opened"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.TextField(_("reason for re-opening"), blank=True)

    class Meta:
        ordering = ["minutes", "number"]
        verbose_name = _("approved minutes version")
        verbose_name_plural = _("approved minutes versions")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutes_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.minutes} v{self.number}"
