"""Decide the two-factor state of every new sign-in (whatever view signed the user in)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in

from . import state


def _on_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    state.remember(request, state.state_at_sign_in(user))


def connect() -> None:
    user_logged_in.connect(_on_sign_in, dispatch_uid="sosvet.security.two_factor_state")
