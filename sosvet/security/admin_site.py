"""Django admin that requires the second sign-in step.

``SosvetAdminSite`` replaces the default admin site (INSTALLED_APPS names
``sosvet.security.apps.SosvetAdminConfig`` instead of ``django.contrib.admin``): a staff
user with an authenticator app must have entered a code in this session (django-otp's
``is_verified()``), and one to whom REQUIRE_2FA_FOR_STAFF applies must have set it up —
checked against the database on every admin request, not only the session. Signing in
to the admin goes through the site's own sign-in page (password, throttling, the code).
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse


class SosvetAdminSite(AdminSite):
    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        from . import selectors

        user = request.user
        if selectors.has_two_factor(user=user):
            is_verified = getattr(user, "is_verified", None)
            return bool(is_verified and is_verified())
        return not selectors.two_factor_required(user=user)

    def login(self, request, extra_context=None):
        if not request.user.is_authenticated:
            return redirect_to_login(
                request.GET.get("next") or reverse("admin:index", current_app=self.name)
            )
        return super().login(request, extra_context)
