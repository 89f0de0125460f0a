"""Project-wide check of text input: no control characters.

Django's form ``CharField`` (and so every text, e-mail, URL, slug and password field of
every form, the admin's included) already refuses NUL; PostgreSQL cannot store it at all.
The other control characters (U+0001–U+001F except tab, line feed and carriage return;
U+007F–U+009F; the non-characters U+FFFE and U+FFFF) are stored fine but make the Atom
feed, the iCalendar feed and the e-mails invalid, and nobody types them on purpose. One
validator with one translated message replaces Django's NUL check on every CharField.
"""

from __future__ import annotations

import functools
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


@deconstructible
class ProhibitControlCharactersValidator:
    message = _(
        "The text contains invisible control characters (such as NUL), which cannot be "
        "stored. Remove them, for example by typing the text again."
    )
    code = "control_characters"

    def __call__(self, value):
        if CONTROL_CHARACTERS.search(str(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, ProhibitControlCharactersValidator)


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


def install() -> None:
    """Give every form CharField (and subclass) the control-character check.

    Installed once, when the app registry is ready; Django's own NUL validator is
    replaced, so a NUL gets one message, not two.
    """
    original = forms.CharField.__init__
    if getattr(original, "sosvet_control_characters", False):
        return

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        self.validators.append(ProhibitControlCharactersValidator())

    __init__.sosvet_control_characters = True
    forms.CharField.__init__ = __init__


def _integer_range(field) -> tuple[int | None, int | None] | None:
    from django.db import connections

    model = field.queryset.model
    key = field.to_field_name
    model_field = model._meta.get_field(key) if key else model._meta.pk
    internal_type = model_field.get_internal_type()
    if "Integer" not in internal_type and "AutoField" not in internal_type:
        return None
    return connections[field.queryset.db].ops.integer_field_range(internal_type)


def install_key_range_check() -> None:
    """A multiple choice of records refuses numbers the database cannot hold.

    Django checks the range of one key (``pk=…``) but not of a list (``pk__in=…``):
    ``9223372036854775808`` among the chosen members was an OverflowError (SQLite) or a
    DataError (PostgreSQL) — a 500 — instead of “not a valid value”.
    """
    original = forms.ModelMultipleChoiceField.clean
    if getattr(original, "sosvet_key_range", False):
        return

    @functools.wraps(original)
    def clean(self, value):
        if isinstance(value, list | tuple) and (bounds := _integer_range(self)):
            low, high = bounds
            for key in value:
                try:
                    number = int(str(key))
                except ValueError:
                    continue  # Django's own check answers this one
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": key},
                    )
        return original(self, value)

    clean.sosvet_key_range = True
    forms.ModelMultipleChoiceField.clean = clean


def search_text(value: str | None, *, max_length: int) -> str:
    """Text from the query string for a search: without control characters (PostgreSQL
    cannot take a NUL at all), trimmed, at most ``max_length`` characters."""
    return CONTROL_CHARACTERS.sub("", value or "").strip()[:max_length]
