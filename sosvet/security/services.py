"""Writes for two-factor authentication: set-up, confirmation, codes, switching it off.

Codes are checked against one device chosen by the code's form (six digits: the
authenticator app; eight letters and digits: a backup code), so a code never counts as a
failed attempt against the other device. django-otp throttles each device: after a wrong
code the next attempt must wait 1, 2, 4, 8 … seconds (``OTP_*_THROTTLE_FACTOR``).
"""

from __future__ import annotations

import math
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import selectors

BACKUP_CODE_COUNT = 10
TOTP_CODE = re.compile(r"[0-9]{6}")
BACKUP_CODE = re.compile(r"[a-z2-7]{8}")

WRONG_CODE = _(
    "The code is not correct. Check that the clock of your phone is right and try again."
)
START_AGAIN = _("The set-up has expired. Start it again.")


def normalise_code(code: str) -> str:
    """What the user typed, without spaces and hyphens, in lower case."""
    return re.sub(r"[\s\-]", "", code or "").lower()


def format_backup_code(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


def _throttled(extra: dict) -> ValidationError:
    locked_until = extra.get("locked_until")
    seconds = 1
    if locked_until is not None:
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    return ValidationError(
        ngettext(
            "Too many wrong codes. Wait %(seconds)d second and try again.",
            "Too many wrong codes. Wait %(seconds)d seconds and try again.",
            seconds,
        )
        % {"seconds": seconds},
        code="throttled",
    )


def _verify(device: Device, code: str) -> None:
    """Check the code against one device; a wrong code counts towards its throttling.

    The throttling counter is written in its own transaction and the error raised only
    after it, so that a caller's transaction cannot roll the counter back.
    """
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, extra = device.verify_is_allowed()
        verified = allowed and device.verify_token(code)
    if not allowed:
        if extra and extra.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            raise _throttled(extra)
        raise ValidationError(WRONG_CODE, code="invalid")
    if not verified:
        raise ValidationError(WRONG_CODE, code="invalid")


def code_verify(*, user, code: str) -> Device:
    """The confirmed device that accepts the code (the app's or a backup code)."""
    code = normalise_code(code)
    if TOTP_CODE.fullmatch(code):
        device = selectors.totp_device(user=user, confirmed=True)
    elif BACKUP_CODE.fullmatch(code):
        device = selectors.backup_device(user=user)
    else:
        device = None
    if device is None:
        raise ValidationError(WRONG_CODE, code="invalid")
    _verify(device, code)
    return device


def totp_device_start(*, user) -> TOTPDevice:
    """A new secret for the authenticator app, not yet confirmed (replaces an older one)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def two_factor_enable(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending app with a code it shows; returns it and fresh backup codes."""
    device = selectors.totp_device(user=user, confirmed=False)
    if device is None:
        raise ValidationError(START_AGAIN, code="no_pending_device")
    code = normalise_code(code)
    if not TOTP_CODE.fullmatch(code):
        raise ValidationError(WRONG_CODE, code="invalid")
    _verify(device, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = backup_codes_generate(user=user)
    return device, codes


def backup_codes_generate(*, user) -> list[str]:
    """Ten new single-use backup codes; the earlier ones stop working."""
    with transaction.atomic():
        device = selectors.backup_device(user=user)
        if device is None:
            device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
        device.token_set.all().delete()
        tokens = []
        while len(tokens) < BACKUP_CODE_COUNT:
            token = StaticToken.random_token()
            if token not in tokens:
                tokens.append(token)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in tokens)
    return [format_backup_code(t) for t in tokens]


def two_factor_disable(*, user, code: str) -> None:
    """Switch two-factor authentication off: a current code (or a backup code) first."""
    code_verify(user=user, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
