"""Site-wide views: the landing page and the signed-in dashboard."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from councils.selectors import councils_for_user

from .health import health_report


class HomeView(TemplateView):
    template_name = "home.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("dashboard")
        return super().get(request, *args, **kwargs)


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["user_councils"] = councils_for_user(user=self.request.user)
        return context


def locked_out(request, original_response=None, credentials=None):
    """django-axes lock-out page: says how long sign-in stays blocked (translated)."""
    from axes.helpers import get_cool_off, get_failure_limit
    from django.conf import settings
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    return render(
        request,
        "registration/locked_out.html",
        {"failure_limit": get_failure_limit(request, credentials), "cooloff_minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


@never_cache
@require_safe
def health(request):
    """``/health/``: the database and the background worker, as JSON for monitoring.

    200 when healthy, 503 when the database does not answer or no worker has sent a
    heartbeat within ``HEALTH_WORKER_MAX_AGE_SECONDS``. Anonymous, no personal data, and
    it touches neither the session nor the user, so it sets no cookie.
    """
    report = health_report()
    return JsonResponse(report.body, status=200 if report.healthy else 503)
