"""Helpers for the two-factor tests: codes computed like an authenticator app does."""

from __future__ import annotations

import time

from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sosvet.security import services


def totp_code(device: TOTPDevice) -> str:
    """The code an app shows now — or the next one, if the current one was already used
    (django-otp accepts each time step once; one step either side of now is accepted)."""
    device.refresh_from_db()
    now_step = int((time.time() - device.t0) // device.step) + device.drift
    step = max(now_step, device.last_t + 1)
    return f"{hotp(device.bin_key, step, device.digits):0{device.digits}d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Two-factor authentication switched on for the user, as the set-up page does."""
    device = services.totp_device_start(user=user)
    return services.two_factor_enable(user=user, code=totp_code(device))


def wrong_code(device: TOTPDevice) -> str:
    """A six-digit code that no accepted time step (now, one before, one after) has."""
    now_step = int((time.time() - device.t0) // device.step) + device.drift
    accepted = {hotp(device.bin_key, s, device.digits) for s in range(now_step - 2, now_step + 3)}
    return next(f"{n:06d}" for n in range(1000000) if n not in accepted)
