"""The audit log: who did what, when and from where (imported by ``councils.models``).

Events are written by the services (``councils.audit.audit_record``) in the same
transaction as the change they record, and by the sign-in signal receivers. They are
never edited or deleted through the user interface: only the retention job removes
old sign-in events, and erasing a person replaces the closed login's name in its events.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def for_council(self, council) -> AuditEventQuerySet:
        return self.filter(council=council)


class AuditEvent(models.Model):
    """One event of the audit log."""

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        ROLE_GRANTED = "role_granted", _("Access role granted")
        ROLE_CHANGED = "role_changed", _("Access role changed")
        ROLE_REVOKED = "role_revoked", _("Access role revoked")
        MEMBERSHIP_ROLE = "membership_role", _("Membership role set")
        MEMBERSHIP_ENDED = "membership_ended", _("Membership ended")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        MINUTES_APPROVED = "minutes_approved", _("Minutes approved")
        REPORT_ADOPTED = "report_adopted", _("Report adopted")
        REPORT_PUBLISHED = "report_published", _("Report published")
        PERSON_EXPORTED = "person_exported", _("Personal data exported")
        PERSON_ERASED = "person_erased", _("Personal data erased")
        COUNCIL_EXPORTED = "council_exported", _("Council exported")
        COUNCIL_IMPORTED = "council_imported", _("Council imported")
        RETENTION_PRUNED = "retention_pruned", _("Old data pruned")

    SIGN_IN_ACTIONS = (Action.SIGN_IN, Action.SIGN_IN_FAILED)

    created = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    actor = models.CharField(
        pgettext_lazy("audit log", "who"),
        max_length=150,
        blank=True,
        help_text=_("The login's name at the time (or the name tried in a failed sign-in)."),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("kind of record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=250, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["council", "-created"], name="audit_council_created"),
            models.Index(fields=["action", "-created"], name="audit_action_created"),
        ]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("An audit event is never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An audit event is never deleted."))

    @property
    def who(self) -> str:
        return self.actor or gettext("system")

    @property
    def description(self) -> str:
        """The details in words (translated), for the audit pages."""
        d = self.details or {}
        A = self.Action
        if self.action in (A.ROLE_GRANTED, A.ROLE_CHANGED, A.ROLE_REVOKED, A.MEMBERSHIP_ROLE):
            role = d.get("role_label") or d.get("role", "")
            previous = d.get("previous_label") or d.get("previous", "")
            text = str(role)
            if previous and role:
                text = gettext("%(previous)s → %(role)s") % {"previous": previous, "role": role}
            return f"{d['user']}: {text}" if d.get("user") else text
        if self.action == A.MEMBERSHIP_ENDED:
            return gettext("ends on %(date)s") % {"date": d.get("end_date", "")}
        if self.action == A.INVITATION_SENT:
            count = d.get("recipients", 0)
            return gettext("revision %(revision)s") % {"revision": d.get("revision", "")} + (
                ", "
                + ngettext("%(count)d recipient", "%(count)d recipients", count) % {"count": count}
            )
        if self.action == A.MINUTES_APPROVED:
            return gettext("version %(version)s") % {"version": d.get("version", "")}
        if self.action in (A.REPORT_ADOPTED, A.REPORT_PUBLISHED):
            return gettext("revision %(revision)s") % {"revision": d.get("revision", "")}
        if self.action == A.PERSON_ERASED:
            text = gettext("reason: %(reason)s") % {"reason": d.get("reason", "")}
            if d.get("login_closed"):
                text += "; " + gettext("login closed")
            return text
        if self.action == A.PERSON_EXPORTED:
            count = d.get("people", 1)
            return ngettext("%(count)d person record", "%(count)d person records", count) % {
                "count": count
            }
        if self.action in (A.COUNCIL_EXPORTED, A.COUNCIL_IMPORTED):
            records, files = d.get("records", 0), d.get("files", 0)
            return ", ".join(
                [
                    ngettext("%(count)d record", "%(count)d records", records) % {"count": records},
                    ngettext("%(count)d file", "%(count)d files", files) % {"count": files},
                ]
            )
        if self.action == A.RETENTION_PRUNED:
            emails, sign_ins = d.get("deliveries", 0), d.get("sign_ins", 0)
            return ", ".join(
                [
                    ngettext("%(count)d e-mail emptied", "%(count)d e-mails emptied", emails)
                    % {"count": emails},
                    ngettext(
                        "%(count)d sign-in record removed",
                        "%(count)d sign-in records removed",
                        sign_ins,
                    )
                    % {"count": sign_ins},
                ]
            )
        return ""
