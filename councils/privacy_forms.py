"""Forms of the audit log and of a person's erasure: they validate, services write."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sosvet.collation import by_name

from .forms import DateInput
from .models import AuditEvent, Council, Person


class AuditFilterForm(forms.Form):
    """The filters of the audit log (GET)."""

    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions"))] + AuditEvent.Action.choices,
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, with_council: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_council:
            self.fields["council"] = forms.ModelChoiceField(
                label=_("Council"),
                required=False,
                queryset=Council.objects.order_by(*by_name("name")),
                empty_label=_("All councils"),
            )
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return data


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


class PersonEraseForm(forms.Form):
    """The confirmation of an erasure: the person's name typed again, and the reason."""

    confirm_name = forms.CharField(
        label=_("Type the person's name to confirm"),
        max_length=250,
        help_text=_("First name and last name, as shown in the heading."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "e.g. the person's request of 3 March, reference number; kept in the audit log."
        ),
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", _("Erase the contact data"), css_class="btn-danger"))

    def clean_confirm_name(self):
        typed = self.cleaned_data["confirm_name"]
        accepted = {
            _normalised(f"{self.person.first_name} {self.person.last_name}"),
            _normalised(self.person.full_name),
        }
        if _normalised(typed) not in accepted:
            raise ValidationError(
                _("Type the name exactly as shown: %(name)s.")
                % {"name": f"{self.person.first_name} {self.person.last_name}"}
            )
        return typed

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason for the erasure."))
        return reason
