from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "sosvet.security"
    label = "security"
    verbose_name = _("Account security")

    def ready(self):
        from . import signals, validators

        signals.connect()
        validators.install()
        validators.install_key_range_check()


class SosvetAdminConfig(AdminConfig):
    """Django admin through ``SosvetAdminSite``, which requires the second sign-in step."""

    default_site = "sosvet.security.admin_site.SosvetAdminSite"
