"""Forms of the councils app: they validate, services write."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .indicators_csv import MAX_BYTES as CSV_MAX_BYTES
from .indicators_csv import ParseResult, parse_indicator_csv, parse_number
from .models import (
    Council,
    Indicator,
    IndicatorValue,
    Membership,
    Municipality,
    Organisation,
    Person,
    Term,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class CrispyMixin:
    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", self.submit_label))


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields that caused it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class CouncilProfileForm(CrispyMixin, forms.ModelForm):
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Founding municipalities"),
        queryset=Municipality.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Council
        fields = [
            "name",
            "short_name",
            "municipalities",
            "police_station",
            "purpose",
            "functions",
            "goals",
            "legal_basis",
            "contact_email",
            "logo",
            "language",
            "alphabet",
            "is_published",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "functions": forms.Textarea(attrs={"rows": 8}),
            "goals": forms.Textarea(attrs={"rows": 6}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not isinstance(logo, UploadedFile):
            return logo  # unchanged (or cleared): nothing new to check
        if logo.size > settings.LOGO_MAX_BYTES:
            raise ValidationError(_("The logo may be at most 1 MB."))
        if getattr(getattr(logo, "image", None), "format", None) not in ("PNG", "JPEG"):
            raise ValidationError(_("Upload the logo as a PNG or JPEG image."))
        return logo


class TermForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Term
        fields = ["start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


class OrganisationForm(CrispyMixin, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "website"]


#: a phone number as people write it: digits, spaces and + - / ( ) . — at least six digits
PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()/.-]+$")


class PersonForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["title", "first_name", "last_name", "function", "email", "phone"]

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and (not PHONE_CHARACTERS.match(phone) or sum(c.isdigit() for c in phone) < 6):
            raise forms.ValidationError(
                _("Enter a phone number: digits, spaces and + - / ( ), e.g. +386 2 748 29 00.")
            )
        return phone


class MembershipForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = [
            "person",
            "organisation",
            "role",
            "kind",
            "term",
            "start_date",
            "end_date",
            "note",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.council = council
        self.fields["person"].queryset = Person.objects.for_council(council)
        self.fields["organisation"].queryset = Organisation.objects.for_council(council)
        self.fields["term"].queryset = Term.objects.for_council(council)


class MembershipEndForm(CrispyMixin, forms.Form):
    submit_label = _("End membership")
    end_date = forms.DateField(label=_("Last day of membership"), widget=DateInput())


class MembershipFilterForm(forms.Form):
    """The filters of the membership list (GET)."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds"))] + Membership.Kind.choices
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles"))] + Membership.Role.choices
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All organisations"),
    )
    active_on = forms.DateField(label=_("Active on"), required=False, widget=DateInput())
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.for_council(council)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css


# --- Safety indicators -----------------------------------------------------------------


class IndicatorForm(CrispyMixin, forms.ModelForm):
    """A council's own indicator."""

    class Meta:
        model = Indicator
        fields = ["name", "code", "unit", "category", "decimals", "aggregation", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "code": _(
                "Names the indicator in the CSV import: lower-case letters without accents, "
                "digits and underscores. Leave it empty to make one from the name."
            ),
            "aggregation": _("How the figures of the founding municipalities add up to the total."),
        }

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.council = council
        # A new indicator may leave the code empty; an existing one keeps a code.
        self.fields["code"].required = self.instance.pk is not None

    def clean_code(self):
        # Empty: the service makes a code from the name (and validates it).
        return self.cleaned_data.get("code", "").strip().lower()


class IndicatorDeleteForm(CrispyMixin, forms.Form):
    submit_label = _("Delete the indicator and its values")


class IndicatorValueField(forms.Field):
    """One cell of the entry grid: empty (no value) or a number of this indicator.

    Accepts a decimal comma or point whatever the interface language ("12,5", "12.5").
    """

    def __init__(self, *, indicator: Indicator, **kwargs):
        self.indicator = indicator
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "autocomplete": "off",
                    "size": 8,
                    "maxlength": 30,
                    "class": "form-control form-control-sm text-end indicator-cell",
                }
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        try:
            if len(text) > 30:
                raise ValueError(text)
            number = parse_number(text)
        except ValueError:
            raise ValidationError(_("Enter a number, e.g. 12 or 12,5."), code="invalid") from None
        problem = self.indicator.check_value(number)
        if problem:
            raise ValidationError(problem, code="invalid_value")
        return number


class IndicatorValuesForm(forms.Form):
    """One year of values: every indicator (rows) × every founding municipality (columns)."""

    def __init__(self, *args, indicators, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.municipalities = list(municipalities)
        for indicator in self.indicators:
            for municipality in self.municipalities:
                self.fields[IndicatorValue.cell_key(indicator.pk, municipality.pk)] = (
                    IndicatorValueField(
                        indicator=indicator, label=f"{indicator.label}, {municipality.name}"
                    )
                )

    def values(self) -> list[tuple[Indicator, int, object]]:
        """(indicator, municipality id, Decimal or None) for every cell."""
        return [
            (
                indicator,
                municipality.pk,
                self.cleaned_data.get(IndicatorValue.cell_key(indicator.pk, municipality.pk)),
            )
            for indicator in self.indicators
            for municipality in self.municipalities
        ]


class IndicatorImportForm(CrispyMixin, forms.Form):
    submit_label = _("Check and import")

    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def __init__(self, *args, council: Council, **kwargs):
        super().__init__(*args, **kwargs)
        self.council = council
        self.parsed: ParseResult | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise ValidationError(_("The file may be at most 2 MB."))
        self.parsed = parse_indicator_csv(council=self.council, data=upload.read())
        if not self.parsed.is_valid:
            raise ValidationError(
                ngettext(
                    "The file has %(count)d error; nothing was imported. Correct it and "
                    "upload the file again.",
                    "The file has %(count)d errors; nothing was imported. Correct them and "
                    "upload the file again.",
                    self.parsed.error_count,
                )
                % {"count": self.parsed.error_count}
            )
        return upload
