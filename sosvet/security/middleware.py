"""Until the second step of the sign-in is done, a user reaches only the code page.

Installed after django-otp's ``OTPMiddleware`` (which sets ``request.user.is_verified()``).
A user whose session is in the ``verify`` state (has an authenticator app, no code
entered yet) is sent to the code page from every page but sign-in, sign-out, the
language switch and the health check; one in the ``setup`` state (REQUIRE_2FA_FOR_STAFF)
to the set-up page. Sessions without either state cost nothing here.
"""

from __future__ import annotations

from . import state


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = state.pending_step(request)
        if step is None:
            return None
        match = request.resolver_match
        if match is not None and state.allowed_during(step, match.view_name):
            return None
        return state.redirect_to_step(request, step)
