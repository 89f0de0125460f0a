from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilSessionsConfig(AppConfig):
    """Council sessions. Labelled so it never collides with django.contrib.sessions."""

    name = "sessions"
    label = "council_sessions"
    verbose_name = _("Sessions")
