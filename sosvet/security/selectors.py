"""Reads for two-factor authentication."""

from __future__ import annotations

from base64 import b32encode

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from councils.selectors import councils_for_user


def totp_device(*, user, confirmed: bool | None = True) -> TOTPDevice | None:
    """The user's authenticator-app device (confirmed, or the one being set up)."""
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("-pk").first()


def backup_device(*, user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def backup_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_two_factor(*, user) -> bool:
    """Two-factor authentication is on: the user has a confirmed authenticator app."""
    if not user.is_authenticated:
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(*, user) -> bool:
    """REQUIRE_2FA_FOR_STAFF makes it compulsory for site administrators (staff and
    superusers) and for everyone who manages a council (secretaries and chairs)."""
    if not settings.REQUIRE_2FA_FOR_STAFF or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(item.access.can_manage for item in councils_for_user(user=user))


def manual_entry_key(device: TOTPDevice) -> str:
    """The secret in base32 for typing into an app, in groups of four characters."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
