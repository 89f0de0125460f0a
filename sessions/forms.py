"""Forms of the sessions app: they validate, services write."""

from __future__ import annotations

from email.utils import parseaddr

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from councils.forms import CrispyMixin, DateInput
from councils.models import Council, Organisation, Person

from .models import (
    AgendaItem,
    AgendaProposal,
    AttendanceRecord,
    Invitee,
    Minutes,
    Session,
    Task,
)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


class SessionForm(CrispyMixin, forms.ModelForm):
    number = forms.IntegerField(
        label=_("Number"),
        required=False,
        min_value=1,
        max_value=9999,
        help_text=_("Leave empty to number the session automatically."),
    )
    online_url = forms.URLField(
        label=_("Online meeting link"), required=False, assume_scheme="https"
    )
    proposal_deadline = forms.DateTimeField(
        label=_("Deadline for agenda proposals"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Leave empty for 3 days before the session."),
    )

    class Meta:
        model = Session
        fields = [
            "number",
            "date",
            "start_time",
            "end_time",
            "place",
            "online_url",
            "notes",
            "proposal_deadline",
        ]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.council = council
        if self.instance.pk is None:
            self.fields["number"].required = False

    def clean(self):
        data = super().clean()
        # A place or a link that was given but is invalid has its own error already.
        given = {"place", "online_url"} & set(self.errors)
        if not given and not data.get("place") and not data.get("online_url"):
            self.add_error("place", _("Give the place or an online meeting link (or both)."))
        return data

    def _post_clean(self):
        # The number may be left empty: the service numbers the session.
        if self.cleaned_data.get("number") is None and self.instance.pk is None:
            self.instance.number = 0
        super()._post_clean()


class AgendaItemForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "description",
            "presenter",
            "presenter_organisation",
            "kind",
            "planned_minutes",
            "is_public",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = Person.objects.for_council(council)
        self.fields["presenter_organisation"].queryset = Organisation.objects.for_council(council)


class AttachmentForm(CrispyMixin, forms.Form):
    submit_label = _("Upload")
    file = forms.FileField(label=_("File"))


class CancelForm(CrispyMixin, forms.Form):
    submit_label = _("Cancel the session")
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Sent to everyone invited when the session was already convened."),
    )


def parse_guests(text: str) -> list[dict]:
    """One guest per line: "e-mail", "Name <e-mail>" or "Name <e-mail>, Organisation"."""
    guests, errors = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        address_part, _sep, organisation = line.partition(">")
        name, email = parseaddr(address_part + (">" if _sep else ""))
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                ValidationError(
                    _("Line %(line)s: “%(text)s” is not a valid e-mail address."),
                    params={"line": number, "text": line[:80]},
                )
            )
            continue
        guests.append(
            {"name": name.strip(), "email": email, "organisation": organisation.strip(" ,;")[:250]}
        )
    if errors:
        raise ValidationError(errors)
    return guests


