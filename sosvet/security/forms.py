"""Forms of two-factor authentication: they check the shape of a code; services check
the code itself."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .services import BACKUP_CODE, TOTP_CODE, normalise_code


class CodeForm(forms.Form):
    """A code from the authenticator app or, where allowed, a backup code."""

    accept_backup_codes = True

    code = forms.CharField(
        label=_("Code from the app or a backup code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "class": "form-control form-control-lg code-input",
            }
        ),
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if TOTP_CODE.fullmatch(code):
            return code
        if self.accept_backup_codes and BACKUP_CODE.fullmatch(code):
            return code
        if self.accept_backup_codes:
            raise ValidationError(
                _("Enter the 6-digit code from your app, or one of your backup codes."),
                code="format",
            )
        raise ValidationError(_("Enter the 6-digit code that the app shows."), code="format")


class EnableForm(CodeForm):
    accept_backup_codes = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code from the app")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class DisableForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Current code or a backup code")
        self.fields["code"].widget.attrs["class"] = "form-control code-input"
