from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from councils.privacy_views import PrivacyView, SiteAuditView
from sessions.views import MyTasksView, RSVPView

from . import views
from .forms import QueuedPasswordResetForm

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("sosvet.security.urls")),  # two-factor authentication
    path("i18n/", include("django.conf.urls.i18n")),
    path("zasebnost/", PrivacyView.as_view(), name="privacy"),
    path("audit/", SiteAuditView.as_view(), name="audit_site"),
    path("admin/", admin.site.urls),
    path("c/<slug:council_slug>/", include("councils.urls")),
    path("c/<slug:council_slug>/", include("sessions.urls")),
    path("c/<slug:council_slug>/", include("reports.urls")),
    path("javno/", include("councils.public_urls")),
    path("rsvp/<str:token>/", RSVPView.as_view(), name="rsvp"),
    path("tasks/", MyTasksView.as_view(), name="my_tasks"),
    path("health/", views.health, name="health"),
]