class InvitationForm(CrispyMixin, forms.Form):
    submit_label = _("Send the invitation")
    memberships = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guests = forms.CharField(
        label=_("Guests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: Name &lt;e-mail&gt;, Organisation"),
    )
    message = forms.CharField(
        label=_("Message to the recipients"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["memberships"].queryset = candidates
        self.fields["memberships"].label_from_instance = self._label

    @staticmethod
    def _label(membership) -> str:
        parts = [membership.person.full_name]
        if membership.organisation:
            parts.append(membership.organisation.name)
        if membership.kind == membership.Kind.NON_STANDING:
            parts.append(str(membership.Kind.NON_STANDING.label))
        if not membership.person.email:
            parts.append(str(_("no e-mail address")))
        return " — ".join(parts)

    def clean_guests(self):
        return parse_guests(self.cleaned_data.get("guests", ""))

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("memberships") and not data.get("guests"):
            raise ValidationError(_("Choose at least one recipient."))
        return data


class RSVPForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=[c for c in Invitee.Response.choices if c[0]],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    substitute_name = forms.CharField(label=_("Substitute's name"), required=False, max_length=200)
    substitute_organisation = forms.CharField(
        label=_("Substitute's organisation"), required=False, max_length=250
    )
    substitute_email = forms.EmailField(label=_("Substitute's e-mail"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("response") == Invitee.Response.SUBSTITUTE:
            if not data.get("substitute_name"):
                self.add_error("substitute_name", _("Give the substitute's name."))
            if not data.get("substitute_email") and "substitute_email" not in self.errors:
                self.add_error("substitute_email", _("Give the substitute's e-mail address."))
        return data

    def substitute(self) -> dict | None:
        data = self.cleaned_data
        if data.get("response") != Invitee.Response.SUBSTITUTE:
            return None
        return {
            "name": data["substitute_name"],
            "email": data["substitute_email"],
            "organisation": data.get("substitute_organisation", ""),
        }


class ProposalForm(CrispyMixin, forms.ModelForm):
    submit_label = _("Submit the proposal")
    attachment = forms.FileField(label=_("Attachment"), required=False)

    class Meta:
        model = AgendaProposal
        fields = ["title", "rationale", "organisation"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.council = council
        self.fields["organisation"].queryset = Organisation.objects.for_council(council)


class ProposalDecisionForm(CrispyMixin, forms.Form):
    submit_label = _("Record the decision")
    ACCEPT, DECLINE, MOVE = "accept", "decline", "move"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ACCEPT, _("Accept: add it to the agenda")),
            (DECLINE, _("Decline")),
            (MOVE, _("Move to a later session")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when declining; sent to the proposer."),
    )
    target = forms.ModelChoiceField(
        label=_("Later session"), required=False, queryset=Session.objects.none()
    )

    def __init__(self, *args, later_sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = later_sessions

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.DECLINE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for declining the proposal."))
        if data.get("decision") == self.MOVE and not data.get("target"):
            self.add_error("target", _("Choose the session to move the proposal to."))
        return data


class MinutesForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Minutes
        fields = ["chair", "recorder", "started_at", "ended_at", "introduction"]
        widgets = {
            "started_at": TimeInput(),
            "ended_at": TimeInput(),
            "introduction": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = Person.objects.for_council(council)
        self.fields["recorder"].queryset = Person.objects.for_council(council)

    def clean(self):
        data = super().clean()
        if (
            data.get("started_at")
            and data.get("ended_at")
            and data["ended_at"] <= data["started_at"]
        ):
            self.add_error("ended_at", _("The sitting must close after it opens."))
        return data


class AttendanceRecordForm(forms.ModelForm):
    class Meta:
        model = AttendanceRecord
        fields = ["name", "organisation_name", "presence", "substitute_for"]

    def clean(self):
        data = super().clean()
        if data.get("presence") == AttendanceRecord.Presence.SUBSTITUTE and not data.get(
            "substitute_for"
        ):
            self.add_error("substitute_for", _("Whom does the substitute stand in for?"))
        return data


AttendanceFormSet = forms.modelformset_factory(
    AttendanceRecord, form=AttendanceRecordForm, extra=2, can_delete=True
)


class ItemRecordForm(CrispyMixin, forms.Form):
    summary = forms.CharField(
        label=_("Summary of the discussion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
    )


class ConclusionForm(CrispyMixin, forms.Form):
    submit_label = _("Save the conclusion")
    text = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    is_public = forms.BooleanField(label=_("Public"), required=False, initial=True)


class ConclusionEditForm(ConclusionForm):
    """A conclusion of draft minutes: its text, and the agenda item it belongs to."""

    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )

    field_order = ["agenda_item", "text", "is_public"]

    def __init__(self, *args, session: Session, numbers_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agenda_item"]
        field.queryset = session.agenda_items.order_by("position", "pk")
        field.label_from_instance = lambda item: f"{item.position}. {item.title}"
        field.help_text = (
            _(
                "Moved to another item, the conclusion keeps its number: the minutes were "
                "approved before and their numbers are the official record."
            )
            if numbers_fixed
            else _(
                "Moved to another item, the conclusion goes to the end of that item and the "
                "conclusions are renumbered in the order of the minutes."
            )
        )


class TaskForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "responsible_person", "responsible_organisation", "due_date"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, council: Council, session: Session | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["responsible_person"].queryset = Person.objects.for_council(council)
        self.fields["responsible_organisation"].queryset = Organisation.objects.for_council(council)

    def clean_due_date(self):
        due_date = self.cleaned_data.get("due_date")
        if due_date and self.session is not None and due_date < self.session.date:
            raise ValidationError(
                _("The due date cannot be before the session (%(date)s).")
                % {"date": date_format(self.session.date, "SHORT_DATE_FORMAT")}
            )
        return due_date

    def clean(self):
        data = super().clean()
        if not data.get("responsible_person") and not data.get("responsible_organisation"):
            self.add_error(
                "responsible_person", _("Name the responsible member or organisation (or both).")
            )
        return data


class TaskProgressForm(CrispyMixin, forms.Form):
    submit_label = _("Record progress")
    status = forms.ChoiceField(label=_("Status"), choices=Task.Status.choices)
    text = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    date = forms.DateField(label=_("Date"), widget=DateInput(), required=False)


class MinutesApproveForm(CrispyMixin, forms.Form):
    submit_label = _("Approve the minutes")
    approved_at_session = forms.ModelChoiceField(
        label=_("Approved at session"),
        queryset=Session.objects.none(),
        error_messages={
            "invalid_choice": _(
                "Minutes can only be approved at a session that has already been held."
            )
        },
    )
    approved_on = forms.DateField(label=_("Approved on"), widget=DateInput())

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_at_session"].queryset = sessions
        self.fields["approved_at_session"].label_from_instance = lambda s: (
            f"{s.ordinal_label}, {date_format(s.date, 'SHORT_DATE_FORMAT')}"
        )

    def clean_approved_on(self):
        approved_on = self.cleaned_data["approved_on"]
        if approved_on > timezone.localdate():
            raise ValidationError(_("The approval date cannot be in the future."))
        return approved_on


class ReopenForm(CrispyMixin, forms.Form):
    submit_label = _("Re-open the minutes")
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open_all", _("Open or in progress"))] + Task.Status.choices,
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All organisations"),
    )
    person = forms.ModelChoiceField(
        label=_("Person"),
        required=False,
        queryset=Person.objects.none(),
        empty_label=_("All people"),
    )
    session = forms.ModelChoiceField(
        label=_("Session"),
        required=False,
        queryset=Session.objects.none(),
        empty_label=_("All sessions"),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.for_council(council)
        self.fields["person"].queryset = Person.objects.for_council(council)
        self.fields["session"].queryset = Session.objects.for_council(council).order_by("-date")
        self.fields["session"].label_from_instance = lambda s: (
            f"{s.ordinal_label}, {date_format(s.date, 'SHORT_DATE_FORMAT')}"
        )
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs["class"] = "form-control"
