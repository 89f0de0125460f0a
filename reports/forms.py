"""Forms of the reports app: they validate, services write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from councils.forms import CrispyMixin, DateInput
from councils.models import Council
from sessions.models import Session

from . import selectors
from .models import MAX_YEAR, MIN_YEAR, AnnualReport, PlannedSession, PlannedTopic, month_choices

MONTH_ERROR = _("Choose a month from January to December.")
TEXT_MAX_LENGTH = 20000
TEXT_FIELDS = (
    "intro_text",
    "membership_text",
    "sessions_text",
    "planned_sessions_explanation",
    "conclusion_text",
    "implementation_text",
)


class ReportCreateForm(CrispyMixin, forms.Form):
    submit_label = _("Create the draft")
    year = forms.IntegerField(
        label=_("Year of the report"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text=_("The work plan in the same document is for the following year."),
    )


class ReportTextsForm(forms.ModelForm):
    """The free texts and the signature block of a draft (rendered by the editor template)."""

    class Meta:
        model = AnnualReport
        fields = [
            "intro_text",
            "membership_text",
            "sessions_text",
            "planned_sessions_count",
            "planned_sessions_explanation",
            "conclusion_text",
            "implementation_text",
            "include_indicators",
            "prepared_by",
            "chair_name",
            "chair_function",
        ]
        widgets = {
            "intro_text": forms.Textarea(attrs={"rows": 8}),
            "membership_text": forms.Textarea(attrs={"rows": 4}),
            "sessions_text": forms.Textarea(attrs={"rows": 5}),
            "planned_sessions_explanation": forms.Textarea(attrs={"rows": 3}),
            "conclusion_text": forms.Textarea(attrs={"rows": 6}),
            "implementation_text": forms.Textarea(attrs={"rows": 3}),
            "chair_function": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, has_previous_plan: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intro_text"].required = True
        self.fields["intro_text"].error_messages["required"] = _(
            "The introduction (1.1) cannot be empty."
        )
        for name in TEXT_FIELDS:
            self.fields[name].validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
        self.fields["include_indicators"].label = _("Add the annex with the safety indicators")
        if has_previous_plan:
            # The number comes from last year's plan; no manual figure.
            del self.fields["planned_sessions_count"]
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_chair_function(self):
        value = self.cleaned_data.get("chair_function", "")
        lines = [line.strip() for line in value.splitlines() if line.strip()]
        return "\n".join(lines)


class MonthField(forms.TypedChoiceField):
    def __init__(self, *, required=True, **kwargs):
        # An empty first choice also when required: otherwise a browser shows an empty
        # row with "January" selected and the row no longer counts as empty.
        empty = ("", _("throughout the year") if not required else "---------")
        choices = [empty] + month_choices()
        super().__init__(
            choices=choices,
            coerce=int,
            empty_value=None,
            required=required,
            error_messages={"invalid_choice": MONTH_ERROR, "required": _("Choose the month.")},
            **kwargs,
        )


class MarkInvalidMixin:
    """Bootstrap's is-invalid on the widgets of fields with errors (rows of the formsets)."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-describedby"] = f"error_{self[name].id_for_label}"


class PlannedSessionForm(MarkInvalidMixin, forms.ModelForm):
    month = MonthField(label=_("Month"))

    class Meta:
        model = PlannedSession
        fields = ["number", "month", "note"]
        error_messages = {
            "number": {
                "required": _("Enter the session's number."),
                "min_value": _("Session numbers start at 1."),
                "max_value": _("Enter a session number up to 99."),
                "invalid": _("Enter the session's number as a whole number."),
            }
        }

    def __init__(self, *args, report: AnnualReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.report = report
        self.fields["number"].widget.attrs.update({"class": "form-control", "min": 1, "max": 99})
        self.fields["month"].widget.attrs["class"] = "form-select w-auto"
        self.fields["note"].widget.attrs["class"] = "form-control"


class PlannedTopicForm(MarkInvalidMixin, forms.ModelForm):
    month = MonthField(label=_("Month"), required=False)

    class Meta:
        model = PlannedTopic
        fields = ["kind", "text", "month", "organisation"]

    def __init__(self, *args, report: AnnualReport, organisation_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.report = report
        field = self.fields["organisation"]
        field.queryset = selectors.council_organisations(council=report.council)
        # The choices are read once for the whole formset (one query, not one per row).
        field.choices = organisation_choices
        for each in self.fields.values():
            css = "form-select" if isinstance(each.widget, forms.Select) else "form-control"
            each.widget.attrs["class"] = css
        # Kind and month keep the width of their longest choice; the text gets the rest.
        self.fields["kind"].widget.attrs["class"] = "form-select w-auto"
        self.fields["month"].widget.attrs["class"] = "form-select w-auto"


class BasePlanFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, report: AnnualReport, **kwargs):
        self.report = report
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["report"] = self.report
        return kwargs

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Only this report's rows can be edited: another row's id is an invalid choice.
        form.fields[self.model._meta.pk.name].queryset = self.get_queryset()
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def live_forms(self):
        """The rows that will exist after saving: kept existing rows and filled new ones."""
        return [
            form
            for form in self.forms
            if form.is_valid()
            and (form.instance.pk or form.has_changed())
            and not self._should_delete_form(form)
        ]


class BasePlannedSessionFormSet(BasePlanFormSet):
    def clean(self):
        super().clean()
        seen: dict[int, forms.Form] = {}
        for form in self.live_forms():
            number = form.cleaned_data.get("number")
            if number is None:
                continue
            if number in seen:
                form.add_error(
                    "number",
                    _("Session %(number)s is already in the plan.") % {"number": number},
                )
            seen[number] = form


class BasePlannedTopicFormSet(BasePlanFormSet):
    def __init__(self, *args, report: AnnualReport, **kwargs):
        choices = [("", "---------")] + [
            (organisation.pk, str(organisation))
            for organisation in selectors.council_organisations(council=report.council)
        ]
        self._organisation_choices = choices
        super().__init__(*args, report=report, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["organisation_choices"] = self._organisation_choices
        return kwargs


PlannedSessionFormSet = forms.modelformset_factory(
    PlannedSession,
    form=PlannedSessionForm,
    formset=BasePlannedSessionFormSet,
    extra=2,
    can_delete=True,
    max_num=24,
    validate_max=True,
)

PlannedTopicFormSet = forms.modelformset_factory(
    PlannedTopic,
    form=PlannedTopicForm,
    formset=BasePlannedTopicFormSet,
    extra=3,
    can_delete=True,
    max_num=60,
    validate_max=True,
)


class ReportAdoptForm(CrispyMixin, forms.Form):
    submit_label = _("Adopt and store the PDF")
    adopted_at_session = forms.ModelChoiceField(
        label=_("Adopted at session"),
        queryset=Session.objects.none(),
        error_messages={"required": _("Choose the session that adopted the report.")},
    )
    adopted_on = forms.DateField(
        label=_("Adopted on"),
        widget=DateInput(),
        error_messages={"required": _("Enter the date of adoption.")},
    )

    def __init__(self, *args, council: Council, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["adopted_at_session"]
        field.queryset = selectors.sessions_for_adoption(
            council=council, year=year, today=timezone.localdate()
        )
        field.label_from_instance = lambda s: (
            f"{s.ordinal_label}, {date_format(s.date, 'SHORT_DATE_FORMAT')}"
        )


class ReportReopenForm(CrispyMixin, forms.Form):
    submit_label = _("Start a correction")
    reason = forms.CharField(
        label=_("What is corrected, and why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say what the correction is for.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say what the correction is for."))
        return reason
