"""The combined annual report and work plan: one document per council and year.

``AnnualReport`` is the live document of year N ("report on the work of the council in
year N and work plan for year N+1"): the free texts the secretary writes, the signature
block and the plan rows (``PlannedSession``, ``PlannedTopic``). The membership and
sessions parts are assembled from the council's data (``reports.annual``) every time a
draft is shown, until the report is adopted.

Adoption renders the PDF once and stores it in a ``ReportRevision`` with its SHA-256 and
a snapshot of everything it says; those bytes are served from then on. A correction
re-opens the report (back to draft) and is adopted again as the next revision; earlier
revisions stay downloadable.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from councils.models import Council, Organisation, TenantQuerySet

MIN_YEAR = 1990
MAX_YEAR = 2100


class AnnualReport(models.Model):
    """Report on the work of a council in ``year`` and its work plan for ``year + 1``."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report status", "Draft")
        ADOPTED = "adopted", pgettext_lazy("report status", "Adopted")
        PUBLISHED = "published", pgettext_lazy("report status", "Published")

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(
        _("year of the report"),
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
        help_text=_("The work plan is for the following year."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    # 1. Report on the work in year N
    intro_text = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Section 1.1: founding, purpose and legal basis of the council."),
    )
    membership_text = models.TextField(
        _("membership: lead-in"),
        blank=True,
        help_text=_("Section 1.2, before the table of members assembled from the memberships."),
    )
    sessions_text = models.TextField(
        _("sessions: what was discussed"),
        blank=True,
        help_text=_("Section 1.3, after the table of sessions assembled from the sessions held."),
    )
    planned_sessions_count = models.PositiveSmallIntegerField(
        _("sessions planned for the year"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(99)],
        help_text=_(
            "Only when last year's work plan is not kept in sosvet; otherwise the number "
            "is taken from that plan."
        ),
    )
    planned_sessions_explanation = models.TextField(
        _("explanation of planned and held sessions"),
        blank=True,
        help_text=_("Section 1.3: why fewer (or more) sessions were held than planned."),
    )
    conclusion_text = models.TextField(
        _("conclusion of the report"), blank=True, help_text=_("Section 1.4.")
    )

    # 2. Work plan for year N+1
    implementation_text = models.TextField(
        _("implementation plan: closing text"),
        blank=True,
        help_text=_("Section 2.1, after the planned sessions (invitations, agenda proposals)."),
    )

    # Annex: safety indicators (councils.selectors.indicator_summary)
    include_indicators = models.BooleanField(
        _("annex with the safety indicators"),
        default=True,
        help_text=_(
            "Adds the five-year charts and tables of the safety indicators, with the change "
            "against the previous year and the trend, as an annex."
        ),
    )

    # Signature block
    prepared_by = models.CharField(_("prepared by"), max_length=200, blank=True)
    chair_name = models.CharField(_("chair"), max_length=200, blank=True)
    chair_function = models.CharField(
        _("chair's function"),
        max_length=300,
        blank=True,
        help_text=_("One line per row under the name, e.g. mayor, chair of the council."),
    )

    # Adoption
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_at_session = models.ForeignKey(
        "council_sessions.Session",
        verbose_name=_("adopted at session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adopted_reports",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    correction_reason = models.TextField(
        _("reason for the correction"),
        blank=True,
        help_text=_("Set when an adopted report is re-opened; recorded on the next revision."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated"])
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["council", "-year"]
        verbose_name = _("annual report and work plan")
        verbose_name_plural = _("annual reports and work plans")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year"],
                name="annual_report_one_per_year",
                violation_error_message=_("This council already has a report for this year."),
            )
        ]

    def __str__(self) -> str:
        return _("Report %(year)s and work plan %(plan_year)s, %(council)s") % {
            "year": self.year,
            "plan_year": self.plan_year,
            "council": self.council.display_name if self.council_id else "",
        }

    def get_absolute_url(self) -> str:
        return reverse(
            "reports:report_detail", kwargs={"council_slug": self.council.slug, "year": self.year}
        )

    @property
    def plan_year(self) -> int:
        return self.year + 1

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


def month_choices() -> list[tuple[int, str]]:
    from django.utils.dates import MONTHS

    return [(number, MONTHS[number]) for number in range(1, 13)]


MONTH_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]


class PlannedSession(models.Model):
    """A session of the implementation plan (2.1): "2nd session, March"."""

    report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="planned_sessions",
    )
    number = models.PositiveSmallIntegerField(
        _("session number"),
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("As numbered in the term of office."),
    )
    month = models.PositiveSmallIntegerField(
        _("month"), choices=month_choices, validators=MONTH_VALIDATORS
    )
    note = models.CharField(_("note"), max_length=250, blank=True)
    session = models.ForeignKey(
        "council_sessions.Session",
        verbose_name=pgettext_lazy("sitting", "session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned_in",
        help_text=_("The session scheduled for it."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["month", "number", "pk"]
        verbose_name = _("planned session")
        verbose_name_plural = _("planned sessions")

    def __str__(self) -> str:
        from django.utils.dates import MONTHS

        return f"{self.number}. – {MONTHS.get(self.month, '')}"


class PlannedTopic(models.Model):
    """A topic of the content plan (2.2), or a stakeholder's presentation of its projects."""

    class Kind(models.TextChoices):
        TOPIC = "topic", _("Topic")
        PRESENTATION = "presentation", _("Presentation of projects")

    report = models.ForeignKey(
        AnnualReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="planned_topics",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TOPIC)
    text = models.CharField(
        _("topic or project"),
        max_length=400,
        blank=True,
        help_text=_("For a presentation: the project, or leave empty for all its projects."),
    )
    month = models.PositiveSmallIntegerField(
        _("month"),
        choices=month_choices,
        validators=MONTH_VALIDATORS,
        null=True,
        blank=True,
        help_text=_("Empty: throughout the year."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("presenting organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="planned_topics",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("planned topic")
        verbose_name_plural = _("planned topics")

    def __str__(self) -> str:
        return self.text or str(self.organisation or "")

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.kind == self.Kind.TOPIC and not self.text.strip():
            errors.setdefault("text", []).append(_("Describe the topic."))
        if self.kind == self.Kind.PRESENTATION and not self.organisation_id:
            errors.setdefault("organisation", []).append(
                _("Choose the organisation that presents its projects.")
            )
        if (
            self.organisation_id
            and self.report_id
            and self.organisation.council_id != self.report.council_id
        ):
            errors.setdefault("organisation", []).append(_("Choose one of this council's records."))
        if errors:
            raise ValidationError(errors)


class ReportRevisionQuerySet(models.QuerySet):
    def for_council(self, council: Council) -> ReportRevisionQuerySet:
        return self.filter(report__council=council)

    def without_pdf(self) -> ReportRevisionQuerySet:
        return self.defer("pdf", "snapshot")


class ReportRevision(models.Model):
    """An adopted revision: the PDF bytes exactly as adopted, their SHA-256, the content.

    Official record: once created, only ``published_at`` and ``superseded_at`` ever change.
    """

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    pdf = models.BinaryField(_("PDF"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)
    snapshot = models.JSONField(_("content as adopted"), editable=False)
    language = models.CharField(_("language"), max_length=10, editable=False)
    adopted_on = models.DateField(_("adopted on"))
    adopted_at_session = models.ForeignKey(
        "council_sessions.Session",
        verbose_name=_("adopted at session"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(
        _("correction"), blank=True, help_text=_("What this revision corrects.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("recorded"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    objects = ReportRevisionQuerySet.as_manager()

    #: the only fields an existing revision may change
    MUTABLE_FIELDS = frozenset({"published_at", "superseded_at"})

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("adopted revision")
        verbose_name_plural = _("adopted revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="report_revision_unique_number"
            )
        ]

    def __str__(self) -> str:
        return _("%(report)s, revision %(number)s") % {
            "report": self.report,
            "number": self.number,
        }

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= self.MUTABLE_FIELDS:
                raise ValidationError(
                    _("An adopted revision is an official record: it never changes.")
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An adopted revision is an official record: it is never deleted."))
