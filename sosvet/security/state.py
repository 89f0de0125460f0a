"""Where a signed-in user stands with two-factor authentication, kept in the session.

The state is decided once, at sign-in (``user_logged_in``), so that pages cost no extra
query for users without two-factor authentication:

- ``verify``: the user has an authenticator app; until a code is entered
  (``request.user.is_verified()``, django-otp) the user is not treated as signed in;
- ``setup``: REQUIRE_2FA_FOR_STAFF applies and the user has no app yet; every page sends
  the user to set it up.

Turning two-factor authentication on or off updates the current session's state.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import selectors

SESSION_KEY = "sosvet_two_factor"
VERIFY = "verify"
SETUP = "setup"


def state_at_sign_in(user) -> str | None:
    if selectors.has_two_factor(user=user):
        return VERIFY
    if selectors.two_factor_required(user=user):
        return SETUP
    return None


def remember(request, state: str | None) -> None:
    if state:
        request.session[SESSION_KEY] = state
    else:
        request.session.pop(SESSION_KEY, None)


def pending_step(request) -> str | None:
    """``verify`` or ``setup`` while the sign-in is not complete, else None.

    Touches neither the session nor the user of a request without a session cookie.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    state = request.session.get(SESSION_KEY)
    if state == VERIFY:
        user = request.user
        if not user.is_authenticated:
            return None
        # Without django-otp's middleware nobody counts as verified.
        is_verified = getattr(user, "is_verified", None)
        return None if is_verified is not None and is_verified() else VERIFY
    if state == SETUP:
        return SETUP if request.user.is_authenticated else None
    return None


# Pages a user may open before the sign-in is complete, by URL name.
ALWAYS_ALLOWED = frozenset({"login", "logout", "set_language", "health"})
STEP_PAGES = {
    VERIFY: frozenset({"two_factor_verify"}),
    SETUP: frozenset({"two_factor", "two_factor_setup", "two_factor_confirm", "two_factor_verify"}),
}


def allowed_during(step: str, url_name: str) -> bool:
    return url_name in ALWAYS_ALLOWED or url_name in STEP_PAGES[step]


def redirect_to_step(request, step: str):
    """Send the user to the code page (keeping where they were going) or to the set-up."""
    if step == SETUP:
        return redirect("two_factor")
    target = request.get_full_path() if request.method in ("GET", "HEAD") else ""
    url = reverse("two_factor_verify")
    return redirect(f"{url}?{urlencode({'next': target})}" if target else url)
