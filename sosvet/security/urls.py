from django.urls import path

from . import views

# Included at the site root (no namespace): the names are those of the sign-in pages.
urlpatterns = [
    path("accounts/two-factor/", views.TwoFactorView.as_view(), name="two_factor"),
    path("accounts/two-factor/setup/", views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path(
        "accounts/two-factor/confirm/",
        views.TwoFactorConfirmView.as_view(),
        name="two_factor_confirm",
    ),
    path(
        "accounts/two-factor/disable/",
        views.TwoFactorDisableView.as_view(),
        name="two_factor_disable",
    ),
    path(
        "accounts/two-factor/backup-codes/",
        views.BackupCodesView.as_view(),
        name="two_factor_backup_codes",
    ),
    path(
        "accounts/two-factor/verify/",
        views.TwoFactorVerifyView.as_view(),
        name="two_factor_verify",
    ),
]
